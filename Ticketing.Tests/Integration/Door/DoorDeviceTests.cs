using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Door;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Door;

/// <summary>
/// Door devices: a token that scans one event's tickets and nothing else, revoked at once; TK2 codes checked with Ed25519
/// (forged and altered codes refused, TK1 codes still valid); offline scans reconciled as one admission plus conflicts.
/// </summary>
public abstract class DoorDeviceTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Sale(TestEvent Event, List<Guid> TicketIds, List<string> Codes);

    private async Task<Sale> SellAsync(Guid ownerId, int tickets, string title = "Door gala")
    {
        var ev = await Event(app).OwnedBy(ownerId).Titled(title).WithCategory("Fosse", 3000, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, tickets)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var ids = paid.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        var codes = new List<string>();
        foreach (var id in ids)
            codes.Add((await (await buyer.GetAsync($"/api/tickets/{id}")).ReadJsonAsync()).GetProperty("code").GetString()!);
        return new Sale(ev, ids, codes);
    }

    private async Task<(Guid Id, string Token, HttpClient Client)> DeviceAsync(HttpClient owner, Guid eventId, string name = "Gate A phone")
    {
        var created = await (await owner.PostAsJsonAsync($"/api/events/{eventId}/door-devices", new { name, gate = "A" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var token = created.GetProperty("token").GetString()!;
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", token);
        return (created.GetProperty("id").GetGuid(), token, client);
    }

    private static async Task<string> ScanAsync(HttpClient client, string code) =>
        (await (await client.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString()!;

    [Fact]
    public async Task ADevice_ScansItsEventsTicketsOnly_AndTheAdmissionRecordsTheDevice()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var mine = await SellAsync(ownerId, 2);
        var other = await SellAsync(ownerId, 1, "Other show of the same organizer");
        var created = await (await owner.PostAsJsonAsync($"/api/events/{mine.Event.EventId}/door-devices", new { name = "Phone 1" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var token = created.GetProperty("token").GetString()!;
        Assert.StartsWith(DoorDeviceService.TokenPrefix, token);
        Assert.EndsWith("/door/device#token=" + token, created.GetProperty("url").GetString());
        var device = app.CreateClient();
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", token);
        var deviceId = created.GetProperty("id").GetGuid();

        Assert.StartsWith("TK2.", mine.Codes[0]);
        Assert.Equal("Admitted", await ScanAsync(device, mine.Codes[0]));
        Assert.Equal("AlreadyUsed", await ScanAsync(device, mine.Codes[0]));
        Assert.Equal("Invalid", await ScanAsync(device, other.Codes[0]));

        var stored = await QueryAsync(app, db => db.DoorDevices.AsNoTracking().SingleAsync());
        Assert.Equal(DoorDeviceService.Hash(token), stored.TokenHash);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(stored));
        Assert.Equal(deviceId, (await QueryAsync(app, db => db.Tickets.SingleAsync(t => t.Id == mine.TicketIds[0]))).AdmittedByDeviceId);
        Assert.Equal(TicketStatus.Valid, (await QueryAsync(app, db => db.Tickets.SingleAsync(t => t.Id == other.TicketIds[0]))).Status);

        var list = await (await owner.GetAsync($"/api/events/{mine.Event.EventId}/door-devices")).ReadJsonAsync();
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(1, row.GetProperty("admitted").GetInt32());
        Assert.Equal(JsonValueKind.String, row.GetProperty("lastSeenAt").ValueKind);
        Assert.False(row.TryGetProperty("token", out _));

        var bundle = await (await device.GetAsync("/api/door/device/bundle")).ReadJsonAsync();
        Assert.Equal(mine.Event.EventId, bundle.GetProperty("eventId").GetGuid());
        Assert.Equal(2, bundle.GetProperty("tickets").GetArrayLength());
        Assert.Equal(32, Convert.FromBase64String(bundle.GetProperty("publicKey").GetString()!.Replace('-', '+').Replace('_', '/') + "=").Length);
    }

    [Fact]
    public async Task ADeviceToken_Answers403_OnEveryOtherEndpoint_AndOnAnotherEventsDevices()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var mine = await SellAsync(ownerId, 1);
        var other = await SellAsync(ownerId, 1, "Another event");
        var (_, _, device) = await DeviceAsync(owner, mine.Event.EventId);

        foreach (var path in new[]
                 {
                     "/api/tickets", $"/api/tickets/{mine.TicketIds[0]}", $"/api/events/{mine.Event.EventId}/sales",
                     $"/api/events/{mine.Event.EventId}/attendees", $"/api/events/{mine.Event.EventId}/door-devices",
                     $"/api/events/{other.Event.EventId}/door-devices", "/api/auth/me", "/api/events", "/api/users",
                 })
            await (await device.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await device.PostAsJsonAsync($"/api/events/{other.Event.EventId}/door-devices", new { name = "sneaky" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await device.PostAsJsonAsync("/api/orders", Hold(mine.Event, 1))).AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await device.PostAsync($"/api/events/{mine.Event.EventId}/cancel", null)).AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.Equal(0, await QueryAsync(app, db => db.Orders.CountAsync(o => o.Status == Ticketing.Core.Orders.OrderStatus.Reserved)));

        // Only the owner (or an Admin) manages an event's devices; a person's token is no device for the device endpoints.
        var (stranger, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await (await stranger.PostAsJsonAsync($"/api/events/{mine.Event.EventId}/door-devices", new { name = "x" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await (await stranger.GetAsync($"/api/events/{mine.Event.EventId}/door-devices")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await owner.GetAsync("/api/door/device/bundle")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var admin = await app.AdminClientAsync();
        (await admin.PostAsJsonAsync($"/api/events/{mine.Event.EventId}/door-devices", new { name = "Admin's phone" })).EnsureSuccessStatusCode();
        await (await owner.PostAsJsonAsync($"/api/events/{mine.Event.EventId}/door-devices", new { name = " " }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.Validation);
        await (await owner.PostAsJsonAsync($"/api/events/{mine.Event.EventId}/door-devices", new { name = "x", performanceIds = new[] { other.Event.PerformanceId } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.Validation);
    }

    [Fact]
    public async Task RevokingADevice_RefusesItsTokenAtOnce_Everywhere()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var sale = await SellAsync(ownerId, 2);
        var (deviceId, _, device) = await DeviceAsync(owner, sale.Event.EventId);
        Assert.Equal("Admitted", await ScanAsync(device, sale.Codes[0]));
        (await device.GetAsync("/api/door/device/bundle")).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/events/{sale.Event.EventId}/door-devices/{deviceId}")).StatusCode);

        await (await device.GetAsync("/api/door/device/bundle")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await device.PostAsJsonAsync("/api/door/device/sync", new { scans = new[] { new { ticketId = sale.TicketIds[1] } } }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await device.PostAsJsonAsync("/api/checkin", new { code = sale.Codes[1] })).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await device.GetAsync("/api/tickets")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(TicketStatus.Valid, (await QueryAsync(app, db => db.Tickets.SingleAsync(t => t.Id == sale.TicketIds[1]))).Status);
        var row = Assert.Single((await (await owner.GetAsync($"/api/events/{sale.Event.EventId}/door-devices")).ReadJsonAsync()).EnumerateArray());
        Assert.Equal(JsonValueKind.String, row.GetProperty("revokedAt").ValueKind);
        // Another event's owner cannot revoke it; an unknown device is 404.
        await (await owner.DeleteAsync($"/api/events/{sale.Event.EventId}/door-devices/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task TwentyParallelSyncs_FromTwoDevices_OfOneTicket_AdmitItOnce_AndTheOtherDevicesScansAreConflicts()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var sale = await SellAsync(ownerId, 1);
        var a = await DeviceAsync(owner, sale.Event.EventId, "North");
        var b = await DeviceAsync(owner, sale.Event.EventId, "South");
        var ticketId = sale.TicketIds[0];
        var scannedAt = app.Clock.GetUtcNow().AddMinutes(-5);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            var device = i % 2 == 0 ? a : b;
            var body = await (await device.Client.PostAsJsonAsync("/api/door/device/sync",
                new { scans = new[] { new { ticketId, scannedAt = scannedAt.AddSeconds(i), offline = true } } })).ReadJsonAsync();
            return (Device: device.Id, Result: body.GetProperty("results")[0].GetProperty("result").GetString()!);
        }));

        Assert.Single(answers, x => x.Result == "Admitted");
        var winner = answers.Single(x => x.Result == "Admitted").Device;
        Assert.All(answers.Where(x => x.Device == winner), x => Assert.Contains(x.Result, new[] { "Admitted", "Duplicate" }));
        Assert.All(answers.Where(x => x.Device != winner), x => Assert.Equal("Conflict", x.Result));
        var ticket = await QueryAsync(app, db => db.Tickets.SingleAsync(t => t.Id == ticketId));
        Assert.Equal((TicketStatus.Used, winner), (ticket.Status, ticket.AdmittedByDeviceId));
        var list = (await (await owner.GetAsync($"/api/events/{sale.Event.EventId}/door-devices")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(10, list.Single(d => d.GetProperty("id").GetGuid() != winner).GetProperty("conflicts").GetInt32());
        Assert.Equal(0, list.Single(d => d.GetProperty("id").GetGuid() == winner).GetProperty("conflicts").GetInt32());
        Assert.Equal(1, list.Single(d => d.GetProperty("id").GetGuid() == winner).GetProperty("admitted").GetInt32());
    }

    [Fact]
    public async Task AVoidedTicket_ScansAsVoided_OnlineInTheBundleAndInASync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var sale = await SellAsync(ownerId, 2);
        var (_, _, device) = await DeviceAsync(owner, sale.Event.EventId);
        var voided = sale.TicketIds[0];
        await QueryAsync(app, db => db.Tickets.Where(t => t.Id == voided)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Voided)));

        var bundle = await (await device.GetAsync("/api/door/device/bundle")).ReadJsonAsync();
        Assert.Equal("Voided", bundle.GetProperty("tickets").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == voided).GetProperty("status").GetString());
        Assert.Equal("Voided", await ScanAsync(device, sale.Codes[0]));
        var sync = await (await device.PostAsJsonAsync("/api/door/device/sync", new
        {
            scans = new object[] { new { ticketId = voided }, new { ticketId = sale.TicketIds[1] }, new { ticketId = Guid.NewGuid() } },
        })).ReadJsonAsync();
        Assert.Equal(new[] { "Voided", "Admitted", "Invalid" }, sync.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("result").GetString()!).ToArray());
        Assert.Equal(1, sync.GetProperty("admitted").GetInt32());
    }

    [Fact]
    public async Task ForgedAndAlteredTk2Codes_AreInvalid_AndTk1CodesStayValid()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var sale = await SellAsync(ownerId, 3);
        var (_, _, device) = await DeviceAsync(owner, sale.Event.EventId);

        using var forger = Key.Create(SignatureAlgorithm.Ed25519);
        var forged = Ed25519TicketCode.Sign(forger, sale.TicketIds[0], sale.Event.PerformanceId);
        Assert.Equal("Invalid", await ScanAsync(device, forged));
        Assert.Equal("Invalid", await ScanAsync(owner, forged));
        var code = sale.Codes[1];
        var altered = code[..10] + (code[10] == 'A' ? 'B' : 'A') + code[11..];
        Assert.Equal("Invalid", await ScanAsync(device, altered));
        Assert.Equal(0, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.Status == TicketStatus.Used)));

        await using var scope = app.Services.CreateAsyncScope();
        var hmacKey = await scope.ServiceProvider.GetRequiredService<SecretStore>().GetOrCreateKeyAsync("ticket-signing-key", null);
        var tk1 = TicketCodeSigner.Sign(hmacKey, sale.TicketIds[2], sale.Event.PerformanceId);
        Assert.Equal("Admitted", await ScanAsync(device, tk1));
        Assert.Equal("Admitted", await ScanAsync(owner, code));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDoorDeviceTests(SqliteApp app) : DoorDeviceTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDoorDeviceTests(PostgresApp app) : DoorDeviceTests(app);
