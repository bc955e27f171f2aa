using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Messages;

/// <summary>
/// Moves a performance to a new date and/or venue: in ONE transaction the performance changes, a reschedule notice is
/// written and sent (every holder notified once, by mail in their language, by SMS when that is their channel) and the
/// refund window opens (<see cref="RefundWindow"/>). Prices and orders are untouched.
/// </summary>
public sealed class RescheduleService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    AttendeeMessageService messages,
    OnSaleCache onSale,
    CatalogChangeNotifier changes,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<RescheduleService> logger)
{
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(14);

    public async Task<RescheduleResult> RescheduleAsync(Guid eventId, Guid performanceId, Actor actor, RescheduleRequest? request, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        v.Require(request.StartsAt is { } s && s > now, "startsAt", "Validation.FutureDate");
        var name = v.Text("venue.name", request.Venue?.Name, 200);
        var city = v.Text("venue.city", request.Venue?.City, 100);
        var address = v.Text("venue.address", request.Venue?.Address, 300);
        var startsAt = request.StartsAt ?? now;
        var refundUntil = request.RefundUntil ?? Min(now + DefaultWindow, startsAt);
        v.Require(refundUntil > now && refundUntil <= startsAt, "refundUntil", "Validation.RefundUntil");
        v.ThrowIfInvalid();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        if (ev.Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled, localizer["Error.event_cancelled"]);
        var performance = await db.Performances.FirstOrDefaultAsync(p => p.Id == performanceId && p.EventId == eventId, ct) ?? throw new NotFoundException();

        var notice = new AttendeeMessage
        {
            Id = Guid.CreateVersion7(), EventId = eventId, PerformanceId = performanceId, Kind = AttendeeMessageKind.Reschedule,
            Status = AttendeeMessageStatus.Draft, CreatedBy = actor.UserId, CreatedAt = now, PreviousStartsAt = performance.StartsAt,
            PreviousVenue = Truncate(string.Join(", ", new[] { performance.VenueName, performance.Address, performance.City }.Where(x => !string.IsNullOrWhiteSpace(x))), 600),
            RefundUntil = refundUntil,
        };
        performance.StartsAt = startsAt;
        if (name is not null) performance.VenueName = name;
        if (city is not null) performance.SetCity(city);
        if (address is not null) performance.Address = address;
        ev.UpdatedAt = now;
        db.Entry(ev).State = EntityState.Modified;
        int notified;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.AttendeeMessages.Add(notice);
            await db.SaveChangesAsync(ct);
            notified = await messages.SendOnceAsync(db, notice.Id, NotificationKind.PerformanceRescheduled, ct);
            await tx.CommitAsync(ct);
        }
        onSale.Invalidate();
        await changes.EventChangedAsync(eventId);
        logger.LogInformation("Performance {PerformanceId} of event {EventId} rescheduled by {UserId}: {Notified} holder(s) notified, refunds until {RefundUntil}",
            performanceId, eventId, actor.UserId, notified, refundUntil);
        return new RescheduleResult(performanceId, performance.StartsAt, performance.VenueName, performance.City, performance.Address,
            notice.PreviousStartsAt, refundUntil, notice.Id, notified);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Truncate(string s, int max) => s.Length > max ? s[..max] : s;
}
