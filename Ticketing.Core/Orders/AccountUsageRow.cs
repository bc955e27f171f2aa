namespace Ticketing.Core.Orders;

/// <summary>
/// One order line that counts against an account's caps (a Reserved order, or a Paid one of the same event);
/// <c>UserId</c> is the account it counts for (for a guest order of an account's address: that account).
/// </summary>
internal sealed record AccountUsageRow(Guid UserId, Guid EventId, Guid PerformanceId, Guid OrderId, OrderStatus Status,
    DateTimeOffset ExpiresAt, Guid CategoryId, int Quantity);
