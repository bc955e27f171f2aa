using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Guests;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Guests;

/// <summary>
/// <c>Idempotency-Key</c> on the guest checkout (issue 19 leftover): a phone that retries over a bad network gets its first
/// answer again (the same order, token and link), never a second hold; another body under the key is 409
/// idempotency_key_reused and writes nothing; the keys are the address's, so two guests never collide.
/// </summary>
public abstract class GuestIdempotencyTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewEmail() => $"guest-{Guid.NewGuid():N}@test.local";

    private static object GuestHold(TestEvent ev, string email, int quantity) => new
    {
        performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity } }, email, displayName = "Lou Guest",
    };

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private Task<int> OrdersOfAsync(string email)
    {
        var guest = GuestKey.For(GuestKey.Normalize(email));
        return QueryAsync(app, db => db.Orders.CountAsync(o => o.UserId == guest));
    }

    private Task<int> HeldAsync(TestEvent ev) => QueryAsync(app, db => db.Orders
        .Where(o => o.Status == OrderStatus.Reserved).SelectMany(o => o.Items).Where(i => i.CategoryId == ev.Categories[0].Id).SumAsync(i => i.Quantity));

    [Fact]
    public async Task SixteenParallelIdenticalKeyedGuestHolds_HoldOneOrder_AndEveryAnswerIsTheSame()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var email = NewEmail();
        var key = Guid.NewGuid().ToString();

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            var response = await SendAsync(app.CreateClient(), "/api/guest/orders", GuestHold(ev, email, 2), key);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        })).ToList();
        start.Release(16);
        var answers = await Task.WhenAll(running);

        Assert.All(answers, a => Assert.Equal(201, a.Item1));
        var first = JsonDocument.Parse(answers[0].Item2).RootElement;
        var (id, token, url) = (first.GetProperty("order").GetProperty("id").GetGuid(), first.GetProperty("accessToken").GetString(),
            first.GetProperty("orderUrl").GetString());
        Assert.All(answers, a =>
        {
            var body = JsonDocument.Parse(a.Item2).RootElement;
            Assert.Equal(id, body.GetProperty("order").GetProperty("id").GetGuid());
            Assert.Equal(token, body.GetProperty("accessToken").GetString());
            Assert.Equal(url, body.GetProperty("orderUrl").GetString());
        });
        Assert.Equal(1, await OrdersOfAsync(email));
        Assert.Equal(2, await HeldAsync(ev));
        var guest = GuestKey.For(GuestKey.Normalize(email));
        Assert.Equal(1, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync(r => r.UserId == guest)));
    }

    [Fact]
    public async Task AReplay_AnswersTheSameOrderAndLink_AndAnotherBodyUnderTheKey_Is409_AndWritesNothing()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var email = NewEmail();
        var key = Guid.NewGuid().ToString();
        var client = app.CreateClient();

        var created = await SendAsync(client, "/api/guest/orders", GuestHold(ev, email, 2), key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await created.Content.ReadAsStringAsync();

        // The phone retries (a new connection, the same key and body): the same answer, marked as a replay.
        var again = await SendAsync(app.CreateClient(), "/api/guest/orders", GuestHold(ev, email, 2), key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        var replay = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        var original = JsonDocument.Parse(first).RootElement;
        Assert.Equal(original.GetProperty("order").GetProperty("id").GetGuid(), replay.GetProperty("order").GetProperty("id").GetGuid());
        Assert.Equal(original.GetProperty("accessToken").GetString(), replay.GetProperty("accessToken").GetString());
        Assert.Equal(original.GetProperty("orderUrl").GetString(), replay.GetProperty("orderUrl").GetString());

        // Another body under the same key: refused, nothing written.
        var other = await SendAsync(client, "/api/guest/orders", GuestHold(ev, email, 3), key);
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("idempotency_key_reused", (await other.ReadJsonAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());
        Assert.Equal(1, await OrdersOfAsync(email));
        Assert.Equal(2, await HeldAsync(ev));

        // The same key from another address is another guest's key: its own order.
        var stranger = NewEmail();
        var theirs = await SendAsync(client, "/api/guest/orders", GuestHold(ev, stranger, 1), key);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await OrdersOfAsync(stranger));
        Assert.Equal(3, await HeldAsync(ev));
    }

    [Fact]
    public async Task ARefusedKeyedGuestHold_WritesNothing_AndTheKeyStaysFree()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 2).SaveAsync();
        var email = NewEmail();
        var key = Guid.NewGuid().ToString();
        var guest = GuestKey.For(GuestKey.Normalize(email));

        var refused = await SendAsync(app.CreateClient(), "/api/guest/orders", GuestHold(ev, email, 3), key);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(0, await OrdersOfAsync(email));
        Assert.Equal(0, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync(r => r.UserId == guest)));

        // The same key with a body that can be served: the key was left free.
        var created = await SendAsync(app.CreateClient(), "/api/guest/orders", GuestHold(ev, email, 2), key);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, await OrdersOfAsync(email));
    }

    [Fact]
    public async Task TheGuestPayment_WithAKey_ChargesOnce_ReplaysItsAnswer_AndRefusesAnotherBody()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", GuestHold(ev, NewEmail(), 2)))
            .ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("order").GetProperty("id").GetGuid();
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(GuestAccess.Header, created.GetProperty("accessToken").GetString());
        var key = Guid.NewGuid().ToString();

        var running = Enumerable.Range(0, 8).Select(_ => SendAsync(client, $"/api/guest/orders/{id}/payment", Card(), key)).ToList();
        var answers = await Task.WhenAll(running);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.All(bodies, b => Assert.Equal(JsonDocument.Parse(bodies[0]).RootElement.GetProperty("id").GetGuid(),
            JsonDocument.Parse(b).RootElement.GetProperty("id").GetGuid()));
        Assert.Equal(1, await QueryAsync(app, db => db.Payments.CountAsync(p => p.OrderId == id)));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == id)));

        var other = await SendAsync(client, $"/api/guest/orders/{id}/payment", Card(cvc: "999"), key);
        Assert.Equal("idempotency_key_reused", (await other.ReadJsonAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString());

        // A wrong token is a 404 before any key is looked at.
        var stranger = app.CreateClient();
        stranger.DefaultRequestHeaders.Add(GuestAccess.Header, "AAAA");
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(stranger, $"/api/guest/orders/{id}/payment", Card(), key)).StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class GuestIdempotencyTests_Sqlite(SqliteApp app) : GuestIdempotencyTests(app);

[Collection(PostgresCollection.Name)]
public sealed class GuestIdempotencyTests_Postgres(PostgresApp app) : GuestIdempotencyTests(app);
