namespace Ticketing.Core.Sales;

public sealed record CategorySales(Guid CategoryId, string Name, long PriceMinor, string Currency, int Capacity, int Sold, int Held, int Available, long RevenueMinor);

public sealed record PerformanceSales(Guid PerformanceId, DateTimeOffset StartsAt, string VenueName, string City, string TimeZoneId,
    int Capacity, int Sold, int Held, int Available, long RevenueMinor, int CheckedIn, IReadOnlyList<CategorySales> Categories);

public sealed record SalesDay(DateOnly Day, int Tickets, long RevenueMinor);

public sealed record CancellationProgress(DateTimeOffset CancelledAt, int OrdersToRefund, int OrdersRefunded, bool Completed);

public sealed record EventSales(Guid EventId, string Title, string Status, string Currency, int Capacity, int Sold, int Held, int Available,
    long RevenueMinor, int PaidOrders, int RefundedOrders, IReadOnlyList<PerformanceSales> Performances, IReadOnlyList<SalesDay> Daily,
    CancellationProgress? Cancellation, IReadOnlyList<BoxOffice.BoxOfficeSales>? BoxOffice = null,
    IReadOnlyList<Comps.CompSales>? Comps = null);

public sealed record Attendee(string TicketNumber, string HolderName, string BuyerEmail, string CategoryName, DateTimeOffset StartsAt,
    string City, string Status, DateTimeOffset IssuedAt, DateTimeOffset? UsedAt, long PriceMinor, string Currency, Guid OrderId);
