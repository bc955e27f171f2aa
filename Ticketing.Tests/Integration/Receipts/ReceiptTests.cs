using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Receipts;
using Ticketing.Tests.Infrastructure;
using UglyToad.PdfPig;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Receipts;

/// <summary>VAT per category, booking fees, receipts numbered gapless per organizer and year, their PDF and the accounting export.</summary>
public abstract class ReceiptTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private int Year => app.Clock.GetUtcNow().UtcDateTime.Year;

    /// <summary>An event of <paramref name="ownerId"/>: "Carré Or" 45.00 at 5.5 % and "Bar" 12.00 at 20 %, with a 1.50 booking fee per ticket.</summary>
    private async Task<TestEvent> EventWithVatAndFeeAsync(Guid ownerId, int capacity = 100)
    {
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Carré Or", 4500, capacity).WithCategory("Bar", 1200, capacity).SaveAsync();
        await QueryAsync(app, async db =>
        {
            await db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.BookingFeeMinor, 150));
            return await db.PriceCategories.Where(c => c.Id == ev.Categories[1].Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.VatRateBasisPoints, 2000));
        });
        return ev;
    }

    private static object TwoCategories(TestEvent ev) => new
    {
        performanceId = ev.PerformanceId,
        items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 2 }, new { categoryId = ev.Categories[1].Id, quantity = 1 } },
    };

    [Fact]
    public async Task APaidOrder_HasAReceiptNumber_TheVatBreakdownWithFees_AndAReceiptPdfForTheBuyerAndTheOwnerOnly()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer, displayName: "Théâtre du Rond-Point");
        var ev = await EventWithVatAndFeeAsync(ownerId);
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Léa Dubois");
        var held = await (await buyer.PostAsJsonAsync("/api/orders", TwoCategories(ev))).ReadJsonAsync(HttpStatusCode.Created);
        // 2 × (45.00 + 1.50) + 1 × (12.00 + 1.50) = 106.50
        Assert.Equal(106.50m, held.GetProperty("total").GetDecimal());
        var orderId = held.GetProperty("id").GetGuid();
        (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();

        var order = await (await buyer.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync();
        Assert.Equal($"R-{Year}-000001", order.GetProperty("receiptNumber").GetString());
        var vat = order.GetProperty("vat").EnumerateArray().Select(v => (v.GetProperty("rate").GetDecimal(), v.GetProperty("base").GetDecimal(), v.GetProperty("amount").GetDecimal())).ToList();
        // 90.00 at 5.5 %: 85.31 + 4.69; 12.00 + 4.50 of fees = 16.50 at 20 %: 13.75 + 2.75.
        Assert.Equal([(5.5m, 85.31m, 4.69m), (20m, 13.75m, 2.75m)], vat);
        Assert.Equal(106.50m, vat.Sum(v => v.Item2 + v.Item3));

        foreach (var client in new[] { buyer, owner })
        {
            var response = await client.GetAsync($"/api/orders/{orderId}/receipt");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
            var pdf = await response.Content.ReadAsByteArrayAsync();
            using var doc = PdfDocument.Open(pdf);
            var text = string.Concat(doc.GetPages().Select(p => p.Text));
            Assert.Contains($"R-{Year}-000001", text);
            Assert.Contains("5.5", text);
            Assert.Contains("85.31", text);
            Assert.Contains("Théâtre du Rond-Point", text);
            Assert.Contains("Léa Dubois", text);
            SaveSample(pdf, $"receipt-{app.Provider}.pdf");
        }
        var (stranger, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/orders/{orderId}/receipt")).StatusCode);
    }

    [Fact]
    public async Task AHeldOrder_HasNoReceiptYet()
    {
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await EventWithVatAndFeeAsync(ownerId);
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 1)).GetProperty("id").GetGuid();
        var order = await (await buyer.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, order.GetProperty("receiptNumber").ValueKind);
        await (await buyer.GetAsync($"/api/orders/{orderId}/receipt")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task FiftyParallelPayments_OverTwoEventsOfOneOrganizer_GetGaplessReceiptNumbers_DeclinedCardsTakeNone()
    {
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (_, otherOwnerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var first = await EventWithVatAndFeeAsync(ownerId);
        var second = await EventWithVatAndFeeAsync(ownerId);
        var other = await EventWithVatAndFeeAsync(otherOwnerId);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var (client, _, _) = await app.CreateUserClientAsync();
            var ev = i < 50 ? (i % 2 == 0 ? first : second) : other;
            var orderId = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
            return (client, orderId, declined: i % 10 == 9);
        }));

        var answers = await Task.WhenAll(buyers.Select(b =>
            b.client.PostAsJsonAsync($"/api/orders/{b.orderId}/payment", b.declined ? Card("4000 0000 0000 0002") : Card())));

        Assert.Equal(54, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(6, answers.Count(a => a.StatusCode == HttpStatusCode.PaymentRequired));
        var receipts = await QueryAsync(app, db => db.Receipts.AsNoTracking().ToListAsync());
        var mine = receipts.Where(r => r.OrganizerId == ownerId).OrderBy(r => r.Sequence).ToList();
        Assert.Equal(Enumerable.Range(1, 45), mine.Select(r => r.Sequence));
        Assert.Equal(Enumerable.Range(1, 45).Select(n => $"R-{Year}-{n:D6}"), mine.Select(r => r.Number));
        Assert.Equal(Enumerable.Range(1, 9), receipts.Where(r => r.OrganizerId == otherOwnerId).Select(r => r.Sequence).Order());
        var paid = buyers.Where(b => !b.declined).Select(b => b.orderId).ToHashSet();
        Assert.True(paid.SetEquals(receipts.Select(r => r.OrderId)));
        var counter = await QueryAsync(app, db => db.ReceiptCounters.AsNoTracking().SingleAsync(c => c.OrganizerId == ownerId));
        Assert.Equal(45, counter.Last);
    }

    [Fact]
    public async Task TheAccountingExport_ListsTheOrganizersReceiptsOfThePeriod_WithFormulasDefused()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await EventWithVatAndFeeAsync(ownerId);
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "=HYPERLINK(\"http://evil\";\"x\")");
        var orderId = (await (await buyer.PostAsJsonAsync("/api/orders", TwoCategories(ev))).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();
        var (otherOwner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var today = app.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd");

        var response = await owner.GetAsync($"/api/receipts/export?from={today}&to={today}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("number,type,issuedAtUtc", lines[0]);
        Assert.StartsWith($"R-{Year}-000001,receipt,", lines[1]);
        Assert.Contains("'=HYPERLINK", lines[1]);
        Assert.Contains(",99.06,7.44,106.50,", lines[1]);

        var empty = Encoding.UTF8.GetString(await (await otherOwner.GetAsync($"/api/receipts/export?from={today}&to={today}")).Content.ReadAsByteArrayAsync());
        Assert.Single(empty.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        await (await otherOwner.GetAsync($"/api/receipts/export?from={today}&to={today}&organizerId={ownerId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.GetAsync($"/api/receipts/export?from={today}&to={today}")).StatusCode);
        await (await owner.GetAsync($"/api/receipts/export?from={today}&to=2000-01-01")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var admin = await app.AdminClientAsync();
        var all = Encoding.UTF8.GetString(await (await admin.GetAsync($"/api/receipts/export?from={today}&to={today}&organizerId={ownerId}")).Content.ReadAsByteArrayAsync());
        Assert.Contains($"R-{Year}-000001", all);
    }

    [Fact]
    public async Task AnEvent_TakesAVatRatePerCategoryAndABookingFee_ThroughTheApi()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var body = new
        {
            title = "Gala VAT", description = "Test", category = "Concert", bookingFee = 2.00m,
            performances = new[]
            {
                new
                {
                    startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Salle", city = "Lyon", address = "1 rue" },
                    categories = new object[] { new { name = "Cat 1", price = 30m, capacity = 10, vatRate = 2.1m }, new { name = "Cat 2", price = 20m, capacity = 10 } },
                },
            },
        };
        var created = await (await owner.PostAsJsonAsync("/api/events", body)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(2.00m, created.GetProperty("bookingFee").GetDecimal());
        var categories = created.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal([2.1m, 5.5m], categories.Select(c => c.GetProperty("vatRate").GetDecimal()));

        var invalid = await owner.PostAsJsonAsync("/api/events", new
        {
            body.title, body.description, body.category, bookingFee = -1m,
            performances = new[] { new { body.performances[0].startsAt, body.performances[0].venue, categories = new[] { new { name = "A", price = 10m, capacity = 5, vatRate = 120m } } } },
        });
        var problem = await invalid.ReadJsonAsync(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("bookingFee", out _));
        Assert.True(errors.TryGetProperty("performances[0].categories[0].vatRate", out _));
    }

    private static void SaveSample(byte[] pdf, string name)
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "samples");
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, name), pdf);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteReceiptTests(SqliteApp app) : ReceiptTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReceiptTests(PostgresApp app) : ReceiptTests(app);
