namespace Ticketing.Core.Orders;

/// <summary>One order line that counts against its account's caps (a Reserved order, or a Paid one of the same event).</summary>
internal sealed record AccountUsageRow(Guid UserId, Guid EventId, Guid PerformanceId, Guid OrderId, OrderStatus Status,
    DateTimeOffset ExpiresAt, Guid CategoryId, int Quantity);
