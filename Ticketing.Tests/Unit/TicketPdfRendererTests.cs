using Ticketing.Tests.Infrastructure;
using System.Diagnostics;
using System.Globalization;
using PdfSharp.Fonts;
using Ticketing.Core.Tickets;
using UglyToad.PdfPig;

namespace Ticketing.Tests.Unit;

public sealed class TicketPdfRendererTests
{
    private static readonly TicketPdfLabels English = new(
        Ticket: "E-ticket", Date: "Date", Venue: "Venue", Category: "Category", Holder: "Holder",
        Number: "Ticket number", Price: "Price", Order: "Order",
        Footer: "Present this ticket (printed or on your phone) at the entrance. The QR code is valid for a single entry. "
            + "Do not share it: only the first scan is accepted.");

    private static readonly TicketPdfLabels French = new(
        Ticket: "Billet électronique", Date: "Date", Venue: "Lieu", Category: "Catégorie", Holder: "Détenteur",
        Number: "Numéro de billet", Price: "Prix", Order: "Commande",
        Footer: "Présentez ce billet (imprimé ou sur votre téléphone) à l'entrée. Le code QR n'est valable que pour une seule entrée. "
            + "Ne le partagez pas : seul le premier scan est accepté. « Bon spectacle ! »");

    private static IReadOnlyList<TicketPdfModel> ThreeTickets(string priceText, string prefix = "T") =>
    [
        Ticket(1, "Alice Martin", priceText, prefix),
        Ticket(2, "Bruno Lefèvre", priceText, prefix),
        Ticket(3, "Chloé Dubois-Garçon", priceText, prefix),
    ];

    private static TicketPdfModel Ticket(int i, string holder, string priceText, string prefix = "T") => new(
        Number: $"{prefix}2026-{i:D6}",
        Code: $"TKT-{prefix}-{i:D4}-7f3a9c1e5b2d4086a1c3e5f7",
        EventTitle: "Les Misérables — Soirée d'ouverture",
        Artist: "Orchestre de l'Opéra de Lyon",
        StartsAt: new DateTimeOffset(2026, 3, 14, 19, 30, 0, TimeSpan.Zero),
        TimeZoneId: "Europe/Paris",
        VenueName: "Théâtre des Célestins",
        City: "69002 Lyon",
        Address: "4 rue Charles Dullin",
        CategoryName: "Orchestre — Catégorie 1",
        HolderName: holder,
        PriceText: priceText,
        OrderReference: "ORD-8F2K-31QZ");

    private static string Normalize(string text) => new(text.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static List<string> PageTexts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return document.GetPages().Select(p => Normalize(p.Text)).ToList();
    }

    [Fact]
    public void Renders_one_page_per_ticket_with_its_text_and_a_decodable_qr()
    {
        var tickets = ThreeTickets("€45.00");
        var pdf = new TicketPdfRenderer().Render(tickets, English, CultureInfo.GetCultureInfo("en-US"));
        SaveSample(pdf, "tickets-en.pdf");

        var pages = PageTexts(pdf);
        Assert.Equal(3, pages.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains(Normalize(tickets[i].Number), pages[i]);
            Assert.Contains(Normalize(tickets[i].HolderName), pages[i]);
            Assert.Contains(Normalize(tickets[i].EventTitle), pages[i]);
            Assert.Contains(Normalize("Saturday, March 14, 2026"), pages[i]);
            Assert.Contains(Normalize("8:30 PM"), pages[i]); // 19:30 UTC is 20:30 in Paris in March (CET)
            Assert.Contains(Normalize("€45.00"), pages[i]);
            // Another ticket's number must not leak onto this page.
            Assert.DoesNotContain(Normalize(tickets[(i + 1) % 3].Number), pages[i]);
        }

        Assert.Equal(tickets[0].Code, PdfTools.DecodeQrOnFirstPage(pdf));
    }

    [Fact]
    public void French_culture_prints_french_month_accents_and_euro()
    {
        var tickets = ThreeTickets("45,00 €", prefix: "F");
        var pdf = new TicketPdfRenderer().Render(tickets, French, CultureInfo.GetCultureInfo("fr-FR"));
        SaveSample(pdf, "tickets-fr.pdf");

        var pages = PageTexts(pdf);
        Assert.Equal(3, pages.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains(Normalize(tickets[i].Number), pages[i]);
            Assert.Contains(Normalize(tickets[i].HolderName), pages[i]);
            Assert.Contains(Normalize(tickets[i].EventTitle), pages[i]);
            Assert.Contains("14mars2026", pages[i]);
            Assert.Contains("20:30", pages[i]);
            Assert.Contains("45,00€", pages[i]);
            Assert.Contains("CATÉGORIE", pages[i]);
            Assert.Contains("«Bonspectacle!»", pages[i]);
        }

        Assert.Equal(tickets[0].Code, PdfTools.DecodeQrOnFirstPage(pdf));
    }

    [Fact]
    public void Unknown_time_zone_falls_back_to_utc()
    {
        var ticket = Ticket(7, "Zoé", "€10.00") with { TimeZoneId = "Nowhere/Atlantis" };
        var pdf = new TicketPdfRenderer().Render([ticket], English, CultureInfo.GetCultureInfo("en-GB"));

        var page = Assert.Single(PageTexts(pdf));
        Assert.Contains("19:30", page);
        Assert.Contains("UTC", page);
    }

    [Fact]
    public async Task Renders_concurrently_on_several_threads()
    {
        var renderer = new TicketPdfRenderer();
        var jobs = Enumerable.Range(0, 16).Select(job => Task.Run(() =>
        {
            var culture = CultureInfo.GetCultureInfo(job % 2 == 0 ? "fr-FR" : "en-US");
            var labels = job % 2 == 0 ? French : English;
            var tickets = new[]
            {
                Ticket(job * 10 + 1, $"Holder {job} A", "€5.00", $"P{job}-"),
                Ticket(job * 10 + 2, $"Holder {job} B", "€5.00", $"P{job}-"),
            };
            return (tickets, pdf: renderer.Render(tickets, labels, culture));
        })).ToList();

        var results = await Task.WhenAll(jobs);

        foreach (var (tickets, pdf) in results)
        {
            var pages = PageTexts(pdf);
            Assert.Equal(2, pages.Count);
            Assert.Contains(Normalize(tickets[0].Number), pages[0]);
            Assert.Contains(Normalize(tickets[1].Number), pages[1]);
            Assert.Contains(Normalize(tickets[1].HolderName), pages[1]);
        }
    }

    [Fact]
    public void Long_texts_and_missing_artist_do_not_break_the_layout()
    {
        var ticket = Ticket(9, new string('W', 120), "€1,234.56") with
        {
            Artist = null,
            EventTitle = string.Join(' ', Enumerable.Repeat("Extraordinarily long festival title", 8)),
            VenueName = "Salle " + new string('X', 90),
        };
        var pdf = new TicketPdfRenderer().Render([ticket], English, CultureInfo.InvariantCulture);
        SaveSample(pdf, "ticket-long.pdf");

        var page = Assert.Single(PageTexts(pdf));
        Assert.Contains(Normalize(ticket.Number), page);
    }

    [Fact]
    public void Characters_outside_latin1_render_and_extract()
    {
        var ticket = Ticket(11, "Łukasz Żółć — Дмитрий Ωmega", "1 234,50 €");
        var pdf = new TicketPdfRenderer().Render([ticket], French, CultureInfo.GetCultureInfo("fr-FR"));

        var page = Assert.Single(PageTexts(pdf));
        Assert.Contains(Normalize(ticket.HolderName), page);
        Assert.Contains("1234,50€", page.Replace("\u202F", string.Empty).Replace("\u00A0", string.Empty));
    }

    [Fact]
    public void Rejects_an_empty_ticket_list()
    {
        Assert.Throws<ArgumentException>(() =>
            new TicketPdfRenderer().Render([], English, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Font_resolver_is_registered_once_and_serves_embedded_fonts()
    {
        Parallel.For(0, 8, _ => TicketPdfFontResolver.EnsureRegistered());

        var resolver = GlobalFontSettings.FontResolver;
        Assert.NotNull(resolver);
        var regular = resolver.ResolveTypeface(TicketPdfFontResolver.FamilyName, false, false);
        var bold = resolver.ResolveTypeface(TicketPdfFontResolver.FamilyName, true, false);
        Assert.NotNull(regular);
        Assert.NotNull(bold);
        Assert.NotEqual(regular.FaceName, bold.FaceName);
        Assert.True(resolver.GetFont(regular.FaceName)!.Length > 100_000);
        Assert.True(resolver.GetFont(bold.FaceName)!.Length > 100_000);
    }

    private static void SaveSample(byte[] pdf, string name)
    {
        var dir = Environment.GetEnvironmentVariable("TICKETING_PDF_SAMPLES");
        if (!string.IsNullOrWhiteSpace(dir))
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(Path.Combine(dir, name), pdf);
        }
    }
}
