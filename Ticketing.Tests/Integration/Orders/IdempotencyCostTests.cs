using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>
/// An <c>Idempotency-Key</c> costs the database nothing for an answer that changes nothing: a refused request (sold
/// out, invalid) writes no idempotency row at all — counted by a database trigger on every INSERT and DELETE of the
/// table, so an insert undone by a delete is seen too; duplicates in flight wait in memory (one hold, one row); a
/// replay of a success is the same answer.
/// </summary>
public abstract class IdempotencyCostTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();

    public Task DisposeAsync() => QueryAsync(app, async db =>
    {
#pragma warning disable EF1002 // fixed DDL, no input
        foreach (var sql in db.Provider == DatabaseProvider.Postgres
                     ? new[] { "DROP TRIGGER IF EXISTS idem_cost_count ON \"IdempotencyRecords\"", "DROP FUNCTION IF EXISTS idem_cost_count()", "DROP TABLE IF EXISTS idem_cost_writes" }
                     : ["DROP TRIGGER IF EXISTS idem_cost_insert", "DROP TRIGGER IF EXISTS idem_cost_delete", "DROP TABLE IF EXISTS idem_cost_writes"])
            await db.Database.ExecuteSqlRawAsync(sql);
#pragma warning restore EF1002
        return 0;
    });

    [Fact]
    public async Task KeyedRefusals_WriteNoIdempotencyRow_AndOnlyTheSuccessWritesOne()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 1).SaveAsync();
        await CountWritesAsync();
        var (winner, _, _) = await app.CreateUserClientAsync();
        (await SendAsync(winner, "/api/orders", Hold(ev, 1), "winner-key")).EnsureSuccessStatusCode();
        Assert.Equal(1, await WritesAsync());

        // Twenty losers pressing with keys (new keys and the same key again): every answer is sold_out, nothing written.
        var (loser, _, _) = await app.CreateUserClientAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => SendAsync(loser, "/api/orders", Hold(ev, 1), i % 2 == 0 ? $"loser-{i}" : "loser-same")));
        foreach (var answer in answers) await answer.AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        // An invalid request with a key is refused without a write either.
        await (await SendAsync(loser, "/api/orders", new { performanceId = ev.PerformanceId, items = Array.Empty<object>() }, "invalid-key"))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(1, await WritesAsync());
        Assert.Equal(["winner-key"], await QueryAsync(app, db => db.IdempotencyRecords.AsNoTracking().Select(r => r.Key).ToListAsync()));
        // A refusal keeps no key: once a seat is back, the same key holds it.
        var held = await QueryAsync(app, db => db.Orders.AsNoTracking().SingleAsync());
        (await winner.DeleteAsync($"/api/orders/{held.Id}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(loser, "/api/orders", Hold(ev, 1), "loser-same")).StatusCode);
        Assert.Equal(2, await WritesAsync());
    }

    [Fact]
    public async Task ParallelHoldsWithTheSameKey_MakeOneOrder_AndOneRow()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        await CountWritesAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => SendAsync(fan, "/api/orders", Hold(ev, 2), "same-hold")));
        var ids = new HashSet<Guid>();
        foreach (var r in responses) ids.Add((await r.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());

        Assert.Single(ids);
        Assert.Equal(1, await QueryAsync(app, db => db.Orders.CountAsync()));
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.Equal(1, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync()));
        Assert.Equal(1, await WritesAsync());
    }

    [Fact]
    public async Task TheSameKeyOnTwoInstancesAtOnce_LeavesOneRunningHold_AndEveryAnswerIsThatOrder()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        // A second instance on the same database: its own memory, so only the database decides between the two.
        await using var other = app.WithWebHostBuilder(_ => { });
        var (fan, _, _) = await app.CreateUserClientAsync();
        var there = other.CreateClient();
        there.DefaultRequestHeaders.Authorization = fan.DefaultRequestHeaders.Authorization;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(i % 2 == 0 ? fan : there, "/api/orders", Hold(ev, 2), "two-instances")));
        var ids = new HashSet<Guid>();
        foreach (var r in responses) ids.Add((await r.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());

        var id = Assert.Single(ids);
        var running = await QueryAsync(app, db => db.Orders.AsNoTracking().Where(o => o.Status == Ticketing.Core.Orders.OrderStatus.Reserved).Select(o => o.Id).ToListAsync());
        Assert.Equal([id], running);
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.Equal(1, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync()));
    }

    [Fact]
    public async Task AReplayAfterSuccess_IsTheSameAnswer_ForTheHoldAndThePayment()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        var first = await SendAsync(fan, "/api/orders", Hold(ev, 2), "hold-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var replay = await SendAsync(fan, "/api/orders", Hold(ev, 2), "hold-1");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        AssertSameJson(firstBody, await replay.Content.ReadAsStringAsync());

        var id = JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetGuid();
        var paid = await SendAsync(fan, $"/api/orders/{id}/payment", Card(), "pay-1");
        var paidBody = await paid.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        var again = await SendAsync(fan, $"/api/orders/{id}/payment", Card(), "pay-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        AssertSameJson(paidBody, await again.Content.ReadAsStringAsync());
        Assert.Equal(1, await QueryAsync(app, db => db.Payments.CountAsync()));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync()));
        // The same key with another body: the contract's code, still.
        await (await SendAsync(fan, "/api/orders", Hold(ev, 3), "hold-1")).AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_key_reused");
    }

    protected static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(expected).RootElement, JsonDocument.Parse(actual).RootElement), $"{expected}\n!=\n{actual}");

    /// <summary>A trigger counts every INSERT and DELETE of an idempotency row from now on.</summary>
    private Task CountWritesAsync() => QueryAsync(app, async db =>
    {
#pragma warning disable EF1002 // fixed DDL, no input
        foreach (var sql in db.Provider == DatabaseProvider.Postgres
                     ? new[]
                     {
                         "CREATE TABLE idem_cost_writes (op text NOT NULL)",
                         "CREATE FUNCTION idem_cost_count() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO idem_cost_writes VALUES (TG_OP); RETURN NULL; END $$",
                         "CREATE TRIGGER idem_cost_count AFTER INSERT OR DELETE ON \"IdempotencyRecords\" FOR EACH ROW EXECUTE FUNCTION idem_cost_count()",
                     }
                     :
                     [
                         "CREATE TABLE idem_cost_writes (op TEXT NOT NULL)",
                         "CREATE TRIGGER idem_cost_insert AFTER INSERT ON \"IdempotencyRecords\" BEGIN INSERT INTO idem_cost_writes VALUES ('INSERT'); END",
                         "CREATE TRIGGER idem_cost_delete AFTER DELETE ON \"IdempotencyRecords\" BEGIN INSERT INTO idem_cost_writes VALUES ('DELETE'); END",
                     ])
            await db.Database.ExecuteSqlRawAsync(sql);
#pragma warning restore EF1002
        return 0;
    });

    private Task<int> WritesAsync() =>
        QueryAsync(app, db => db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM idem_cost_writes").SingleAsync());

    protected static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class IdempotencyCostTests_Sqlite(SqliteApp app) : IdempotencyCostTests(app);

[Collection(PostgresCollection.Name)]
public sealed class IdempotencyCostTests_Postgres(PostgresApp app) : IdempotencyCostTests(app)
{
    /// <summary>
    /// The key's record is written in the transaction of the write it protects (issue 21): database triggers note the
    /// transaction id of every order, ticket and idempotency row inserted while twelve fans hold, then pay, with keys at
    /// once (their holds and sales group-committed): each hold's record shares its order's transaction, each payment's
    /// record its tickets', and nothing else is written for the keys.
    /// </summary>
    [Fact]
    public async Task AKeyedHoldAndPayment_RecordTheirKeys_InTheirOwnTransactions()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var fans = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.CreateUserClientAsync()));
        await TransactionsAsync("""
            CREATE TABLE idem_tx (what text NOT NULL, order_id text NOT NULL, tx bigint NOT NULL);
            CREATE FUNCTION idem_tx_note() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
              IF TG_TABLE_NAME = 'Orders' THEN INSERT INTO idem_tx VALUES ('order', NEW."Id"::text, txid_current());
              ELSIF TG_TABLE_NAME = 'Tickets' THEN INSERT INTO idem_tx VALUES ('ticket', NEW."OrderId"::text, txid_current());
              ELSE INSERT INTO idem_tx VALUES (split_part(NEW."Scope", ':', 1), (NEW."ResponseJson"::json)->>'id', txid_current());
              END IF; RETURN NULL; END $$;
            CREATE TRIGGER idem_tx_orders AFTER INSERT ON "Orders" FOR EACH ROW EXECUTE FUNCTION idem_tx_note();
            CREATE TRIGGER idem_tx_tickets AFTER INSERT ON "Tickets" FOR EACH ROW EXECUTE FUNCTION idem_tx_note();
            CREATE TRIGGER idem_tx_records AFTER INSERT ON "IdempotencyRecords" FOR EACH ROW EXECUTE FUNCTION idem_tx_note();
            """);
        try
        {
            var holds = await Task.WhenAll(fans.Select((f, i) => SendAsync(f.Client, "/api/orders", Hold(ev, 2), $"hold-{i}")));
            var ids = new List<Guid>();
            foreach (var hold in holds) ids.Add((await hold.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
            var paid = await Task.WhenAll(fans.Select((f, i) => SendAsync(f.Client, $"/api/orders/{ids[i]}/payment", Card(), $"pay-{i}")));
            foreach (var answer in paid) Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

            var notes = await QueryAsync(app, db => db.Database
                .SqlQueryRaw<TxNote>("SELECT what AS \"What\", order_id AS \"OrderId\", tx AS \"Tx\" FROM idem_tx").ToListAsync());
            foreach (var id in ids.Select(i => i.ToString()))
            {
                var mine = notes.Where(n => n.OrderId == id).ToList();
                var order = Assert.Single(mine, n => n.What == "order").Tx;
                Assert.Equal(order, Assert.Single(mine, n => n.What == "orders.place").Tx);
                var tickets = mine.Where(n => n.What == "ticket").Select(n => n.Tx).Distinct().ToList();
                Assert.Equal(2, mine.Count(n => n.What == "ticket"));
                Assert.Equal(Assert.Single(tickets), Assert.Single(mine, n => n.What == "orders.pay").Tx);
            }
            Assert.Equal(24, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync()));
        }
        finally
        {
            await TransactionsAsync("""
                DROP TRIGGER IF EXISTS idem_tx_orders ON "Orders"; DROP TRIGGER IF EXISTS idem_tx_tickets ON "Tickets";
                DROP TRIGGER IF EXISTS idem_tx_records ON "IdempotencyRecords"; DROP FUNCTION IF EXISTS idem_tx_note(); DROP TABLE IF EXISTS idem_tx;
                """);
        }
    }

    private Task TransactionsAsync(string sql) => QueryAsync(app, async db =>
    {
#pragma warning disable EF1002 // fixed DDL, no input
        await db.Database.ExecuteSqlRawAsync(sql);
#pragma warning restore EF1002
        return 0;
    });

    private sealed record TxNote(string What, string OrderId, long Tx);
}
