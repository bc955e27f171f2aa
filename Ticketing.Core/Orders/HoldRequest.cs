namespace Ticketing.Core.Orders;

/// <summary>One hold for the <see cref="HoldCommitter"/>: the order to write and the caps of its buyer's account.</summary>
public sealed record HoldRequest(Order Order, AccountCaps Caps);
