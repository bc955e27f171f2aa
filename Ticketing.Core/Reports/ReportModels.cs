namespace Ticketing.Core.Reports;

/// <summary>How a ticket was sold: online (a buyer's account, checkout), at the box office (the desk's methods), as a comp, or bought on resale.</summary>
public enum SalesChannel { Online, BoxOffice, Comp, Resale }

public sealed record ChannelTotal(SalesChannel Channel, int Orders, int Tickets, long RevenueMinor);

public sealed record ChannelDay(DateOnly Day, SalesChannel Channel, int Tickets, long RevenueMinor);

public sealed record ChannelCategory(Guid CategoryId, string CategoryName, SalesChannel Channel, int Tickets, long RevenueMinor);

/// <summary>Tickets that count (valid or used) per channel, per day (UTC, the day the order was paid) and per category.</summary>
public sealed record SalesReport(Guid EventId, Guid? PerformanceId, string Currency, int Tickets, long RevenueMinor,
    IReadOnlyList<ChannelTotal> Channels, IReadOnlyList<ChannelDay> Days, IReadOnlyList<ChannelCategory> Categories);

/// <summary>Admissions at one gate (the door devices' gate; null: scans by the organizer's own account or a device without a gate).</summary>
public sealed record GateCheckIn(string? Gate, int Admitted, DateTimeOffset? LastAdmittedAt);

public sealed record CheckInProgress(Guid PerformanceId, DateTimeOffset StartsAt, int Expected, int Admitted, IReadOnlyList<GateCheckIn> Gates);

public sealed record SeasonEvent(Guid EventId, string Title, string Status, DateTimeOffset? FirstDate, DateTimeOffset? LastDate, string Currency,
    int Capacity, int Tickets, int Comps, int CheckedIn, long RevenueMinor);

public sealed record CurrencyTotal(string Currency, long RevenueMinor);

/// <summary>An organizer's events side by side, with totals (revenue per currency).</summary>
public sealed record SeasonReport(Guid OwnerId, int Events, int Tickets, int Comps, int CheckedIn, IReadOnlyList<CurrencyTotal> Revenue,
    IReadOnlyList<SeasonEvent> Items);

public sealed record OrderExportRow(Guid OrderId, string Reference, string Status, SalesChannel Channel, string BuyerName, string BuyerEmail,
    DateTimeOffset StartsAt, DateTimeOffset CreatedAt, DateTimeOffset? PaidAt, int Tickets, long TotalMinor, string Currency);
