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
    public async Task RefundingOneSeatOfTwoInOneCategory_CreditsThatSeatOnly_WithItsVat_AndPutsItBackOnSale()
    {
        var (organizer, planId, _) = await PlanAsync(1, 10);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var seats = await SeatIdsAsync(performanceId);
        var (fan, _, _) = await app.CreateUserClientAsync();
        var order = await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = seats.Take(2) })).ReadJsonAsync(HttpStatusCode.Created);
        var orderId = order.GetProperty("id").GetGuid();
        var paid = await (await fan.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        var ticket = paid.GetProperty("tickets")[0];

        var refund = await (await organizer.PostAsJsonAsync($"/api/orders/{orderId}/refund",
            new { ticketIds = new[] { ticket.GetProperty("id").GetGuid() } })).ReadJsonAsync();
        Assert.Equal("PartiallyRefunded", refund.GetProperty("status").GetString());
        var note = await QueryAsync(app, db => db.Receipts.SingleAsync(r => r.OrderId == orderId && r.Kind == Ticketing.Core.Receipts.ReceiptKind.CreditNote));
        var receipt = await QueryAsync(app, db => db.Receipts.SingleAsync(r => r.OrderId == orderId && r.Kind == Ticketing.Core.Receipts.ReceiptKind.Receipt));
        Assert.Equal(receipt.TotalMinor / 2, note.TotalMinor);
        // One seat's VAT, not the category's two seats counted on each of its two lines.
        Assert.InRange(note.VatMinor, receipt.VatMinor / 2 - 1, receipt.VatMinor / 2 + 1);
        Assert.Equal(1, await QueryAsync(app, db => db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.Status == SeatStatus.Sold)));
        Assert.Equal(1, (await CategoryAsync(app, categoryId)).Sold);
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
    public async Task ParallelBestAvailable_EveryFanGetsTwoSeatsSideBySide_NoSeatTwice()
    {
        // 4 rows of 10: room for 20 pairs; 14 fans ask for a pair at the same moment. Each must get one (no seat_taken
        // although seats remain), the pairs side by side, no seat in two holds, the counters equal to the seat rows.
        var (organizer, planId, _) = await PlanAsync(4, 10);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var fans = await Task.WhenAll(Enumerable.Range(0, 14).Select(_ => app.CreateUserClientAsync()));
        using var start = new SemaphoreSlim(0);
        var running = fans.Select(f => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await f.Client.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity = 2, bestAvailable = true } } });
        })).ToList();
        start.Release(fans.Length);
        var answers = await Task.WhenAll(running);
        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        Assert.All(answers.Zip(bodies), x => Assert.True(x.First.StatusCode == HttpStatusCode.Created, x.Second));

        var pairs = bodies.Select(b => System.Text.Json.JsonDocument.Parse(b).RootElement.GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("seat")).Select(s => (Row: s.GetProperty("row").GetString()!, Number: int.Parse(s.GetProperty("label").GetString()!))).ToList()).ToList();
        Assert.All(pairs, p => Assert.True(p.Count == 2 && p[0].Row == p[1].Row && Math.Abs(p[0].Number - p[1].Number) == 1, string.Join(" ", p)));
        var seats = pairs.SelectMany(p => p).ToList();
        Assert.Equal(seats.Count, seats.Distinct().Count());
        Assert.Equal(28, await QueryAsync(app, db => db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.Status == SeatStatus.Held)));
        Assert.Equal(28, (await CategoryAsync(app, categoryId)).Held);
    }

    [Fact]
    public async Task ASeatedWaitingList_OffersNamedSeats_HeldForTheFan_AndTheTicketsCarryThem()
    {
        // One row of 6, sold out; a fan waits for 2; the organizer refunds seats 2 and 4 (not side by side) then 5.
        var (organizer, planId, _) = await PlanAsync(1, 6);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var seats = await SeatIdsAsync(performanceId);
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var hold = await (await buyer.PostAsJsonAsync("/api/orders", new { performanceId, seats })).ReadJsonAsync(HttpStatusCode.Created);
        var orderId = hold.GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        var (fan, _, _) = await app.CreateUserClientAsync();
        var entry = (await (await fan.PostAsJsonAsync($"/api/performances/{performanceId}/waitlist", new { categoryId, quantity = 2 }))
            .ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Guid TicketOf(int seat) => paid.GetProperty("tickets").EnumerateArray().Single(t => t.GetProperty("seat").GetProperty("id").GetGuid() == seats[seat]).GetProperty("id").GetGuid();

        // Seat 2 comes back: one is not enough for a fan waiting for two (the line keeps it).
        (await organizer.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { TicketOf(1) } })).EnsureSuccessStatusCode();
        Assert.Equal(0, await WithServiceAsync<Ticketing.Core.Waitlist.WaitlistService, int>(app, w => w.OfferAsync()));
        // Seat 4 too: two apart are offered rather than none, and held by name for the fan's order.
        (await organizer.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { TicketOf(3) } })).EnsureSuccessStatusCode();
        Assert.Equal(1, await WithServiceAsync<Ticketing.Core.Waitlist.WaitlistService, int>(app, w => w.OfferAsync()));
        var offer = await QueryAsync(app, db => db.WaitlistEntries.AsNoTracking().SingleAsync(e => e.Id == entry));
        Assert.Equal(Ticketing.Core.Waitlist.WaitlistStatus.Offered, offer.Status);
        var held = await QueryAsync(app, db => db.PerformanceSeats.Where(s => s.OrderId == offer.OfferOrderId && s.Status == SeatStatus.Held)
            .Select(s => s.Id).ToListAsync());
        Assert.Equal(new[] { seats[1], seats[3] }.Order(), held.Order());
        Assert.Equal((4, 2), ((await CategoryAsync(app, categoryId)).Sold, (await CategoryAsync(app, categoryId)).Held));

        // The fan pays: two tickets, each with its seat; seat rows and counters agree.
        var bought = await (await fan.PostAsJsonAsync($"/api/orders/{offer.OfferOrderId}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        var labels = bought.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("seat").GetProperty("label").GetString()).Order().ToList();
        Assert.Equal(new[] { "2", "4" }, labels);
        Assert.Equal(6, await QueryAsync(app, db => db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.Status == SeatStatus.Sold)));
        Assert.Equal((6, 0), ((await CategoryAsync(app, categoryId)).Sold, (await CategoryAsync(app, categoryId)).Held));
    }

    [Fact]
    public async Task AResoldSeatedTicket_KeepsItsSeat_AndTheSeatRowPassesToTheBuyersOrder()
    {
        var (organizer, planId, _) = await PlanAsync(1, 6);
        var (performanceId, categoryId) = await SeatedEventAsync(organizer, planId);
        var eventId = await QueryAsync(app, db => db.Performances.Where(p => p.Id == performanceId).Select(p => p.EventId).FirstAsync());
        (await organizer.PutAsJsonAsync($"/api/events/{eventId}/resale", new { enabled = true })).EnsureSuccessStatusCode();
        var seats = await SeatIdsAsync(performanceId);
        var (seller, _, _) = await app.CreateUserClientAsync();
        var sellerOrder = (await (await seller.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seats[2] } })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var paid = await (await seller.PostAsJsonAsync($"/api/orders/{sellerOrder}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        var ticketId = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        var listingId = (await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = 30m })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var (buyer, _, _) = await app.CreateUserClientAsync();
        var order = (await (await buyer.PostAsync($"/api/resale-listings/{listingId}/order", null)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var bought = await (await buyer.PostAsJsonAsync($"/api/orders/{order}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        var seat = bought.GetProperty("tickets")[0].GetProperty("seat");
        Assert.Equal((seats[2], "3"), (seat.GetProperty("id").GetGuid(), seat.GetProperty("label").GetString()));
        var row = await QueryAsync(app, db => db.PerformanceSeats.AsNoTracking().SingleAsync(s => s.Id == seats[2]));
        Assert.Equal((SeatStatus.Sold, (Guid?)order), (row.Status, row.OrderId));
        Assert.Equal((1, 0), ((await CategoryAsync(app, categoryId)).Sold, (await CategoryAsync(app, categoryId)).Held));

        // The buyer's ticket refunded by the organizer: its seat is on sale again.
        (await organizer.PostAsync($"/api/orders/{order}/refund", null)).EnsureSuccessStatusCode();
        Assert.Equal(SeatStatus.Available, await QueryAsync(app, db => db.PerformanceSeats.Where(s => s.Id == seats[2]).Select(s => s.Status).FirstAsync()));
        Assert.Equal(0, (await CategoryAsync(app, categoryId)).Sold);
    }

    [Fact]
    public async Task APlanGivenForAnExistingDate_IsRefusedWithAClearFieldError_NotIgnored_AndNothingChanges()
    {
        var (organizer, planId, _) = await PlanAsync(1, 6);
        var created = await (await organizer.PostAsJsonAsync("/api/events", new
        {
            title = "Gala", description = "General admission first.", category = "Theatre",
            performances = new[]
            {
                new
                {
                    startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Théâtre", city = "Lyon", address = "1 rue" },
                    categories = new[] { new { name = "Orchestre", price = 30m, capacity = 50 } },
                },
            },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var performance = created.GetProperty("performances")[0];
        object Update(Guid? plan) => new
        {
            title = "Gala", description = "General admission first.", category = "Theatre",
            performances = new[]
            {
                new
                {
                    id = performance.GetProperty("id").GetGuid(), startsAt = performance.GetProperty("startsAt").GetDateTimeOffset(),
                    venue = new { name = "Théâtre", city = "Lyon", address = "1 rue" }, seatingPlanId = plan,
                    categories = new[] { new { id = performance.GetProperty("categories")[0].GetProperty("id").GetGuid(), name = "Orchestre", price = 30m, capacity = 50 } },
                },
            },
        };

        var problem = await (await organizer.PutAsJsonAsync($"/api/events/{id}", Update(planId))).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("numbered seats", problem.GetProperty("errors").GetProperty("performances[0].seatingPlanId")[0].GetString());
        var category = await CategoryAsync(app, performance.GetProperty("categories")[0].GetProperty("id").GetGuid());
        Assert.Equal((false, 50), (category.Seated, category.Capacity));
        // Without a plan (the editor's form sends none for an existing date), the update goes through.
        var ok = await (await organizer.PutAsJsonAsync($"/api/events/{id}", Update(null))).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(ok.GetProperty("performances")[0].GetProperty("categories")[0].GetProperty("seated").GetBoolean());
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
