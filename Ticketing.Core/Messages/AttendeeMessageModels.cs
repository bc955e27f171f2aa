namespace Ticketing.Core.Messages;

/// <summary>A message to the holders of one performance (or one of its categories); one language may be left empty.</summary>
public sealed record AttendeeMessageRequest(Guid PerformanceId, Guid? CategoryId, string? SubjectEn, string? BodyEn, string? SubjectFr, string? BodyFr);

public sealed record AttendeeMessageDto(Guid Id, Guid EventId, Guid PerformanceId, Guid? CategoryId, AttendeeMessageKind Kind, AttendeeMessageStatus Status,
    string SubjectEn, string BodyEn, string SubjectFr, string BodyFr, int RecipientCount, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? RefundUntil);

/// <summary>How many addresses a message would reach now, and in which language each would read it.</summary>
public sealed record RecipientCount(int Count, int English, int French);

/// <summary>The mail as one language's readers would get it (HTML with every user text encoded).</summary>
public sealed record RenderedMessage(string Language, string Subject, string Text, string Html);

public sealed record MessagePreview(AttendeeMessageDto Message, RecipientCount Recipients, IReadOnlyList<RenderedMessage> Renderings);

public sealed record MessageTargetCategory(Guid Id, string Name);

public sealed record MessageTarget(Guid PerformanceId, DateTimeOffset StartsAt, string VenueName, string City, IReadOnlyList<MessageTargetCategory> Categories);
