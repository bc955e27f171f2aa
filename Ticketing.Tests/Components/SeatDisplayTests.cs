using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Seating;
using Ticketing.Core.Tickets;
using Ticketing.Web.Features.Door;
using Ticketing.Web.Features.Tickets;

namespace Ticketing.Tests.Components;

/// <summary>Issue 22 item 4: "My tickets" and the door screen show a seated ticket's seat in the reader's language, encoded.</summary>
public sealed class SeatDisplayTests
{
    private static readonly SeatRefDto Seat = new(Guid.NewGuid(), "B<script>", "F", "12");

    private static BunitContext NewContext(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        return ctx;
    }

    private static TicketDetailDto Ticket(SeatRefDto? seat) =>
        new(Guid.NewGuid(), "AUR-0612-3F2A1-001", "Aurora — World Tour 2027", new DateTimeOffset(2027, 6, 12, 18, 30, 0, TimeSpan.Zero),
            "Halle Tony Garnier", "Lyon", "Cat 1", "Lou Buyer", "Valid", Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 35m, "EUR",
            "signed-code-of-the-ticket", seat);

    [Theory]
    [InlineData("en", "Section B<script> · Row F · Seat 12")]
    [InlineData("fr", "Porte B<script> · Rang F · Siège 12")]
    public async Task TheTicketCard_ShowsTheSeat_InTheReadersLanguage_Encoded(string culture, string expected)
    {
        await using var ctx = NewContext(culture);
        var cut = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket(Seat)));

        Assert.Equal(expected, cut.Find("[data-testid=ticket-seat]").TextContent);
        Assert.DoesNotContain("<script>", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("B&lt;script&gt;", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGeneralAdmissionTicket_ShowsNoSeatLine()
    {
        await using var ctx = NewContext("en");
        var cut = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket(null)));
        Assert.Empty(cut.FindAll("[data-testid=ticket-seat]"));
    }

    [Theory]
    [InlineData("en", "Section B<script> · Row F · Seat 12")]
    [InlineData("fr", "Porte B<script> · Rang F · Siège 12")]
    public async Task TheDoorResult_ShowsTheSeat_Large_InTheReadersLanguage(string culture, string expected)
    {
        await using var ctx = NewContext(culture);
        var view = ctx.Render<CheckInResultView>(p => p.Add(v => v.Result, "Admitted").Add(v => v.TicketNumber, "PAR-0612-000123")
            .Add(v => v.Holder, "Lou Buyer").Add(v => v.Seat, Seat));

        var seat = view.Find("[data-testid=door-seat]");
        Assert.Equal(expected, seat.TextContent);
        Assert.Contains("tk-door-seat", seat.ClassName);
        Assert.DoesNotContain("<script>", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDoorResult_WithoutASeat_ShowsNoSeatLine()
    {
        await using var ctx = NewContext("en");
        var view = ctx.Render<CheckInResultView>(p => p.Add(v => v.Result, "Admitted").Add(v => v.TicketNumber, "PAR-0612-000123"));
        Assert.Empty(view.FindAll("[data-testid=door-seat]"));
    }
}
