using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Notifications;

/// <summary>One outbox row as Admins see it (recipient masked).</summary>
public sealed record NotificationRow(Guid Id, NotificationKind Kind, Guid OrderId, NotificationChannel Channel, string Recipient,
    string Language, NotificationStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt, string? LastError);

public sealed record SmsRow(Guid Id, Guid? NotificationId, string To, string Body, string Status, DateTimeOffset CreatedAt);

/// <summary>The delivery state of one notification of an order, as the buyer sees it.</summary>
public sealed record OrderNotificationStatus(Guid Id, NotificationKind Kind, NotificationChannel Channel, NotificationStatus Status,
    int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? NextAttemptAt);

public sealed record NotificationFilter(NotificationStatus? Status = null, NotificationChannel? Channel = null, NotificationKind? Kind = null, string? Search = null);

/// <summary>The outbox as seen by Admins (list, retry, SMS log) and by buyers (status of their order's notifications).</summary>
public sealed class NotificationAdminService(IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock, IStringLocalizer<SharedResource> localizer)
{
    public async Task<PagedResult<NotificationRow>> ListAsync(NotificationFilter filter, PageRequest page, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        v.Text("search", filter.Search, SearchTerms.MaxLength);
        v.ThrowIfInvalid();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var q = db.Notifications.AsNoTracking();
        if (filter.Status is { } status) q = q.Where(n => n.Status == status);
        if (filter.Channel is { } channel) q = q.Where(n => n.Channel == channel);
        if (filter.Kind is { } kind) q = q.Where(n => n.Kind == kind);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            q = Guid.TryParse(term, out var orderId) ? q.Where(n => n.OrderId == orderId) : q.Where(n => n.Recipient.Contains(term));
        }
        var total = await q.CountAsync(ct);
        var rows = await q.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return new PagedResult<NotificationRow>(rows.Select(n => new NotificationRow(n.Id, n.Kind, n.OrderId, n.Channel, Mask(n.Recipient, n.Channel),
            n.Language, n.Status, n.Attempts, n.CreatedAt, n.NextAttemptAt, n.SentAt, n.LastError)).ToList(), page.Page, page.PageSize, total);
    }

    /// <summary>Puts a failed notification back in the queue (attempts reset). Returns false when it was not failed.</summary>
    public async Task<bool> RetryAsync(Guid id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var changed = await db.Notifications.Where(n => n.Id == id && n.Status == NotificationStatus.Failed).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, NotificationStatus.Pending)
            .SetProperty(n => n.Attempts, 0)
            .SetProperty(n => n.NextAttemptAt, now)
            .SetProperty(n => n.LockedUntil, (DateTimeOffset?)null), ct);
        if (changed == 0 && !await db.Notifications.AnyAsync(n => n.Id == id, ct)) throw new NotFoundException(localizer["Error.not_found"]);
        return changed == 1;
    }

    public async Task<PagedResult<SmsRow>> SmsLogAsync(PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var total = await db.SmsMessages.CountAsync(ct);
        var rows = await db.SmsMessages.AsNoTracking().OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Skip(page.Skip).Take(page.PageSize)
            .Select(m => new SmsRow(m.Id, m.NotificationId, m.To, m.Body, m.Status, m.CreatedAt)).ToListAsync(ct);
        return new PagedResult<SmsRow>(rows.Select(r => r with { To = Mask(r.To, NotificationChannel.Sms) }).ToList(), page.Page, page.PageSize, total);
    }

    /// <summary>The notifications of an order: for its buyer, the event's owner and Admins; anyone else gets "not found".</summary>
    public async Task<IReadOnlyList<OrderNotificationStatus>> ForOrderAsync(Guid orderId, Guid userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId)
            .Select(o => new { o.UserId, OwnerId = db.Events.Where(e => e.Id == o.EventId).Select(e => e.OwnerId).FirstOrDefault() })
            .FirstOrDefaultAsync(ct);
        if (order is null || (!isAdmin && order.UserId != userId && order.OwnerId != userId))
            throw new NotFoundException(localizer["Error.not_found"]);
        var rows = await db.Notifications.AsNoTracking().Where(n => n.OrderId == orderId).ToListAsync(ct);
        return rows.OrderBy(n => n.CreatedAt).Select(n => new OrderNotificationStatus(n.Id, n.Kind, n.Channel, n.Status, n.Attempts,
            n.CreatedAt, n.SentAt, n.Status is NotificationStatus.Pending ? n.NextAttemptAt : null)).ToList();
    }

    /// <summary>The delivery state of an order's confirmation (null: none yet). Shows no personal data.</summary>
    public async Task<NotificationStatus?> ConfirmationStatusAsync(Guid orderId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Notifications.AsNoTracking().Where(n => n.OrderId == orderId && n.Kind == NotificationKind.OrderConfirmed)
            .Select(n => (NotificationStatus?)n.Status).FirstOrDefaultAsync(ct);
    }

    /// <summary>"j•••@example.com", "+33•••••••78".</summary>
    public static string Mask(string recipient, NotificationChannel channel)
    {
        if (string.IsNullOrEmpty(recipient)) return "";
        if (channel == NotificationChannel.Sms || !recipient.Contains('@'))
            return recipient.Length <= 5 ? new string('•', recipient.Length) : recipient[..3] + new string('•', recipient.Length - 5) + recipient[^2..];
        var at = recipient.IndexOf('@');
        return (at <= 1 ? "•" : recipient[..1] + "•••") + recipient[at..];
    }
}
