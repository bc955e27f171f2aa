using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Webhooks;

/// <summary>An organizer's webhook endpoints: created (secret shown once), listed with their deliveries, tested, disabled. Owner or Admin only.</summary>
public sealed class WebhookService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    KeyEncryption kek,
    IOptions<WebhookOptions> options,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<WebhookService> logger)
{
    public async Task<CreatedWebhookDto> CreateAsync(Actor actor, CreateWebhookRequest? request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        var url = request.Url?.Trim();
        if (string.IsNullOrEmpty(url)) v.Add("url", "Validation.Required");
        else if (!IsAcceptableUrl(url, options.Value)) v.Add("url", "Webhooks.Validation.Url");
        else v.Require(url.Length <= WebhookSubscription.UrlMaxLength, "url", "Validation.MaxLength", WebhookSubscription.UrlMaxLength);
        var events = (request.Events ?? []).Select(e => e?.Trim().ToLowerInvariant() ?? "").Distinct().ToList();
        v.Require(events.All(WebhookEventTypes.All.Contains), "events", "Webhooks.Validation.Events", string.Join(", ", WebhookEventTypes.All));
        var description = v.Text("description", request.Description, WebhookSubscription.DescriptionMaxLength);
        v.ThrowIfInvalid();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var count = await db.WebhookSubscriptions.CountAsync(s => s.OwnerId == actor.UserId && s.DisabledAt == null, ct);
        if (count >= options.Value.MaxSubscriptionsPerOwner)
            throw new RequestValidationException(v.Add("url", "Webhooks.Validation.TooMany", options.Value.MaxSubscriptionsPerOwner).Errors);

        var now = clock.GetUtcNow();
        var secret = "whsec_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var subscription = new WebhookSubscription
        {
            Id = Guid.CreateVersion7(), OwnerId = actor.UserId, Url = url!, Description = description,
            Events = string.Join(',', events.Count == 0 ? WebhookEventTypes.All : events),
            CreatedAt = now, ScannedUntil = now,
        };
        subscription.SecretEncrypted = kek.Encrypt(Encoding.UTF8.GetBytes(secret), Purpose(subscription.Id));
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Webhook {WebhookId} created by {UserId} for {Events}", subscription.Id, actor.UserId, subscription.Events);
        return new CreatedWebhookDto(ToDto(subscription, 0, 0, null), secret);
    }

    public async Task<IReadOnlyList<WebhookDto>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.OwnerId == actor.UserId)
            .OrderByDescending(s => s.CreatedAt)
            .Select(s => new
            {
                S = s,
                Pending = db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.Status == WebhookDeliveryStatus.Pending),
                Failed = db.WebhookDeliveries.Count(d => d.SubscriptionId == s.Id && d.Status == WebhookDeliveryStatus.Failed),
                Last = db.WebhookDeliveries.Where(d => d.SubscriptionId == s.Id && d.DeliveredAt != null).Max(d => d.DeliveredAt),
            })
            .ToListAsync(ct);
        return rows.Select(r => ToDto(r.S, r.Pending, r.Failed, r.Last)).ToList();
    }

    public async Task<PagedResult<WebhookDeliveryDto>> DeliveriesAsync(Guid id, Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedAsync(db, id, actor, ct);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        return new PagedResult<WebhookDeliveryDto>(items.Select(ToDto).ToList(), page.Page, page.PageSize, total);
    }

    /// <summary>A <c>webhook.test</c> delivery, sent by the next dispatch like any other.</summary>
    public async Task<WebhookDeliveryDto> TestAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subscription = await OwnedAsync(db, id, actor, ct);
        if (subscription.DisabledAt is not null) throw new DomainException(ErrorCodes.WebhookDisabled, localizer["Error.webhook_disabled"]);
        var now = clock.GetUtcNow();
        var delivery = WebhookPayloads.Delivery(subscription.Id, "webhook.test", $"webhook.test:{Guid.CreateVersion7():N}", now,
            new { webhookId = subscription.Id, message = "Ticketing webhook test" });
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(ct);
        return ToDto(delivery);
    }

    /// <summary>Sends a delivery again at the next dispatch (a failed one gets a fresh set of attempts).</summary>
    public async Task<WebhookDeliveryDto> RetryAsync(Guid id, Guid deliveryId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedAsync(db, id, actor, ct);
        var now = clock.GetUtcNow();
        var changed = await db.WebhookDeliveries.Where(d => d.Id == deliveryId && d.SubscriptionId == id && d.Status != WebhookDeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.Attempts, 0)
                .SetProperty(d => d.NextAttemptAt, now), ct);
        var delivery = await db.WebhookDeliveries.AsNoTracking().FirstOrDefaultAsync(d => d.Id == deliveryId && d.SubscriptionId == id, ct)
            ?? throw new NotFoundException();
        if (changed == 1) logger.LogInformation("Webhook delivery {DeliveryId} queued again by {UserId}", deliveryId, actor.UserId);
        return ToDto(delivery);
    }

    /// <summary>Stops deliveries: nothing new is recorded and pending ones are not sent. The history stays.</summary>
    public async Task DisableAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await OwnedAsync(db, id, actor, ct);
        var now = clock.GetUtcNow();
        await db.WebhookSubscriptions.Where(s => s.Id == id && s.DisabledAt == null).ExecuteUpdateAsync(s => s.SetProperty(x => x.DisabledAt, now), ct);
        logger.LogInformation("Webhook {WebhookId} disabled by {UserId}", id, actor.UserId);
    }

    internal static string Purpose(Guid subscriptionId) => $"webhook-secret:{subscriptionId:N}";

    /// <summary>An absolute https URL (http when allowed) without credentials; a literal private address only when allowed.</summary>
    public static bool IsAcceptableUrl(string url, WebhookOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme != Uri.UriSchemeHttps && !(options.AllowHttp && uri.Scheme == Uri.UriSchemeHttp)) return false;
        if (!string.IsNullOrEmpty(uri.UserInfo) || !string.IsNullOrEmpty(uri.Fragment)) return false;
        if (options.AllowPrivateNetworks) return true;
        if (uri.IsLoopback || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return false;
        return !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) || WebhookNetwork.IsPublic(ip);
    }

    private async Task<WebhookSubscription> OwnedAsync(TicketingDbContext db, Guid id, Actor actor, CancellationToken ct) =>
        // Another organizer's endpoint does not exist for them (404), as for events.
        await db.WebhookSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && (s.OwnerId == actor.UserId || actor.IsAdmin), ct)
            ?? throw new NotFoundException();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static WebhookDto ToDto(WebhookSubscription s, int pending, int failed, DateTimeOffset? last) =>
        new(s.Id, s.Url, s.Description, s.EventList, s.CreatedAt, s.DisabledAt is not null, pending, failed, last);

    private static WebhookDeliveryDto ToDto(WebhookDelivery d) =>
        new(d.Id, d.EventType, d.Status.ToString(), d.Attempts, d.CreatedAt, d.DeliveredAt, d.NextAttemptAt, d.LastStatusCode, d.LastError);
}
