using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Receipts;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Webhooks;

/// <summary>
/// Turns what happened into deliveries, then sends them (a Quartz job every 10 s). The facts are read from the
/// records the sale already writes in its own transaction — receipts (paid), credit notes (refunded), tickets' use
/// (checked in) — so the purchase and door paths are not touched. Each scan looks back
/// <see cref="WebhookOptions.LookbackMinutes"/> before the last one; the unique (subscription, event key) index makes a
/// second sighting add nothing, on one instance or several. Sending claims a delivery with a conditional update.
/// </summary>
public sealed class WebhookDispatcher(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IHttpClientFactory httpClients,
    KeyEncryption kek,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookDispatcher> logger)
{
    public const string HttpClientName = "webhooks";
    private const int ScanBatch = 500;
    private const int SendBatch = 50;

    public async Task<(int Recorded, int Delivered, int Failed)> RunOnceAsync(CancellationToken ct = default)
    {
        var recorded = await RecordAsync(ct);
        var (delivered, failed) = await SendAsync(ct);
        return (recorded, delivered, failed);
    }

    /// <summary>Records a delivery for every new fact of every enabled subscription; returns how many were added.</summary>
    public async Task<int> RecordAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.DisabledAt == null).ToListAsync(ct);
        var added = 0;
        foreach (var s in subscriptions)
        {
            try { added += await RecordAsync(s, ct); }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another instance recorded the same facts meanwhile: the next scan finds them there.
                logger.LogDebug("Webhook {WebhookId}: deliveries recorded concurrently elsewhere", s.Id);
            }
        }
        return added;
    }

    private async Task<int> RecordAsync(WebhookSubscription listed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One recorder per subscription at a time: the first statement writes the subscription's row, so a second
        // instance waits here until this one commits, then finds the deliveries already there. Without it, two
        // instances inserting the same facts in different orders deadlocked on the unique index (PostgreSQL 40P01).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var locked = await db.WebhookSubscriptions.Where(x => x.Id == listed.Id && x.DisabledAt == null)
            .ExecuteUpdateAsync(x => x.SetProperty(v => v.ScannedUntil, v => v.ScannedUntil), ct);
        if (locked == 0) return 0; // disabled or deleted meanwhile
        var s = await db.WebhookSubscriptions.AsNoTracking().SingleAsync(x => x.Id == listed.Id, ct);
        var now = clock.GetUtcNow();
        var since = s.ScannedUntil - TimeSpan.FromMinutes(options.Value.LookbackMinutes);
        if (since < s.CreatedAt) since = s.CreatedAt;
        var until = now;
        var types = s.EventList;
        var facts = new List<WebhookDelivery>();

        if (types.Contains(WebhookEventTypes.OrderPaid) || types.Contains(WebhookEventTypes.OrderRefunded))
        {
            var receipts = await (from r in db.Receipts.AsNoTracking()
                                  join o in db.Orders.AsNoTracking() on r.OrderId equals o.Id
                                  where r.OrganizerId == s.OwnerId && r.IssuedAt >= since && r.IssuedAt <= until
                                  orderby r.IssuedAt
                                  select new { r.Id, r.Kind, r.Number, r.CorrectsNumber, r.OrderId, r.EventId, o.PerformanceId, r.TotalMinor, r.VatMinor, r.Currency,
                                      r.BuyerName, r.Method, r.IssuedAt, OrderStatus = o.Status })
                .Take(ScanBatch).ToListAsync(ct);
            if (receipts.Count == ScanBatch) until = receipts[^1].IssuedAt;
            foreach (var r in receipts)
            {
                var paid = r.Kind == ReceiptKind.Receipt;
                var type = paid ? WebhookEventTypes.OrderPaid : WebhookEventTypes.OrderRefunded;
                if (!types.Contains(type)) continue;
                facts.Add(WebhookPayloads.Delivery(s.Id, type, $"{type}:{r.Id:N}", r.IssuedAt, paid
                    ? new { orderId = r.OrderId, eventId = r.EventId, performanceId = r.PerformanceId, receiptNumber = r.Number,
                        amount = Money.ToDecimal(r.TotalMinor), vat = Money.ToDecimal(r.VatMinor), currency = r.Currency, buyerName = r.BuyerName,
                        method = r.Method, paidAt = r.IssuedAt }
                    : new { orderId = r.OrderId, eventId = r.EventId, performanceId = r.PerformanceId, creditNoteNumber = r.Number,
                        receiptNumber = r.CorrectsNumber, amount = Money.ToDecimal(r.TotalMinor), currency = r.Currency,
                        orderStatus = r.OrderStatus.ToString(), refundedAt = r.IssuedAt }));
            }
        }

        if (types.Contains(WebhookEventTypes.TicketCheckedIn))
        {
            var scans = await (from t in db.Tickets.AsNoTracking()
                               join e in db.Events.AsNoTracking() on t.EventId equals e.Id
                               where e.OwnerId == s.OwnerId && t.AdmissionRecordedAt != null && t.AdmissionRecordedAt >= since && t.AdmissionRecordedAt <= until
                               orderby t.AdmissionRecordedAt
                               select new { t.Id, t.Number, t.EventId, t.PerformanceId, t.CategoryName, t.HolderName, t.UsedAt, t.AdmissionRecordedAt, t.AdmittedByDeviceId,
                                   t.SeatSection, t.SeatRow, t.SeatLabel })
                .Take(ScanBatch).ToListAsync(ct);
            if (scans.Count == ScanBatch && scans[^1].AdmissionRecordedAt < until) until = scans[^1].AdmissionRecordedAt!.Value;
            facts.AddRange(scans.Select(t => WebhookPayloads.Delivery(s.Id, WebhookEventTypes.TicketCheckedIn, $"{WebhookEventTypes.TicketCheckedIn}:{t.Id:N}",
                t.UsedAt!.Value, new
                {
                    ticketId = t.Id, ticketNumber = t.Number, eventId = t.EventId, performanceId = t.PerformanceId, category = t.CategoryName,
                    holderName = t.HolderName, checkedInAt = t.UsedAt, doorDeviceId = t.AdmittedByDeviceId,
                    seat = t.SeatLabel is null ? null : new { section = t.SeatSection, row = t.SeatRow, label = t.SeatLabel },
                })));
        }

        var keys = facts.Select(f => f.EventKey).ToList();
        var known = keys.Count == 0 ? [] : await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.SubscriptionId == s.Id && keys.Contains(d.EventKey)).Select(d => d.EventKey).ToListAsync(ct);
        var fresh = facts.Where(f => !known.Contains(f.EventKey)).ToList();
        db.WebhookDeliveries.AddRange(fresh);
        await db.SaveChangesAsync(ct);
        await db.WebhookSubscriptions.Where(x => x.Id == s.Id && x.ScannedUntil < until)
            .ExecuteUpdateAsync(x => x.SetProperty(v => v.ScannedUntil, until), ct);
        await tx.CommitAsync(ct);
        if (fresh.Count > 0) logger.LogInformation("Webhook {WebhookId}: {Count} deliveries recorded", s.Id, fresh.Count);
        return fresh.Count;
    }

    /// <summary>Sends the due deliveries of enabled subscriptions, each claimed by one instance.</summary>
    public async Task<(int Delivered, int Failed)> SendAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var due = await (from d in db.WebhookDeliveries.AsNoTracking()
                         join s in db.WebhookSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
                         where d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LockedUntil == null || d.LockedUntil < now)
                               && s.DisabledAt == null
                         orderby d.NextAttemptAt
                         select new { Delivery = d, s.Url, s.SecretEncrypted })
            .Take(SendBatch).ToListAsync(ct);
        int delivered = 0, failed = 0;
        foreach (var item in due)
        {
            var d = item.Delivery;
            var lease = now.AddSeconds(options.Value.TimeoutSeconds * 3);
            var claimed = await db.WebhookDeliveries
                .Where(x => x.Id == d.Id && x.Status == WebhookDeliveryStatus.Pending && (x.LockedUntil == null || x.LockedUntil < now))
                .ExecuteUpdateAsync(x => x.SetProperty(v => v.LockedUntil, lease), ct);
            if (claimed != 1) continue;
            var secret = kek.Decrypt(item.SecretEncrypted, WebhookService.Purpose(d.SubscriptionId));
            var (ok, status, error) = await PostAsync(item.Url, secret, d, ct);
            var attempts = d.Attempts + 1;
            var at = clock.GetUtcNow();
            if (ok)
            {
                delivered++;
                await db.WebhookDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(x => x
                    .SetProperty(v => v.Status, WebhookDeliveryStatus.Delivered).SetProperty(v => v.Attempts, attempts)
                    .SetProperty(v => v.DeliveredAt, at).SetProperty(v => v.LastStatusCode, status).SetProperty(v => v.LastError, (string?)null)
                    .SetProperty(v => v.LockedUntil, (DateTimeOffset?)null), ct);
                continue;
            }
            var giveUp = attempts >= options.Value.MaxAttempts;
            if (giveUp) failed++;
            await db.WebhookDeliveries.Where(x => x.Id == d.Id).ExecuteUpdateAsync(x => x
                .SetProperty(v => v.Status, giveUp ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending).SetProperty(v => v.Attempts, attempts)
                .SetProperty(v => v.NextAttemptAt, at + WebhookOptions.Backoff(attempts)).SetProperty(v => v.LastStatusCode, status)
                .SetProperty(v => v.LastError, error).SetProperty(v => v.LockedUntil, (DateTimeOffset?)null), ct);
            logger.LogWarning("Webhook delivery {DeliveryId} ({EventType}) attempt {Attempt} failed: {Status} {Error}{GaveUp}",
                d.Id, d.EventType, attempts, status, error, giveUp ? " — gave up" : "");
        }
        return (delivered, failed);
    }

    /// <summary>
    /// <c>Ticketing-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>, as Stripe signs: the receiver
    /// recomputes it with its secret and refuses an old timestamp.
    /// </summary>
    public static string Signature(byte[] secret, long timestamp, string body)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private async Task<(bool Ok, int? Status, string? Error)> PostAsync(string url, byte[] secret, WebhookDelivery d, CancellationToken ct)
    {
        try
        {
            var http = httpClients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent(d.Payload, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add("Ticketing-Signature", Signature(secret, clock.GetUtcNow().ToUnixTimeSeconds(), d.Payload));
            request.Headers.Add("Ticketing-Event", d.EventType);
            request.Headers.Add("Ticketing-Delivery", d.Id.ToString());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (true, status, null) : (false, status, $"HTTP {status}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            var message = e is HttpRequestException ? e.Message : "timed out";
            return (false, null, message.Length > 500 ? message[..500] : message);
        }
    }
}
