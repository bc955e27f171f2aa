using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Tickets;
using Ticketing.Web.Features.Tickets;

namespace Ticketing.Tests.Components;

public sealed class TicketCardTests
{
    private static BunitContext NewContext(string culture = "en")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        return ctx;
    }

    private static TicketDetailDto Ticket(string status) =>
        new(Guid.NewGuid(), "AUR-0612-3F2A1-001", "Aurora — World Tour 2027", new DateTimeOffset(2027, 6, 12, 18, 30, 0, TimeSpan.Zero),
            "Halle Tony Garnier", "Lyon", "Cat 1", "Lou Buyer", status, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), 35m, "EUR",
            "signed-code-of-the-ticket");

    [Fact]
    public async Task A_valid_ticket_shows_its_QR_code_the_PDF_link_and_the_door_instruction()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket("Valid")));

        Assert.Single(cut.FindAll("[data-testid=ticket-qr]"));
        Assert.Single(cut.FindAll("a.tk-ticket-pdf"));
        Assert.Contains("Show this code at the door.", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=ticket-void]"));
    }

    [Fact]
    public async Task A_refunded_ticket_shows_as_void_with_no_QR_code_no_PDF_and_no_door_instruction()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket(nameof(TicketStatus.Voided))));

        Assert.Empty(cut.FindAll("[data-testid=ticket-qr]"));
        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("a.tk-ticket-pdf"));
        Assert.DoesNotContain("/pdf", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Show this code at the door", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("Voided", cut.Find("[data-testid=ticket-status]").TextContent);
        Assert.Contains("Refunded", cut.Find("[data-testid=ticket-void]").TextContent);
    }

    [Fact]
    public async Task A_refunded_ticket_in_French_says_rembourse_and_annule()
    {
        await using var ctx = NewContext("fr");
        var cut = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket(nameof(TicketStatus.Voided))));

        Assert.Equal("Annulé", cut.Find("[data-testid=ticket-status]").TextContent);
        Assert.StartsWith("Remboursé", cut.Find("[data-testid=ticket-void]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=ticket-qr]"));
    }

    [Fact]
    public async Task A_valid_ticket_offers_Transfer_and_a_transferred_one_says_so_in_French()
    {
        await using var ctx = NewContext("fr");
        TicketDetailDto? asked = null;
        var valid = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket("Valid")).Add(c => c.Received, true)
            .Add(c => c.OnTransfer, (TicketDetailDto t) => asked = t));
        Assert.Contains("Reçu", valid.Find("[data-testid=ticket-received]").TextContent);
        valid.Find("[data-testid=ticket-transfer]").Click();
        Assert.NotNull(asked);

        var gone = ctx.Render<TicketCard>(p => p.Add(c => c.Ticket, Ticket("Voided")).Add(c => c.Transferred, true));
        Assert.Contains("Transféré", gone.Find("[data-testid=ticket-transferred]").TextContent);
        Assert.Empty(gone.FindAll("[data-testid=ticket-transfer]"));
        Assert.Empty(gone.FindAll("[data-testid=ticket-void]"));
    }
}
