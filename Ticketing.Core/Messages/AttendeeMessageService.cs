using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Messages;

/// <summary>
/// The organizer writes to the holders of a performance (or a category): a draft is counted and previewed, then sent ONCE:
/// the draft's conditional update (<c>Draft -&gt; Sent</c>) and its recipients (unique per address) and outbox rows are one
/// transaction, so a double click, a retry or two instances send nothing more. Delivery is the outbox's, with its retries.
/// Another organizer's event answers 404, like an unknown one.
/// </summary>
public sealed class AttendeeMessageService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    AttendeeMessageComposer composer,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<AttendeeMessageService> logger)
{
    /// <summary>The event's dates and categories a message can be addressed to (for the dashboard's form).</summary>
    public async Task<IReadOnlyList<MessageTarget>> TargetsAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedEventAsync(db, eventId, actor, ct);
        var performances = await db.Performances.AsNoTracking().Where(p => p.EventId == eventId).Include(p => p.Categories).ToListAsync(ct);
        return performances.OrderBy(p => p.StartsAt).Select(p => new MessageTarget(p.Id, p.StartsAt, p.VenueName, p.City,
            p.Categories.OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c => new MessageTargetCategory(c.Id, c.Name)).ToList())).ToList();
    }

    public async Task<RecipientCount> CountAsync(Guid eventId, Actor actor, Guid performanceId, Guid? categoryId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedEventAsync(db, eventId, actor, ct);
        await CheckTargetAsync(db, eventId, performanceId, categoryId, ct);
        return Count(await AttendeeRecipients.ListAsync(db, performanceId, categoryId, ct));
    }

    public async Task<AttendeeMessageDto> CreateDraftAsync(Guid eventId, Actor actor, AttendeeMessageRequest? request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        v.Require(request.PerformanceId != Guid.Empty, "performanceId", "Validation.Required");
        var subjectEn = v.Text("subjectEn", request.SubjectEn, AttendeeMessage.SubjectMaxLength) ?? "";
        var bodyEn = v.Text("bodyEn", request.BodyEn, AttendeeMessage.BodyMaxLength, multiLine: true) ?? "";
        var subjectFr = v.Text("subjectFr", request.SubjectFr, AttendeeMessage.SubjectMaxLength) ?? "";
        var bodyFr = v.Text("bodyFr", request.BodyFr, AttendeeMessage.BodyMaxLength, multiLine: true) ?? "";
        // A language is whole (subject and body) or empty; at least one is whole.
        if ((subjectEn.Length == 0) != (bodyEn.Length == 0)) v.Add(subjectEn.Length == 0 ? "subjectEn" : "bodyEn", "Validation.Required");
        if ((subjectFr.Length == 0) != (bodyFr.Length == 0)) v.Add(subjectFr.Length == 0 ? "subjectFr" : "bodyFr", "Validation.Required");
        if (subjectEn.Length == 0 && bodyEn.Length == 0 && subjectFr.Length == 0 && bodyFr.Length == 0) v.Add("subjectEn", "Validation.Required");
        v.ThrowIfInvalid();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedEventAsync(db, eventId, actor, ct);
        await CheckTargetAsync(db, eventId, request.PerformanceId, request.CategoryId, ct);
        var message = new AttendeeMessage
        {
            Id = Guid.CreateVersion7(), EventId = eventId, PerformanceId = request.PerformanceId, CategoryId = request.CategoryId,
            Kind = AttendeeMessageKind.Message, Status = AttendeeMessageStatus.Draft, SubjectEn = subjectEn, BodyEn = bodyEn, SubjectFr = subjectFr,
            BodyFr = bodyFr, CreatedBy = actor.UserId, CreatedAt = clock.GetUtcNow(),
        };
        message.RecipientCount = (await AttendeeRecipients.ListAsync(db, message.PerformanceId, message.CategoryId, ct)).Count;
        db.AttendeeMessages.Add(message);
        await db.SaveChangesAsync(ct);
        return ToDto(message);
    }

    public async Task<MessagePreview> PreviewAsync(Guid eventId, Guid messageId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await OwnedEventAsync(db, eventId, actor, ct);
        var message = await db.AttendeeMessages.AsNoTracking().FirstOrDefaultAsync(m => m.Id == messageId && m.EventId == eventId, ct)
                      ?? throw new NotFoundException();
        var performance = await db.Performances.AsNoTracking().FirstAsync(p => p.Id == message.PerformanceId, ct);
        var count = Count(await AttendeeRecipients.ListAsync(db, message.PerformanceId, message.CategoryId, ct));
        var renderings = Languages.Supported.Select(l => composer.Render(message, ev, performance, l)).ToList();
        return new MessagePreview(ToDto(message), message.Status == AttendeeMessageStatus.Sent ? count with { Count = message.RecipientCount } : count, renderings);
    }

    /// <summary>Sends a draft once: the second call (double click, retry) answers the message as sent and enqueues nothing.</summary>
    public async Task<AttendeeMessageDto> SendAsync(Guid eventId, Guid messageId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedEventAsync(db, eventId, actor, ct);
        if (!await db.AttendeeMessages.AnyAsync(m => m.Id == messageId && m.EventId == eventId && m.Kind == AttendeeMessageKind.Message, ct))
            throw new NotFoundException();
        await SendOnceAsync(db, messageId, NotificationKind.AttendeeMessage, ct);
        return ToDto(await db.AttendeeMessages.AsNoTracking().FirstAsync(m => m.Id == messageId, ct));
    }

    public async Task<PagedResult<AttendeeMessageDto>> ListAsync(Guid eventId, Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedEventAsync(db, eventId, actor, ct);
        var query = db.AttendeeMessages.AsNoTracking().Where(m => m.EventId == eventId && m.Status == AttendeeMessageStatus.Sent);
        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(m => m.SentAt).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return new PagedResult<AttendeeMessageDto>(rows.Select(ToDto).ToList(), page.Page, page.PageSize, total);
    }

    /// <summary>
    /// Draft -&gt; Sent by one conditional update, then the recipients (unique per address) and their outbox rows, in one
    /// transaction: 0 rows updated means another call sent it, and nothing is written.
    /// </summary>
    internal async Task<int> SendOnceAsync(TicketingDbContext db, Guid messageId, NotificationKind kind, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Inside the caller's transaction when there is one (a reschedule changes the performance in the same one).
        var outer = db.Database.CurrentTransaction;
        await using var tx = outer is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var claimed = await db.AttendeeMessages.Where(m => m.Id == messageId && m.Status == AttendeeMessageStatus.Draft)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, AttendeeMessageStatus.Sent).SetProperty(m => m.SentAt, now), ct);
        if (claimed == 0)
        {
            if (tx is not null) await tx.RollbackAsync(ct);
            return 0;
        }
        var message = await db.AttendeeMessages.AsNoTracking().FirstAsync(m => m.Id == messageId, ct);
        var attendees = await AttendeeRecipients.ListAsync(db, message.PerformanceId, message.CategoryId, ct);
        foreach (var a in attendees)
        {
            Enqueue(a, NotificationChannel.Email, a.NormalizedEmail, a.Email);
            // A reschedule also goes by SMS where the pipeline has SMS for them (their chosen channel, with a number).
            if (kind == NotificationKind.PerformanceRescheduled && a.Channel == NotificationChannel.Sms && a.Phone is { } phone)
                Enqueue(a, NotificationChannel.Sms, "SMS:" + phone, phone);
        }

        void Enqueue(Attendee a, NotificationChannel channel, string key, string to)
        {
            var recipient = new AttendeeMessageRecipient
            {
                Id = Guid.CreateVersion7(), MessageId = messageId, UserId = a.UserId, NormalizedEmail = key.Length > 256 ? key[..256] : key,
                Name = a.Name.Length > 200 ? a.Name[..200] : a.Name, Language = a.Language, Channel = channel,
            };
            db.AttendeeMessageRecipients.Add(recipient);
            db.Notifications.Add(new Notification
            {
                Id = Guid.CreateVersion7(), Kind = kind, OrderId = recipient.Id, UserId = a.UserId, Channel = channel, Recipient = to,
                Language = a.Language, Status = NotificationStatus.Pending, CreatedAt = now, NextAttemptAt = now,
                MessageId = $"<{kind.ToString().ToLowerInvariant()}.{recipient.Id:N}@ticketing>",
            });
        }
        await db.SaveChangesAsync(ct);
        await db.AttendeeMessages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(m => m.RecipientCount, attendees.Count), ct);
        if (tx is not null) await tx.CommitAsync(ct);
        logger.LogInformation("Attendee message {MessageId} ({Kind}) of performance {PerformanceId} sent to {Recipients} recipient(s)",
            messageId, message.Kind, message.PerformanceId, attendees.Count);
        return attendees.Count;
    }

    /// <summary>The event, for its owner or an Admin; anyone else gets 404 (another organizer's messages are not revealed).</summary>
    internal static async Task<Event> OwnedEventAsync(TicketingDbContext db, Guid eventId, Actor actor, CancellationToken ct)
    {
        var ev = await db.Events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, ct);
        if (ev is null || (!actor.IsAdmin && ev.OwnerId != actor.UserId)) throw new NotFoundException();
        return ev;
    }

    private async Task CheckTargetAsync(TicketingDbContext db, Guid eventId, Guid performanceId, Guid? categoryId, CancellationToken ct)
    {
        if (!await db.Performances.AnyAsync(p => p.Id == performanceId && p.EventId == eventId, ct))
            throw new RequestValidationException(new Validator(localizer).Add("performanceId", "Validation.UnknownPerformance").Errors);
        if (categoryId is { } c && !await db.PriceCategories.AnyAsync(x => x.Id == c && x.PerformanceId == performanceId, ct))
            throw new RequestValidationException(new Validator(localizer).Add("categoryId", "Validation.UnknownCategory").Errors);
    }

    private static RecipientCount Count(IReadOnlyList<Attendee> attendees) =>
        new(attendees.Count, attendees.Count(a => a.Language != "fr"), attendees.Count(a => a.Language == "fr"));

    internal static AttendeeMessageDto ToDto(AttendeeMessage m) => new(m.Id, m.EventId, m.PerformanceId, m.CategoryId, m.Kind, m.Status,
        m.SubjectEn, m.BodyEn, m.SubjectFr, m.BodyFr, m.RecipientCount, m.CreatedAt, m.SentAt, m.RefundUntil);
}
