using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Messages;

/// <summary>One address to write to: its dedupe key, where to send, the holder's name and language, the channel.</summary>
public sealed record Attendee(string NormalizedEmail, string Email, string Name, string Language, Guid UserId, NotificationChannel Channel, string? Phone);

/// <summary>
/// Who holds a performance's tickets (or one category's) today: valid or used tickets of paid (or partly refunded) orders.
/// An account's address and language; for a ticket without an account (a comp, a transfer to a new address, a desk sale
/// with an email) the address and language its own mail went to; for a guest order's tickets, the address given at checkout. Each address once (case-insensitive); an account wins
/// over a bare address.
/// </summary>
public static class AttendeeRecipients
{
    public static async Task<IReadOnlyList<Attendee>> ListAsync(TicketingDbContext db, Guid performanceId, Guid? categoryId, CancellationToken ct)
    {
        var tickets = from t in db.Tickets.AsNoTracking()
                      join o in db.Orders on t.OrderId equals o.Id
                      where t.PerformanceId == performanceId && (categoryId == null || t.CategoryId == categoryId)
                            && t.Status != TicketStatus.Voided
                            && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded)
                      select t;

        var withAccount = await (from t in tickets
                                 join u in db.Users on t.UserId equals u.Id
                                 where t.UserId != Guid.Empty && u.DeletedAt == null && u.Email != null
                                 select new { u.Id, u.Email, u.NormalizedEmail, u.DisplayName, u.PreferredLanguage, u.NotificationChannel, u.PhoneNumber })
            .Distinct().ToListAsync(ct);
        // Without an account: the mail that brought the ticket says where and in which language (the transfer's mail is
        // keyed by the ticket, the sale's or the comp's by the order).
        var transferred = await (from t in tickets
                                 join n in db.Notifications on t.Id equals n.OrderId
                                 where t.UserId == Guid.Empty && n.Kind == NotificationKind.TicketTransferred && n.Channel == NotificationChannel.Email
                                 select new { t.Id, t.HolderEmail, t.HolderName, n.Recipient, n.Language }).ToListAsync(ct);
        var confirmed = await (from t in tickets
                               join n in db.Notifications on t.OrderId equals n.OrderId
                               where t.UserId == Guid.Empty && n.Kind == NotificationKind.OrderConfirmed && n.Channel == NotificationChannel.Email
                               select new { t.Id, t.HolderEmail, t.HolderName, n.Recipient, n.Language }).ToListAsync(ct);
        // Guest orders (Guests/GuestBuyer): the address and language given at checkout, for the tickets the order still holds.
        var guests = await (from t in tickets
                            join g in db.Set<Guests.GuestBuyer>() on t.OrderId equals g.OrderId
                            join o in db.Orders on t.OrderId equals o.Id
                            where t.UserId == o.UserId
                            select new { t.Id, g.Email, g.NormalizedEmail, g.Language, t.HolderName }).ToListAsync(ct);
        var bare = await tickets.Where(t => t.UserId == Guid.Empty && t.HolderEmail != null)
            .Select(t => new { t.Id, t.HolderEmail, t.HolderName }).ToListAsync(ct);

        var result = new Dictionary<string, Attendee>(StringComparer.Ordinal);
        foreach (var u in withAccount.OrderBy(u => u.Id))
        {
            var key = u.NormalizedEmail ?? TicketHolder.Normalize(u.Email!);
            var sms = u.NotificationChannel == NotificationChannel.Sms && !string.IsNullOrWhiteSpace(u.PhoneNumber);
            result.TryAdd(key, new Attendee(key, u.Email!, u.DisplayName, Lang(u.PreferredLanguage), u.Id,
                sms ? NotificationChannel.Sms : NotificationChannel.Email, sms ? u.PhoneNumber : null));
        }
        foreach (var g in guests.OrderBy(g => g.Id))
            result.TryAdd(g.NormalizedEmail, new Attendee(g.NormalizedEmail, g.Email, g.HolderName, Lang(g.Language), Guid.Empty, NotificationChannel.Email, null));
        var mailed = transferred.Concat(confirmed).ToList();
        foreach (var m in mailed.OrderBy(m => m.Id))
        {
            var key = TicketHolder.Normalize(m.Recipient);
            // A ticket passed on to another address belongs to that address, not to the order's first mail.
            if (m.HolderEmail is not null && m.HolderEmail != key) continue;
            result.TryAdd(key, new Attendee(key, m.Recipient.Trim(), m.HolderName, Lang(m.Language), Guid.Empty, NotificationChannel.Email, null));
        }
        foreach (var t in bare.OrderBy(t => t.Id))
            result.TryAdd(t.HolderEmail!, new Attendee(t.HolderEmail!, t.HolderEmail!.ToLowerInvariant(), t.HolderName, "en", Guid.Empty, NotificationChannel.Email, null));
        return result.Values.OrderBy(a => a.NormalizedEmail, StringComparer.Ordinal).ToList();
    }

    private static string Lang(string? language) => Languages.IsSupported(language) ? language! : "en";
}
