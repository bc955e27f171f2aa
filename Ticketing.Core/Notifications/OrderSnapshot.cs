using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Notifications;

/// <summary>What a confirmation, a refund notice or an e-ticket shows about an order, read in one go.</summary>
public sealed record OrderSnapshot(Order Order, Event Event, Performance Performance, IReadOnlyList<Ticket> Tickets)
{
    public string Reference => OrderReference.For(Order.Id);

    public static async Task<OrderSnapshot?> LoadAsync(TicketingDbContext db, Guid orderId, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Items).FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null) return null;
        var performance = await db.Performances.AsNoTracking().FirstOrDefaultAsync(p => p.Id == order.PerformanceId, ct);
        var ev = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == order.EventId, ct);
        if (performance is null || ev is null) return null;
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId)
            .OrderBy(t => t.Sequence).ThenBy(t => t.Number).ToListAsync(ct);
        return new OrderSnapshot(order, ev, performance, tickets);
    }
}

public static class OrderReference
{
    /// <summary>Short, readable order reference (the random tail of the id, e.g. <c>8F2K-31QZ</c>-like <c>A1B2-C3D4</c>).</summary>
    public static string For(Guid orderId)
    {
        var tail = orderId.ToString("N")[^8..].ToUpperInvariant();
        return $"{tail[..4]}-{tail[4..]}";
    }
}

/// <summary>Dates shown in the venue's time zone, formatted in the reader's culture.</summary>
public static class VenueTime
{
    public static DateTimeOffset ToVenueTime(DateTimeOffset instant, string? timeZoneId) =>
        TimeZoneInfo.ConvertTime(instant, FindZone(timeZoneId));

    /// <summary>"Saturday, March 14, 2026 · 8:30 PM" / "Samedi 14 mars 2026 · 20:30".</summary>
    public static string Long(DateTimeOffset instant, string? timeZoneId, CultureInfo culture)
    {
        var local = ToVenueTime(instant, timeZoneId);
        var date = local.ToString("D", culture);
        if (date.Length > 0) date = culture.TextInfo.ToUpper(date[0]) + date[1..];
        return $"{date} · {local.ToString("t", culture)}";
    }

    /// <summary>"3/14/26 8:30 PM" / "14/03/2026 20:30" (texts).</summary>
    public static string Short(DateTimeOffset instant, string? timeZoneId, CultureInfo culture) =>
        ToVenueTime(instant, timeZoneId).ToString("g", culture);

    private static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return TimeZoneInfo.Utc;
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException) { return TimeZoneInfo.Utc; }
    }
}

/// <summary>Runs code with a given culture (the localizer reads the current UI culture), then restores the previous one.</summary>
public static class CultureScope
{
    public static T Run<T>(CultureInfo culture, Func<T> action)
    {
        var (culture0, ui0) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
        try { return action(); }
        finally
        {
            CultureInfo.CurrentCulture = culture0;
            CultureInfo.CurrentUICulture = ui0;
        }
    }

    public static CultureInfo For(string? language) =>
        CultureInfo.GetCultureInfo(Accounts.Languages.IsSupported(language) ? language! : "en");
}
