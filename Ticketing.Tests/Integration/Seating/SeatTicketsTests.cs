using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using MimeKit;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;
using UglyToad.PdfPig;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Seating;

/// <summary>
/// Issue 22 item 4: a seated ticket carries its seat on the mail (HTML and text, read from the real SMTP test server),
/// the PDF, the ticket API, the check-in answer and the account export; the box office and comps refuse seated categories.
/// </summary>
public abstract class SeatTicketsTests(SmtpTicketingApp app) : IAsyncLifetime
{
    // A hostile section name: it must be encoded in the mail's HTML and printed as is on the PDF.
    private const string Section = "B<i>";

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Smtp.Refusing = false;
        await app.Smtp.StartAsync();
        app.Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string Squash(string text) => Regex.Replace(text, @"\s+", "");

    private async Task<(HttpClient Organizer, Guid EventId, Guid PerformanceId, Guid CategoryId, List<Guid> Seats)> SeatedEventAsync()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var generated = await (await organizer.PostAsJsonAsync("/api/seating-plans/generate", new
        {
            name = "Hall", blocks = new[] { new { section = Section, rows = 1, seatsPerRow = 10, category = "Orchestre", numbering = "LeftToRight", firstRow = "F" } },
        })).ReadJsonAsync(HttpStatusCode.OK);
        var plan = await (await organizer.PostAsync("/api/seating-plans", JsonContent.Create(generated))).ReadJsonAsync(HttpStatusCode.Created);
        var created = await (await organizer.PostAsJsonAsync("/api/events", new
        {
            title = "Seated gala", description = "A seated test event.", category = "Theatre",
            performances = new[]
            {
                new
                {
                    startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Théâtre", city = "Lyon", address = "1 rue" },
                    categories = new[] { new { name = "Orchestre", price = 30m, capacity = 1 } }, seatingPlanId = plan.GetProperty("id").GetGuid(),
                },
            },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var eventId = created.GetProperty("id").GetGuid();
        (await organizer.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();
        var performance = created.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetGuid();
        var seats = await (await app.CreateClient().GetAsync($"/api/performances/{performanceId}/seats")).ReadJsonAsync(HttpStatusCode.OK);
        return (organizer, eventId, performanceId, performance.GetProperty("categories")[0].GetProperty("id").GetGuid(),
            seats.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList());
    }

    [Theory]
    [InlineData("en", "Section B<i> · Row F · Seat 3", "SEAT")]
    [InlineData("fr", "Porte B<i> · Rang F · Siège 3", "PLACE")]
    public async Task ASeatedTicket_CarriesItsSeat_OnTheMailThePdfTheApiTheDoorAndTheExport(string language, string seatLine, string pdfLabel)
    {
        var (organizer, _, performanceId, _, seats) = await SeatedEventAsync();
        var (fan, _, _) = await app.CreateUserClientAsync(language: language, displayName: "Léa Martin");
        var order = await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seats[2] } })).ReadJsonAsync(HttpStatusCode.Created);
        var paid = await (await fan.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", Card())).ReadJsonAsync(HttpStatusCode.OK);
        var ticketId = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();

        // The mail, as the SMTP server received it.
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Contains(seatLine, mail.TextBody);
        Assert.Contains(seatLine, System.Net.WebUtility.HtmlDecode(mail.HtmlBody));
        Assert.Contains("B&lt;i&gt;", mail.HtmlBody);
        Assert.DoesNotContain("B<i>", mail.HtmlBody);
        // The e-ticket PDF attached (the receipt may be attached too): its page prints the seat under its caption.
        var pages = mail.Attachments.OfType<MimePart>().Select(part =>
        {
            using var stream = new MemoryStream();
            part.Content!.DecodeTo(stream);
            using var pdf = PdfDocument.Open(stream.ToArray());
            return Squash(pdf.GetPage(1).Text);
        }).ToList();
        Assert.Contains(pages, text => text.Contains(Squash(seatLine)) && text.Contains(pdfLabel));

        // The ticket API and the PDF download.
        var ticket = await (await fan.GetAsync($"/api/tickets/{ticketId}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("3", ticket.GetProperty("seat").GetProperty("label").GetString());
        Assert.Equal(Section, ticket.GetProperty("seat").GetProperty("section").GetString());
        var list = await (await fan.GetAsync("/api/tickets")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("F", list.GetProperty("items")[0].GetProperty("seat").GetProperty("row").GetString());
        var download = await fan.GetAsync($"/api/tickets/{ticketId}/pdf");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using (var pdf = PdfDocument.Open(await download.Content.ReadAsByteArrayAsync()))
            Assert.Contains(Squash(seatLine.Split(' ')[1]), Squash(pdf.GetPage(1).Text));

        // The door: the check-in answer names the seat.
        var checkIn = await (await organizer.PostAsJsonAsync("/api/checkin", new { code = ticket.GetProperty("code").GetString(), performanceId }))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Admitted", checkIn.GetProperty("result").GetString());
        var doorSeat = checkIn.GetProperty("ticket").GetProperty("seat");
        Assert.Equal("3", doorSeat.GetProperty("label").GetString());
        Assert.Equal("F", doorSeat.GetProperty("row").GetString());
        Assert.Equal(Section, doorSeat.GetProperty("section").GetString());

        // The account export (GDPR): the ticket and the order line carry the seat.
        var export = await (await fan.GetAsync("/api/me/export")).ReadJsonAsync(HttpStatusCode.OK);
        var exported = export.GetProperty("tickets")[0];
        Assert.Equal("3", exported.GetProperty("seatLabel").GetString());
        Assert.Equal("F", exported.GetProperty("seatRow").GetString());
        Assert.Equal(Section, exported.GetProperty("seatSection").GetString());
        Assert.Equal("3", export.GetProperty("orders")[0].GetProperty("items")[0].GetProperty("seatLabel").GetString());
    }

    [Fact]
    public async Task TheBoxOffice_SellsASeatedCategoryByBestAvailable_InParallelWithoutASeatTwice_CompsStillRefuse()
    {
        var (organizer, eventId, performanceId, categoryId, seats) = await SeatedEventAsync();
        // An online fan holds the two centre seats (labels 5 and 6).
        var (fan, _, _) = await app.CreateUserClientAsync();
        await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seats[4], seats[5] } })).ReadJsonAsync(HttpStatusCode.Created);
        Task<HttpResponseMessage> Sell(int quantity, string name) => organizer.PostAsJsonAsync($"/api/events/{eventId}/box-office-sales", new
        {
            performanceId, items = new[] { new { categoryId, quantity } }, method = "Cash", buyer = new { displayName = name },
        });
        static List<string> Labels(System.Text.Json.JsonElement order) =>
            order.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("seat").GetProperty("label").GetString()!).ToList();

        // Three together: left of the taken centre (2-4 and 7-9 are as far from it; the plan's order decides).
        var sold = await (await Sell(3, "Jean Guichet")).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Paid", sold.GetProperty("status").GetString());
        Assert.Equal(new[] { "2", "3", "4" }, Labels(sold).Order());
        Assert.All(sold.GetProperty("items").EnumerateArray(), i => Assert.Equal("F", i.GetProperty("seat").GetProperty("row").GetString()));

        // Two desks sell at once (2 + 2 of the 5 seats left: 1, 7, 8, 9, 10): each gets a pair side by side, never the same seat.
        var desks = await Task.WhenAll(Sell(2, "Desk A"), Sell(2, "Desk B"));
        var pairs = await Task.WhenAll(desks.Select(d => d.ReadJsonAsync(HttpStatusCode.Created)));
        var labels = pairs.SelectMany(Labels).ToList();
        Assert.Equal(4, labels.Distinct().Count());
        Assert.Equal(new[] { "10", "7", "8", "9" }, labels.Order());
        // One seat left, alone: two together is not possible, one is.
        await (await Sell(2, "Too many")).AssertProblemAsync(HttpStatusCode.Conflict, "insufficient_availability");
        Assert.Equal(new[] { "1" }, Labels(await (await Sell(1, "Last one")).ReadJsonAsync(HttpStatusCode.Created)));
        await (await Sell(1, "Nobody")).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");

        var category = await CategoryAsync(app, categoryId);
        Assert.Equal((8, 2), (category.Sold, category.Held));
        var rows = await QueryAsync(app, db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.PerformanceSeats.Where(s => s.PerformanceId == performanceId)));
        Assert.Equal(8, rows.Count(r => r.Status == Ticketing.Core.Seating.SeatStatus.Sold));
        var tickets = await QueryAsync(app, db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.Tickets.Where(t => t.PerformanceId == performanceId)));
        Assert.Equal(8, tickets.Count);
        Assert.Equal(8, tickets.Select(t => t.SeatId).Distinct().Count());
        Assert.All(tickets, t => Assert.Equal(rows.Single(r => r.Id == t.SeatId).OrderId, t.OrderId));

    }

    [Fact]
    public async Task CompsInASeatedCategory_NameTheirSeats_SideBySide_AndTheTicketsCarryThem()
    {
        var (organizer, eventId, performanceId, categoryId, seats) = await SeatedEventAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        await (await fan.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seats[4], seats[5] } })).ReadJsonAsync(HttpStatusCode.Created);
        (await organizer.PutAsJsonAsync($"/api/events/{eventId}/comp-quotas", new { performanceId, categoryId, quota = 4 })).EnsureSuccessStatusCode();
        Task<HttpResponseMessage> Comp(int quantity) => organizer.PostAsJsonAsync($"/api/events/{eventId}/comps", new
        {
            performanceId, categoryId, quantity, guest = new { displayName = "Presse", email = "presse@example.com" },
        });
        async Task<List<string>> LabelsOf(System.Text.Json.JsonElement comp)
        {
            var numbers = comp.GetProperty("ticketNumbers").EnumerateArray().Select(n => n.GetString()!).ToList();
            return (await QueryAsync(app, db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
                db.Tickets.Where(t => numbers.Contains(t.Number)).Select(t => t.SeatLabel!)))).Order().ToList();
        }

        // Two for the press: side by side, left of the taken centre (3-4 and 7-8 are as far from it: plan order).
        var first = await (await Comp(2)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(new[] { "3", "4" }, await LabelsOf(first));
        // Two more: the next pair nearest the centre (7-8).
        Assert.Equal(new[] { "7", "8" }, await LabelsOf(await (await Comp(2)).ReadJsonAsync(HttpStatusCode.Created)));
        await (await Comp(1)).AssertProblemAsync(HttpStatusCode.Conflict, "comp_quota_exceeded");

        var category = await CategoryAsync(app, categoryId);
        Assert.Equal((4, 2), (category.Sold, category.Held));
        Assert.Equal(4, await QueryAsync(app, db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(
            db.PerformanceSeats, s => s.PerformanceId == performanceId && s.Status == Ticketing.Core.Seating.SeatStatus.Sold)));
    }
}

public sealed class SeatTicketsTests_Sqlite(SmtpSqliteApp app) : SeatTicketsTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class SeatTicketsTests_Postgres(SmtpPostgresApp app) : SeatTicketsTests(app), IClassFixture<SmtpPostgresApp>;
