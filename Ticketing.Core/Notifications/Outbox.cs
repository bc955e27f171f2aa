using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Notifications;

/// <summary>
/// The transactional outbox: services call <see cref="Enqueue"/> on the DbContext that carries the change (order paid,
/// refunded, cancelled) so that the notification is committed in the same transaction. Delivery is asynchronous
/// (a Quartz job); a notification is never sent inline in a request.
/// </summary>
public static class Outbox
{
    /// <param name="subjectId">What the notification is about when an order has several of its kind (a partial refund: its credit
    /// note's id); the order's id otherwise. The (OrderId, Kind) index keeps one notification per subject.</param>
    public static Notification Enqueue(TicketingDbContext db, Order order, AppUser buyer, NotificationKind kind, DateTimeOffset now, Guid? subjectId = null)
    {
        var channel = buyer.NotificationChannel == NotificationChannel.Sms && !string.IsNullOrWhiteSpace(buyer.PhoneNumber)
            ? NotificationChannel.Sms
            : NotificationChannel.Email;
        var id = Guid.CreateVersion7();
        var notification = new Notification
        {
            Id = id,
            Kind = kind,
            OrderId = subjectId ?? order.Id,
            UserId = buyer.Id,
            Channel = channel,
            Recipient = channel == NotificationChannel.Sms ? buyer.PhoneNumber! : buyer.Email ?? "",
            Language = Languages.IsSupported(buyer.PreferredLanguage) ? buyer.PreferredLanguage : "en",
            Status = NotificationStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            MessageId = $"<{kind.ToString().ToLowerInvariant()}.{subjectId ?? order.Id:N}@ticketing>",
        };
        db.Notifications.Add(notification);
        return notification;
    }

    /// <summary>
    /// An account mail (no order) to <paramref name="recipient"/>: its own id stands in the order's place, which keeps the
    /// (OrderId, Kind) index unique. The token, if any, is made at delivery: nothing secret is stored.
    /// </summary>
    public static Notification EnqueueAccountMail(TicketingDbContext db, NotificationKind kind, AppUser user, string recipient, DateTimeOffset now)
    {
        var id = Guid.CreateVersion7();
        var notification = new Notification
        {
            Id = id,
            Kind = kind,
            OrderId = id,
            UserId = user.Id,
            Channel = NotificationChannel.Email,
            Recipient = recipient,
            Language = Languages.IsSupported(user.PreferredLanguage) ? user.PreferredLanguage : "en",
            Status = NotificationStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            MessageId = $"<{kind.ToString().ToLowerInvariant()}.{id:N}@ticketing>",
        };
        db.Notifications.Add(notification);
        return notification;
    }

    /// <summary>
    /// A mail about one ticket (a ticket received by transfer) to <paramref name="recipient"/>'s address: the ticket's id
    /// stands in the order's place (one such mail per ticket), the PDF of that ticket is attached at delivery.
    /// </summary>
    public static Notification EnqueueTicketMail(TicketingDbContext db, Tickets.Ticket ticket, AppUser recipient, NotificationKind kind, DateTimeOffset now)
    {
        var notification = new Notification
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            OrderId = ticket.Id,
            UserId = recipient.Id,
            Channel = NotificationChannel.Email,
            Recipient = recipient.Email ?? "",
            Language = Languages.IsSupported(recipient.PreferredLanguage) ? recipient.PreferredLanguage : "en",
            Status = NotificationStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            MessageId = $"<{kind.ToString().ToLowerInvariant()}.{ticket.Id:N}@ticketing>",
        };
        db.Notifications.Add(notification);
        return notification;
    }
}
