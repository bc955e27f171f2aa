using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Seating;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Seating;

/// <summary>Issue 22: seating plans, per-performance seats, exactly-once holds on seats, best available.</summary>
public abstract class SeatingTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static object Block(int rows, int seats, string category = "Orchestre", string section = "Parterre") =>
        new { name = "Test hall", blocks = new[] { new { section, rows, seatsPerRow = seats, category, numbering = "LeftToRight" } } };

    private async Task<(HttpClient Organizer, Guid PlanId, int SeatCount)> PlanAsync(int rows, int seats)
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var body = await (await organizer.PostAsJsonAsync("/api/seating-plans/generate", Block(rows, seats))).ReadJsonAsync(HttpStatusCode.OK);
        var created = await (await organizer.PostAsync("/api/seating-plans", JsonContent.Create(body))).ReadJsonAsync(HttpStatusCode.Created);
        return (organizer, created.GetProperty("id").GetGuid(), created.GetProperty("seatCount").GetInt32());
    }

    private async Task<(Guid PerformanceId, Guid CategoryId)> SeatedEventAsync(HttpClient organizer, Guid planId)
    {
        var created = await (await organizer.PostAsJsonAsync("/api/events", new
        {
            title = "Seated gala", description = "A seated test event.", category = "Theatre",
            performances = new[]
            {
                new
                {
                    startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Théâtre", city = "Lyon", address = "1 rue" },
                    categories = new[] { new { name = "Orchestre", price = 30m, capacity = 1 } }, seatingPlanId = planId,
                },
            },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        (await organizer.PostAsync($"/api/events/{id}/publish", null)).EnsureSuccessStatusCode();
        var performance = created.GetProperty("performances")[0];
        return (performance.GetProperty("id").GetGuid(), performance.GetProperty("categories")[0].GetProperty("id").GetGuid());
    }

    private async Task<List<Guid>> SeatIdsAsync(Guid performanceId)
    {
        var seats = await (await app.CreateClient().GetAsync($"/api/performances/{performanceId}/seats")).ReadJsonAsync(HttpStatusCode.OK);
        return seats.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
    }

    [Fact]
    public async Task APlan_IsCreatedFromTheGenerator_ReadByItsOwnerAndAdmins_AndIs404ForAnotherOrganizer()
    {
        var (owner, planId, count) = await PlanAsync(3, 8);
        Assert.Equal(24, count);
        var plan = await (await owner.GetAsync($"/api/seating-plans/{planId}")).ReadJsonAsync(HttpStatusCode.OK);
        var rows = plan.GetProperty("sections")[0].GetProperty("rows");
        Assert.Equal(["A", "B", "C"], rows.EnumerateArray().Select(r => r.GetProperty("label").GetString()));
        Assert.Equal("1", rows[0].GetProperty("seats")[0].GetProperty("label").GetString());

        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/seating-plans/{planId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.AdminClientAsync()).GetAsync($"/api/seating-plans/{planId}")).StatusCode);
        var (fan, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.GetAsync($"/api/seating-plans/{planId}")).StatusCode);
    }

    [Fact]
    public async Task InvalidPlans_Answer400WithAStableCode()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await (await organizer.PostAsJsonAsync("/api/seating-plans", new { name = "Empty", sections = Array.Empty<object>() }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "seating_plan_empty");
        var seat = new { label = "1", x = 0, y = 0 };
        await (await organizer.PostAsJsonAsync("/api/seating-plans", new
            {
                name = "Twice", sections = new[] { new { name = "P", rows = new[] { new { label = "A", seats = new[] { seat, seat } } } } },
            }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "seat_label_duplicate");
        await (await organizer.PostAsJsonAsync("/api/seating-plans/generate", Block(101, 1000)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "seating_plan_too_large");
    }

    [Fact]
    public async Task TwoHundredParallelBuyers_AimingAtTheSame20Seats_EachSeatIsHeldOnce_AndLosersGet409SeatTakenNamingSeats()
    {
        var (organizer, planId, _) = await PlanAsync(2, 10);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var seats = await SeatIdsAsync(performanceId);
        Assert.Equal(20, seats.Count);
        Assert.Equal(20, (await CategoryAsync(app, categoryId)).Capacity);

        using var gate = new SemaphoreSlim(8);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            await gate.WaitAsync();
            try { return (await app.CreateUserClientAsync()).Client; }
            finally { gate.Release(); }
        }));
        var random = new Random(22);
        var wanted = buyers.Select(_ => seats.OrderBy(_ => random.Next()).Take(random.Next(1, 5)).ToList()).ToList();
        var answers = await Task.WhenAll(buyers.Select(async (client, i) =>
        {
            var response = await client.PostAsJsonAsync("/api/orders", new { performanceId, seats = wanted[i] });
            return (Status: (int)response.StatusCode, Body: JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone(), Wanted: wanted[i]);
        }));

        Assert.DoesNotContain(answers, a => a.Status >= 500);
        var won = answers.Where(a => a.Status == 201).ToList();
        Assert.NotEmpty(won);
        var heldSeats = new List<Guid>();
        foreach (var w in won)
        {
            var got = w.Body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seat").GetProperty("id").GetGuid()).ToList();
            Assert.Equal(w.Wanted.Order(), got.Order());
            heldSeats.AddRange(got);
        }
        Assert.Equal(heldSeats.Count, heldSeats.Distinct().Count());
        foreach (var lost in answers.Where(a => a.Status != 201))
        {
            Assert.Equal(409, lost.Status);
            Assert.Equal("seat_taken", lost.Body.GetProperty("code").GetString());
            var named = lost.Body.GetProperty("seats").EnumerateArray().Select(s => s.GetGuid()).ToList();
            Assert.NotEmpty(named);
            Assert.All(named, s => Assert.Contains(s, lost.Wanted));
        }
        var rows = await QueryAsync(app, db => db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performanceId).ToListAsync());
        Assert.Equal(heldSeats.Order(), rows.Where(s => s.Status == SeatStatus.Held).Select(s => s.Id).Order());
        Assert.Equal(heldSeats.Count, (await CategoryAsync(app, categoryId)).Held);
    }

    [Fact]
    public async Task ReleasedExpiredAndRefundedSeats_ComeBack_AndPaymentSellsThem()
    {
        var (organizer, planId, _) = await PlanAsync(1, 10);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var seats = await SeatIdsAsync(performanceId);
        var (fan, _, _) = await app.CreateUserClientAsync();

        var first = await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = seats.Take(2) })).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/orders/{first.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(0, (await CategoryAsync(app, categoryId)).Held);

        await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = seats.Take(2) })).ReadJsonAsync(HttpStatusCode.Created);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await WithServiceAsync<OrderService, int>(app, o => o.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal(0, (await CategoryAsync(app, categoryId)).Held);
        Assert.Equal(0, await QueryAsync(app, db => db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.Status != SeatStatus.Available)));

        var third = await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = seats.Take(2) })).ReadJsonAsync(HttpStatusCode.Created);
        var paid = await (await fan.PostAsJsonAsync($"/api/orders/{third.GetProperty("id").GetGuid()}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, await QueryAsync(app, db => db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.Status == SeatStatus.Sold)));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.PerformanceId == performanceId && t.SeatId != null)));
        Assert.Equal(2, (await CategoryAsync(app, categoryId)).Sold);
        var seat = paid.GetProperty("tickets")[0].GetProperty("seat");
        Assert.Equal("A", seat.GetProperty("row").GetString());

        // The organizer refunds: the seats are on sale again.
        (await organizer.PostAsync($"/api/orders/{third.GetProperty("id").GetGuid()}/refund", null)).EnsureSuccessStatusCode();
        Assert.Equal(0, await QueryAsync(app, db => db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.Status != SeatStatus.Available)));
        Assert.Equal(0, (await CategoryAsync(app, categoryId)).Sold);
        await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = seats.Take(2) })).ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task BestAvailable_HoldsContiguousSeatsInTheRowClosestToTheStage_NearItsCentre()
    {
        var (organizer, planId, _) = await PlanAsync(3, 10);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var seats = await SeatIdsAsync(performanceId);
        var (first, _, _) = await app.CreateUserClientAsync();
        // Row A's seats 5 and 6 (the centre) are taken.
        await (await first.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seats[4], seats[5] } })).ReadJsonAsync(HttpStatusCode.Created);

        var (fan, _, _) = await app.CreateUserClientAsync();
        var order = await (await fan.PostAsJsonAsync("/api/orders", new
        {
            performanceId, items = new[] { new { categoryId, quantity = 3, bestAvailable = true } },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var got = order.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seat")).ToList();
        Assert.Equal(3, got.Count);
        Assert.All(got, s => Assert.Equal("A", s.GetProperty("row").GetString()));
        var numbers = got.Select(s => int.Parse(s.GetProperty("label").GetString()!)).Order().ToList();
        Assert.Contains(string.Join(",", numbers), new[] { "2,3,4", "7,8,9" });
    }

    [Fact]
    public async Task A20000SeatMap_IsOneCompactRead()
    {
        var (organizer, planId, count) = await PlanAsync(100, 200);
        Assert.Equal(20_000, count);
        var (performanceId, _) = await SeatedEventAsync(organizer, planId);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var bytes = await (await app.CreateClient().GetAsync($"/api/performances/{performanceId}/seats")).Content.ReadAsByteArrayAsync();
        var elapsed = started.ElapsedMilliseconds;
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(bytes);
        Console.WriteLine($"seat map 20000 seats: {bytes.Length} bytes, {compressed.Length} gzip, {elapsed} ms");
        Assert.True(bytes.Length < 5_000_000, $"{bytes.Length} bytes");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SeatingTests_Sqlite(SqliteApp app) : SeatingTests(app);

[Collection(PostgresCollection.Name)]
public sealed class SeatingTests_Postgres(PostgresApp app) : SeatingTests(app);
