namespace Ticketing.Core.Messages;

public enum AttendeeMessageKind { Message, Reschedule }

public enum AttendeeMessageStatus { Draft, Sent }

/// <summary>
/// A message from the organizer to the holders of one performance's tickets (or one category's), written in English and
/// French: a <see cref="AttendeeMessageStatus.Draft"/> (previewed, counted) becomes <see cref="AttendeeMessageStatus.Sent"/>
/// once, by one conditional update, in the transaction that writes its recipients and their outbox rows. A
/// <see cref="AttendeeMessageKind.Reschedule"/> is the notice of a new date or venue (its texts come from the resources).
/// </summary>
public sealed class AttendeeMessage
{
    public const int SubjectMaxLength = 200, BodyMaxLength = 5000;

    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid? CategoryId { get; set; }
    public AttendeeMessageKind Kind { get; set; }
    public AttendeeMessageStatus Status { get; set; }
    public string SubjectEn { get; set; } = "";
    public string BodyEn { get; set; } = "";
    public string SubjectFr { get; set; } = "";
    public string BodyFr { get; set; } = "";
    public int RecipientCount { get; set; }
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>A reschedule: the date and venue before the change (the new ones are the performance's).</summary>
    public DateTimeOffset? PreviousStartsAt { get; set; }
    public string? PreviousVenue { get; set; }
    /// <summary>A reschedule: until when buyers may ask a refund themselves.</summary>
    public DateTimeOffset? RefundUntil { get; set; }
}
