using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Core.Webhooks;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Webhooks;

public sealed class WebhookSqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => WebhookTests.Settings;
}

public sealed class WebhookPostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => WebhookTests.Settings;
}

/// <summary>
/// Issue 25 item 6: an organizer's endpoint (a real HTTP server on a socket) gets order.paid, order.refunded and
/// ticket.checked_in once each, signed with its secret; a failing receiver is retried; dispatchers racing on several
/// instances deliver each event once; another organizer sees nothing of it.
/// </summary>
public abstract class WebhookTests(TicketingApp app) : IAsyncLifetime
{
    // The receiver listens on loopback over http: allowed here only (production: https and public addresses).
    internal static readonly Dictionary<string, string?> Settings = new() { ["Webhooks:AllowHttp"] = "true", ["Webhooks:AllowPrivateNetworks"] = "true" };

    private Receiver _receiver = null!;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        _receiver = await Receiver.StartAsync();
    }

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private WebhookDispatcher Dispatcher => app.Services.GetRequiredService<WebhookDispatcher>();

    private async Task<(HttpClient Owner, TestEvent Event, string Secret, Guid WebhookId)> SubscribedAsync(object? events = null)
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).SaveAsync();
        var created = await (await owner.PostAsJsonAsync("/api/webhooks", new { url = _receiver.Url, events, description = "CRM" })).ReadJsonAsync(HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        return (owner, ev, secret, created.GetProperty("webhook").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task PaidRefundedAndCheckedIn_ArriveOnceEach_SignedWithTheSecret()
    {
        var (owner, ev, secret, webhookId) = await SubscribedAsync();
        var (fan, _, _) = await app.CreateUserClientAsync(displayName: "Léa <b>Fan</b>");
        var hold = await HoldAsync(fan, ev, 2);
        var orderId = hold.GetProperty("id").GetGuid();
        var paid = await (await fan.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var tickets = paid.GetProperty("tickets").EnumerateArray().ToList();
        (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[0].GetProperty("id").GetGuid() } })).EnsureSuccessStatusCode();
        var scan = await (await owner.PostAsJsonAsync("/api/checkin", new { code = tickets[1].GetProperty("number").GetString() })).ReadJsonAsync();
        Assert.Equal("Admitted", scan.GetProperty("result").GetString());

        await Dispatcher.RunOnceAsync();
        await Dispatcher.RunOnceAsync(); // a second scan of the same facts adds nothing

        var received = _receiver.Requests.ToList();
        Assert.Equal(["order.paid", "order.refunded", "ticket.checked_in"], received.Select(r => r.Event).Order().ToArray());
        foreach (var r in received)
        {
            Assert.True(SignatureIsValid(r.Signature, r.Body, secret), $"signature of {r.Event}");
            Assert.False(SignatureIsValid(r.Signature, r.Body, secret + "x"));
            var body = JsonDocument.Parse(r.Body).RootElement;
            Assert.Equal(r.Event, body.GetProperty("type").GetString());
            Assert.Equal(r.Delivery, body.GetProperty("id").GetString());
        }
        var paidBody = JsonDocument.Parse(received.Single(r => r.Event == "order.paid").Body).RootElement.GetProperty("data");
        Assert.Equal(orderId, paidBody.GetProperty("orderId").GetGuid());
        Assert.Equal(60m, paidBody.GetProperty("amount").GetDecimal());
        Assert.Equal("Léa <b>Fan</b>", paidBody.GetProperty("buyerName").GetString()); // JSON-encoded, as typed
        var refunded = JsonDocument.Parse(received.Single(r => r.Event == "order.refunded").Body).RootElement.GetProperty("data");
        Assert.Equal(30m, refunded.GetProperty("amount").GetDecimal());
        Assert.Equal("PartiallyRefunded", refunded.GetProperty("orderStatus").GetString());
        var checkedIn = JsonDocument.Parse(received.Single(r => r.Event == "ticket.checked_in").Body).RootElement.GetProperty("data");
        Assert.Equal(tickets[1].GetProperty("id").GetGuid(), checkedIn.GetProperty("ticketId").GetGuid());

        var list = await (await owner.GetAsync("/api/webhooks")).ReadJsonAsync();
        Assert.Equal(0, list[0].GetProperty("pending").GetInt32());
        var deliveries = await (await owner.GetAsync($"/api/webhooks/{webhookId}/deliveries")).ReadJsonAsync();
        Assert.Equal(3, deliveries.GetProperty("totalCount").GetInt32());
        Assert.All(deliveries.GetProperty("items").EnumerateArray(), d => Assert.Equal("Delivered", d.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AnOfflineScanSyncedLongAfterTheHolderCameIn_IsStillSent_WithTheTimeOfTheScan()
    {
        var (owner, ev, _, webhookId) = await SubscribedAsync(new[] { "ticket.checked_in" });
        var (fan, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(fan, ev, 1)).GetProperty("id").GetGuid();
        var ticketId = (await (await fan.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync())
            .GetProperty("tickets")[0].GetProperty("id").GetGuid();
        // The endpoint has existed for an hour and the dispatcher has scanned up to now.
        await QueryAsync(app, db => db.WebhookSubscriptions.Where(w => w.Id == webhookId)
            .ExecuteUpdateAsync(u => u.SetProperty(w => w.ScannedUntil, DateTimeOffset.UtcNow.AddHours(-1)).SetProperty(w => w.CreatedAt, DateTimeOffset.UtcNow.AddHours(-1))));
        await Dispatcher.RunOnceAsync();
        Assert.Empty(_receiver.Requests);

        // A door phone without network admitted the holder 40 minutes ago (beyond the scan's look-back) and syncs now.
        var device = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/door-devices", new { name = "Gate B phone" })).ReadJsonAsync(HttpStatusCode.Created);
        var door = app.CreateClient();
        door.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Device", device.GetProperty("token").GetString());
        var scannedAt = DateTimeOffset.UtcNow.AddMinutes(-40);
        var sync = await (await door.PostAsJsonAsync("/api/door/device/sync", new { scans = new[] { new { ticketId, scannedAt, offline = true } } })).ReadJsonAsync();
        Assert.Equal(1, sync.GetProperty("admitted").GetInt32());

        await Dispatcher.RunOnceAsync();
        await Dispatcher.RunOnceAsync();

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("ticket.checked_in", request.Event);
        var data = JsonDocument.Parse(request.Body).RootElement.GetProperty("data");
        Assert.Equal(ticketId, data.GetProperty("ticketId").GetGuid());
        Assert.Equal(device.GetProperty("id").GetGuid(), data.GetProperty("doorDeviceId").GetGuid());
        Assert.True(Math.Abs((data.GetProperty("checkedInAt").GetDateTimeOffset() - scannedAt).TotalSeconds) < 1, "checkedInAt is when the holder came in");
    }

    [Fact]
    public async Task OnlyTheChosenEvents_AndOnlyWhatHappensAfterTheEndpointExists_AreSent()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).SaveAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        var before = (await HoldAsync(fan, ev, 1)).GetProperty("id").GetGuid();
        (await fan.PostAsJsonAsync($"/api/orders/{before}/payment", Card())).EnsureSuccessStatusCode();
        await Task.Delay(50);
        (await owner.PostAsJsonAsync("/api/webhooks", new { url = _receiver.Url, events = new[] { "ticket.checked_in" } })).EnsureSuccessStatusCode();
        var after = (await HoldAsync(fan, ev, 1)).GetProperty("id").GetGuid();
        var paid = await (await fan.PostAsJsonAsync($"/api/orders/{after}/payment", Card())).ReadJsonAsync();
        (await owner.PostAsJsonAsync("/api/checkin", new { code = paid.GetProperty("tickets")[0].GetProperty("number").GetString() })).EnsureSuccessStatusCode();

        await Dispatcher.RunOnceAsync();

        Assert.Equal(["ticket.checked_in"], _receiver.Requests.Select(r => r.Event).ToArray());
    }

    [Fact]
    public async Task AFailingReceiver_IsRetriedWithBackoff_AndTheDeliveryCanBeSentAgain()
    {
        var (owner, _, _, webhookId) = await SubscribedAsync();
        _receiver.Status = 500;
        (await owner.PostAsync($"/api/webhooks/{webhookId}/test", null)).EnsureSuccessStatusCode();
        await Dispatcher.RunOnceAsync();
        var delivery = await QueryAsync(app, db => db.WebhookDeliveries.SingleAsync(d => d.SubscriptionId == webhookId));
        Assert.Equal((WebhookDeliveryStatus.Pending, 1, 500), (delivery.Status, delivery.Attempts, delivery.LastStatusCode!.Value));
        Assert.True(delivery.NextAttemptAt > DateTimeOffset.UtcNow.AddSeconds(20), "the next attempt waits");
        await Dispatcher.RunOnceAsync();
        Assert.Single(_receiver.Requests); // not due yet

        // Due again (as 30 s later): the receiver now answers 204.
        _receiver.Status = 204;
        await QueryAsync(app, db => db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await Dispatcher.RunOnceAsync();
        Assert.Equal(2, _receiver.Requests.Count);
        Assert.Equal(_receiver.Requests.First().Body, _receiver.Requests.Last().Body); // the same bytes
        var done = await QueryAsync(app, db => db.WebhookDeliveries.SingleAsync(d => d.Id == delivery.Id));
        Assert.Equal((WebhookDeliveryStatus.Delivered, 2), (done.Status, done.Attempts));

        // "Send again" on a delivered one queues it once more.
        var again = await (await owner.PostAsync($"/api/webhooks/{webhookId}/deliveries/{delivery.Id}/retry", null)).ReadJsonAsync();
        Assert.Equal("Pending", again.GetProperty("status").GetString());
        await Dispatcher.RunOnceAsync();
        Assert.Equal(3, _receiver.Requests.Count);
    }

    [Fact]
    public async Task DispatchersRacingOnSeveralInstances_DeliverEachEventOnce()
    {
        var (_, ev, _, _) = await SubscribedAsync(new[] { "order.paid" });
        const int orders = 24;
        var fans = await Task.WhenAll(Enumerable.Range(0, orders).Select(_ => app.CreateUserClientAsync()));
        await Task.WhenAll(fans.Select(async f =>
        {
            var id = (await HoldAsync(f.Client, ev, 1)).GetProperty("id").GetGuid();
            (await f.Client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
        }));

        // Several instances record the same facts at once, over and over (they deadlocked on PostgreSQL before
        // recording took the subscription's row first: each inserted the same keys in its own order).
        for (var round = 0; round < 15; round++)
        {
            await QueryAsync(app, db => db.WebhookDeliveries.ExecuteDeleteAsync());
            var added = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Dispatcher.RecordAsync())));
            Assert.Equal(orders, added.Sum());
        }
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Dispatcher.RunOnceAsync())));
        await Dispatcher.RunOnceAsync();

        var paid = _receiver.Requests.Where(r => r.Event == "order.paid").ToList();
        Assert.Equal(orders, paid.Count);
        Assert.Equal(orders, paid.Select(r => r.Delivery).Distinct().Count());
        Assert.Equal(orders, paid.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("orderId").GetGuid()).Distinct().Count());
    }

    [Fact]
    public async Task AnotherOrganizer_SeesNothing_ACustomerIsForbidden_BadInputIs400_AndADisabledEndpointGetsNothing()
    {
        var (owner, ev, _, webhookId) = await SubscribedAsync();
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        Assert.Equal(0, (await (await other.GetAsync("/api/webhooks")).ReadJsonAsync()).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/webhooks/{webhookId}/deliveries")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/webhooks/{webhookId}/test", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
        var (customer, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/webhooks")).StatusCode);

        var bad = await (await owner.PostAsJsonAsync("/api/webhooks", new { url = "ftp://example.com/hook", events = new[] { "order.lost" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("url", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("events", out _));
        await (await owner.PostAsJsonAsync("/api/webhooks", new { url = "https://user:pw@example.com/hook" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await QueryAsync(app, db => db.WebhookSubscriptions.CountAsync()));

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/webhooks/{webhookId}")).StatusCode);
        var (fan, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(fan, ev, 1)).GetProperty("id").GetGuid();
        (await fan.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
        await Dispatcher.RunOnceAsync();
        Assert.Empty(_receiver.Requests);
        await (await owner.PostAsync($"/api/webhooks/{webhookId}/test", null)).AssertProblemAsync(HttpStatusCode.Conflict, "webhook_disabled");
    }

    internal static bool SignatureIsValid(string header, string body, string secret)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = WebhookDispatcher.Signature(Encoding.UTF8.GetBytes(secret), long.Parse(parts["t"]), body);
        return expected == header && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(parts["t"])) < 300;
    }

    /// <summary>An organizer's receiver: a real HTTP server on a loopback socket that records each POST.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<(string Event, string Delivery, string Signature, string Body)> Requests { get; } = new();
        public int Status { get; set; } = 200;
        public string Url { get; private set; } = "";

        private Receiver()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapPost("/hooks/ticketing", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                Requests.Enqueue((context.Request.Headers["Ticketing-Event"].ToString(), context.Request.Headers["Ticketing-Delivery"].ToString(),
                    context.Request.Headers["Ticketing-Signature"].ToString(), body));
                return Results.StatusCode(Status);
            });
        }

        public static async Task<Receiver> StartAsync()
        {
            var receiver = new Receiver();
            await receiver._app.StartAsync();
            var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            receiver.Url = address.TrimEnd('/') + "/hooks/ticketing";
            return receiver;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}

public sealed class SqliteWebhookTests(WebhookSqliteApp app) : WebhookTests(app), IClassFixture<WebhookSqliteApp>;

public sealed class PostgresWebhookTests(WebhookPostgresApp app) : WebhookTests(app), IClassFixture<WebhookPostgresApp>;
