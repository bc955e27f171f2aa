using Ticketing.Core.Accounts;

namespace Ticketing.Core.Notifications;

/// <summary>
/// What a notification announces. <see cref="PasswordReset"/>, <see cref="EmailConfirmation"/>, <see cref="EmailChange"/>
/// (the link, to the new address) and <see cref="EmailChanged"/> (the notice, to the old address) are account mails:
/// they have no order.
/// </summary>
public enum NotificationKind { OrderConfirmed, OrderRefunded, EventCancelled, PasswordReset, EmailConfirmation, EmailChange, EmailChanged, TicketTransferred,
    /// <summary>A waiting-list offer: seats held for the fan, with the link to pay (its order id is the offer's order).</summary>
    WaitlistOffer,
    /// <summary>An organizer's message to the holders of a performance: its order id is the message recipient's id.</summary>
    AttendeeMessage,
    /// <summary>A performance's new date or venue, with the refund window: its order id is the notice recipient's id.</summary>
    PerformanceRescheduled,
    /// <summary>A refund of part of an order (or of the rest of one refunded in parts): its order id is the credit note's id.</summary>
    OrderPartiallyRefunded,
    /// <summary>
    /// Tickets of an order voided by a partial refund that gave nothing back (free tickets: no money, no credit note): its order
    /// id is the first voided ticket's id (the other tickets of that refund share its voiding time).
    /// </summary>
    OrderTicketsCancelled,
    /// <summary>The link that erases an account without a password (made by an external sign-in).</summary>
    AccountErase }

public enum NotificationStatus { Pending, Sending, Sent, Failed }

/// <summary>Transactional outbox row: written in the same transaction as the change it announces.</summary>
public sealed class Notification
{
    public Guid Id { get; set; }
    public NotificationKind Kind { get; set; }
    /// <summary>The order announced; an account mail (no order) holds its own <see cref="Id"/> here.</summary>
    public Guid OrderId { get; set; }
    public Guid UserId { get; set; }
    public NotificationChannel Channel { get; set; }
    public string Recipient { get; set; } = "";
    public string Language { get; set; } = "en";
    public NotificationStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
    /// <summary>Stable message id: a resend after a crash carries the same id, so duplicates are recognisable.</summary>
    public string MessageId { get; set; } = "";
}

/// <summary>A text message recorded by the simulated SMS gateway (visible to Admins).</summary>
public sealed class SmsMessage
{
    public Guid Id { get; set; }
    public Guid? NotificationId { get; set; }
    public string To { get; set; } = "";
    public string Body { get; set; } = "";
    public string Status { get; set; } = "Delivered";
    public DateTimeOffset CreatedAt { get; set; }
}
