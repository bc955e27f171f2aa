namespace Ticketing.Core.Orders;

/// <summary>
/// One hold for the <see cref="HoldCommitter"/>: the order to write and the caps of its buyer's account.
/// <paramref name="Subject"/> is whose allowance the order spends when it is not the order's own <c>UserId</c>: a guest
/// order of an address that has an account spends that account's (<see cref="Guests.GuestKey"/>).
/// </summary>
public sealed record HoldRequest(Order Order, AccountCaps Caps, Guid? Subject = null)
{
    /// <summary>The account (or guest address) whose caps this hold is measured against.</summary>
    public Guid Account => Subject ?? Order.UserId;
}
