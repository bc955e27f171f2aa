using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ClosedXML.Excel;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Organizer;

/// <summary>Sales per channel after a mix of online, box-office and comp sales; check-in per gate; CSV and XLSX exports; the season.</summary>
public abstract class ReportTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string Evil = "=HYPERLINK(\"http://evil\")";

    /// <summary>Online: 2 × Carré Or (80 €) + 1 × Fosse (30 €) in two orders; desk: 3 × Fosse cash; comps: 2 × Carré Or.</summary>
    private async Task<(TestEvent Event, HttpClient Owner, Guid OwnerId, List<Guid> OnlineTickets)> MixedSalesAsync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Season opener").WithCategory("Carré Or", 8000, 50).WithCategory("Fosse", 3000, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Alice Martin");
        var a = await AttendeeMessageTests.BuyAsync(buyer, ev, 2);
        var b = await AttendeeMessageTests.BuyAsync(buyer, ev, 1, category: 1);
        var tickets = a.GetProperty("tickets").EnumerateArray().Concat(b.GetProperty("tickets").EnumerateArray()).Select(t => t.GetProperty("id").GetGuid()).ToList();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", new { performanceId = ev.PerformanceId,
            items = new[] { new { categoryId = ev.Categories[1].Id, quantity = 3 } }, method = "Cash", buyer = new { displayName = Evil, email = "desk@example.com" } }))
            .EnsureSuccessStatusCode();
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/comp-quotas", new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quota = 5 })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quantity = 2,
            guest = new { displayName = "Claire Presse", email = "press@example.com" } })).EnsureSuccessStatusCode();
        return (ev, owner, ownerId, tickets);
    }

    private static JsonElement Channel(JsonElement report, string channel) =>
        report.GetProperty("channels").EnumerateArray().Single(c => c.GetProperty("channel").GetString() == channel);

    [Fact]
    public async Task TheSalesReport_PerChannel_MatchesTheData()
    {
        var (ev, owner, _, _) = await MixedSalesAsync();

        var report = await (await owner.GetAsync($"/api/events/{ev.EventId}/reports/sales")).ReadJsonAsync();
        Assert.Equal((2, 3, 19000L), Totals(Channel(report, "Online")));
        Assert.Equal((1, 3, 9000L), Totals(Channel(report, "BoxOffice")));
        Assert.Equal((1, 2, 0L), Totals(Channel(report, "Comp")));
        Assert.Equal(8, report.GetProperty("tickets").GetInt32());
        Assert.Equal(28000, report.GetProperty("revenueMinor").GetInt64());
        // Per day: every channel sold today; per category and channel.
        var days = report.GetProperty("days").EnumerateArray().ToList();
        Assert.Equal(3, days.Count);
        Assert.Equal(8, days.Sum(d => d.GetProperty("tickets").GetInt32()));
        var fosseDesk = report.GetProperty("categories").EnumerateArray()
            .Single(c => c.GetProperty("categoryName").GetString() == "Fosse" && c.GetProperty("channel").GetString() == "BoxOffice");
        Assert.Equal(3, fosseDesk.GetProperty("tickets").GetInt32());

        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/events/{ev.EventId}/reports/sales")).StatusCode);

        static (int, int, long) Totals(JsonElement c) => (c.GetProperty("orders").GetInt32(), c.GetProperty("tickets").GetInt32(), c.GetProperty("revenueMinor").GetInt64());
    }

    [Fact]
    public async Task CheckInProgress_CountsAdmissionsPerGate()
    {
        var (ev, owner, _, online) = await MixedSalesAsync();
        var created = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/door-devices", new { name = "North phone", gate = "North" })).ReadJsonAsync(HttpStatusCode.Created);
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/door-devices", new { name = "South phone", gate = "South" })).EnsureSuccessStatusCode();
        var device = app.CreateClient();
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", created.GetProperty("token").GetString());
        var (buyerOwner, _, _) = (owner, 0, 0);
        foreach (var id in online.Take(2))
        {
            var number = await QueryAsync(app, db => Task.FromResult(db.Tickets.Where(t => t.Id == id).Select(t => t.Number).Single()));
            Assert.Equal("Admitted", (await (await device.PostAsJsonAsync("/api/checkin", new { code = number })).ReadJsonAsync()).GetProperty("result").GetString());
        }
        var third = await QueryAsync(app, db => Task.FromResult(db.Tickets.Where(t => t.Id == online[2]).Select(t => t.Number).Single()));
        Assert.Equal("Admitted", (await (await buyerOwner.PostAsJsonAsync("/api/checkin", new { code = third })).ReadJsonAsync()).GetProperty("result").GetString());

        var progress = (await (await owner.GetAsync($"/api/events/{ev.EventId}/reports/checkin")).ReadJsonAsync())[0];
        Assert.Equal((8, 3), (progress.GetProperty("expected").GetInt32(), progress.GetProperty("admitted").GetInt32()));
        var gates = progress.GetProperty("gates").EnumerateArray().ToDictionary(g => g.GetProperty("gate").GetString() ?? "(none)", g => g.GetProperty("admitted").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["North"] = 2, ["South"] = 0, ["(none)"] = 1 }, gates);
    }

    [Fact]
    public async Task Exports_CsvEscapesFormulas_AndXlsxOpensWithClosedXmlWithTheRows()
    {
        var (ev, owner, _, _) = await MixedSalesAsync();

        var csv = await owner.GetAsync($"/api/events/{ev.EventId}/orders.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 4, lines.Length);
        Assert.StartsWith("order,reference,status,channel,buyer,email", lines[0]);
        Assert.DoesNotContain(",=HYPERLINK", text);
        Assert.DoesNotContain(",\"=HYPERLINK", text);
        Assert.Contains("'=HYPERLINK", text);
        Assert.Contains(",BoxOffice,", text);
        Assert.Contains("desk@example.com", text);
        var attendeesCsv = await owner.GetStringAsync($"/api/events/{ev.EventId}/attendees.csv");
        Assert.DoesNotContain(",=HYPERLINK", attendeesCsv);

        var xlsx = await owner.GetAsync($"/api/events/{ev.EventId}/orders.xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
        using (var book = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())))
        {
            var sheet = book.Worksheet(1);
            Assert.Equal("channel", sheet.Cell(1, 4).GetString());
            Assert.Equal(5, sheet.LastRowUsed().RowNumber());
            var desk = sheet.RowsUsed().Single(r => r.Cell(4).GetString() == "BoxOffice");
            Assert.Equal(Evil, desk.Cell(5).GetString());
            Assert.False(desk.Cell(5).HasFormula);
            Assert.Equal(90m, desk.Cell(11).GetValue<decimal>());
        }
        var attendees = await owner.GetAsync($"/api/events/{ev.EventId}/attendees.xlsx");
        using (var book = new XLWorkbook(new MemoryStream(await attendees.Content.ReadAsByteArrayAsync())))
        {
            var sheet = book.Worksheet(1);
            Assert.Equal(1 + 8, sheet.LastRowUsed().RowNumber());
            Assert.Contains(sheet.RowsUsed(), r => r.Cell(2).GetString() == "Claire Presse");
        }
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/events/{ev.EventId}/orders.xlsx")).StatusCode);
    }

    [Fact]
    public async Task TheSeason_ListsTheOrganizersEventsWithTotals()
    {
        var (ev, owner, ownerId, _) = await MixedSalesAsync();
        var second = await Event(app).OwnedBy(ownerId).Titled("Season closer").StartingIn(TimeSpan.FromDays(90)).SaveAsync();
        await Event(app).Titled("Someone else's").SaveAsync();

        var season = await (await owner.GetAsync("/api/reports/season")).ReadJsonAsync();
        Assert.Equal(2, season.GetProperty("events").GetInt32());
        Assert.Equal(6, season.GetProperty("tickets").GetInt32());
        Assert.Equal(2, season.GetProperty("comps").GetInt32());
        Assert.Equal(28000, season.GetProperty("revenue")[0].GetProperty("revenueMinor").GetInt64());
        var items = season.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(new[] { ev.EventId, second.EventId }, items.Select(i => i.GetProperty("eventId").GetGuid()));
        Assert.Equal(0, items[1].GetProperty("tickets").GetInt32());

        var admin = await app.AdminClientAsync();
        var viaAdmin = await (await admin.GetAsync($"/api/reports/season?ownerId={ownerId}")).ReadJsonAsync();
        Assert.Equal(2, viaAdmin.GetProperty("events").GetInt32());
        var (customer, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/api/reports/season")).StatusCode);
    }

    [Fact]
    public async Task AResaleBoughtOrder_IsCountedAsResale()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/resale", new { enabled = true })).EnsureSuccessStatusCode();
        var (seller, _, _) = await app.CreateUserClientAsync();
        var sold = await AttendeeMessageTests.BuyAsync(seller, ev, 1);
        var ticketId = sold.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        var listing = await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = 40.00m })).ReadJsonAsync(HttpStatusCode.Created);
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var held = await (await buyer.PostAsync($"/api/resale-listings/{listing.GetProperty("id").GetGuid()}/order", null)).ReadJsonAsync(HttpStatusCode.Created);
        (await buyer.PostAsJsonAsync($"/api/orders/{held.GetProperty("id").GetGuid()}/payment", Card())).EnsureSuccessStatusCode();

        var report = await (await owner.GetAsync($"/api/events/{ev.EventId}/reports/sales")).ReadJsonAsync();
        var resale = Channel(report, "Resale");
        Assert.Equal((1, 1, 4000L), (resale.GetProperty("orders").GetInt32(), resale.GetProperty("tickets").GetInt32(), resale.GetProperty("revenueMinor").GetInt64()));
        // The seller's ticket was voided when the listing sold: it no longer counts online.
        Assert.Equal(0, Channel(report, "Online").GetProperty("tickets").GetInt32());
        var csv = await owner.GetStringAsync($"/api/events/{ev.EventId}/orders.csv");
        Assert.Contains(",Resale,", csv);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteReportTests(SqliteApp app) : ReportTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresReportTests(PostgresApp app) : ReportTests(app);
