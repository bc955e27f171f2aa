using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Ticketing.Core.Events;
using Ticketing.Web.Features.Catalog;
using Ticketing.Web.Features.Dashboard;

namespace Ticketing.Tests.Components;

public sealed class CatalogComponentTests
{
    private static BunitContext NewContext(string culture = "en")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton(TimeProvider.System);
        return ctx;
    }

    private static EventListItem Item(int cities = 1, bool soldOut = false, bool lastSeats = false, string status = "Published") =>
        new(Guid.NewGuid(), "Aurora — World Tour 2027", "Concert", "Aurora", "/img/events/stadium-tour.svg", status,
            cities == 1 ? ["Lyon"] : Enumerable.Range(0, cities).Select(i => $"City {i}").ToList(), cities == 1 ? "Lyon" : null, cities, cities,
            new DateTimeOffset(2027, 6, 12, 18, 30, 0, TimeSpan.Zero), new DateTimeOffset(2027, 7, 3, 18, 30, 0, TimeSpan.Zero),
            45m, 4500, "EUR", soldOut, lastSeats, false, "aurora-world-tour-2027");

    [Fact]
    public async Task EventCard_ForATour_ShowsImageWithAltTitleCitiesDatesFromPriceAndLastSeats()
    {
        await using var ctx = NewContext();
        var item = Item(cities: 8, lastSeats: true);
        var cut = ctx.Render<EventCard>(p => p.Add(c => c.Item, item));

        Assert.Equal("Aurora — World Tour 2027", cut.Find("img").GetAttribute("alt"));
        Assert.Equal($"/events/{item.Id}/aurora-world-tour-2027", cut.Find("a").GetAttribute("href"));
        Assert.Contains("Tour — 8 cities", cut.Find(".tk-card-place").TextContent);
        Assert.Contains("€45.00", cut.Find(".tk-card-price").TextContent);
        Assert.Contains("from", cut.Find(".tk-card-price").TextContent);
        Assert.Equal("Last seats", cut.Find(".tk-badge").TextContent);
        Assert.Contains("12 Jun", cut.Find(".tk-card-dates").TextContent);
        Assert.Contains("3 Jul 2027", cut.Find(".tk-card-dates").TextContent);
    }

    [Fact]
    public async Task EventCard_InFrench_SaysCompletAndAPartirDe_AndAOneCityEventShowsItsCity()
    {
        await using var ctx = NewContext("fr");
        var cut = ctx.Render<EventCard>(p => p.Add(c => c.Item, Item(soldOut: true, lastSeats: false)));
        Assert.Equal("Complet", cut.Find(".tk-badge").TextContent);
        Assert.Equal("Lyon", cut.Find(".tk-card-place").TextContent.Trim());
        Assert.Contains("à partir de", cut.Find(".tk-card-price").TextContent);
        Assert.Contains("45,00 €", cut.Find(".tk-card-price").TextContent);
        Assert.Single(cut.FindAll(".tk-badge"));
    }

    [Fact]
    public async Task EventCard_ForACancelledEvent_SaysCancelledRatherThanSoldOut()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<EventCard>(p => p.Add(c => c.Item, Item(soldOut: true, status: "Cancelled")));
        Assert.Equal("Cancelled", cut.Find(".tk-badge").TextContent);
    }

    [Fact]
    public async Task SearchFilters_AreAPlainGetFormToSearch_ShowingTheCurrentValues()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<SearchFilters>(p => p
            .Add(c => c.Value, new SearchFilterValues(Q: "jazz", City: "Besançon", Category: "Theatre", MaxPrice: 50m, Sort: CatalogSort.Price)));

        var form = cut.Find("form");
        Assert.Equal("/search", form.GetAttribute("action"));
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.Equal("jazz", cut.Find("#filter-q").GetAttribute("value"));
        Assert.Equal("q", cut.Find("#filter-q").GetAttribute("name"));
        Assert.Equal("Besançon", cut.Find("#filter-city").GetAttribute("value"));
        Assert.Equal("Theatre", cut.Find("#filter-category option[selected]").GetAttribute("value"));
        Assert.Equal("50", cut.Find("#filter-max-price").GetAttribute("value"));
        Assert.Equal("maxPrice", cut.Find("#filter-max-price").GetAttribute("name"));
        Assert.Equal("Price", cut.Find("#filter-sort option[selected]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[blazor\\:onclick], [blazor\\:onsubmit]"));
    }

    [Fact]
    public async Task SearchFilters_Clear_IsALinkToTheUnfilteredSearch()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<SearchFilters>(p => p.Add(c => c.Value, new SearchFilterValues(Q: "jazz", City: "Lyon")));
        Assert.Equal("/search", cut.Find("a.tk-filter-clear").GetAttribute("href"));
        Assert.True(new SearchFilterValues().IsEmpty);
    }

    private static EventInput ValidInput(DateTimeOffset startsAt, decimal price = 45m) => new()
    {
        Title = "Gala", Description = "The school gala.", Category = "Show", MaxTicketsPerOrder = 6,
        Performances =
        [
            new PerformanceInput
            {
                StartsAt = startsAt, Venue = new VenueInput { Name = "Salle des fêtes", City = "Besançon", Country = "FR" },
                Categories = [new PriceCategoryInput { Name = "Placement libre", Price = price, Capacity = 200, Currency = "EUR" }],
            },
        ],
    };

    [Fact]
    public async Task EventForm_Empty_ShowsRequiredFieldErrorsInlineAndDoesNotSubmit()
    {
        await using var ctx = NewContext();
        ctx.Render<MudPopoverProvider>();
        var submitted = false;
        var cut = ctx.Render<EventForm>(p => p.Add(c => c.Model, new EventInput()).Add(c => c.OnValidSubmit, _ => submitted = true));

        cut.Find("form").Submit();

        Assert.False(submitted);
        Assert.Contains("Some fields are not valid.", cut.Markup);
        Assert.True(cut.FindAll(".mud-input-error").Count >= 4, cut.Markup);
        Assert.Contains("This field is required.", cut.Markup);
    }

    [Fact]
    public async Task EventForm_InFrench_RefusesANegativePriceAndAPastDate()
    {
        await using var ctx = NewContext("fr");
        ctx.Render<MudPopoverProvider>();
        var submitted = false;
        var cut = ctx.Render<EventForm>(p => p
            .Add(c => c.Model, ValidInput(DateTimeOffset.UtcNow.AddDays(-3), price: -5m))
            .Add(c => c.OnValidSubmit, _ => submitted = true));

        cut.Find("form").Submit();

        Assert.False(submitted);
        Assert.Contains("Le prix ne peut pas être négatif.", cut.Markup);
        Assert.Contains("Cette date est passée.", cut.Markup);
    }

    [Fact]
    public async Task EventForm_Valid_SubmitsTheModelWithTheDateInUtc()
    {
        await using var ctx = NewContext();
        ctx.Render<MudPopoverProvider>();
        EventInput? submitted = null;
        var startsAt = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(30).AddHours(18), TimeSpan.Zero);
        var cut = ctx.Render<EventForm>(p => p
            .Add(c => c.Model, ValidInput(startsAt))
            .Add(c => c.OnValidSubmit, m => submitted = m));

        cut.Find("form").Submit();

        Assert.NotNull(submitted);
        Assert.Equal(startsAt, submitted!.Performances![0].StartsAt);
        Assert.Equal(TimeSpan.Zero, submitted.Performances[0].StartsAt!.Value.Offset);
        Assert.DoesNotContain("mud-input-error", cut.Markup);
    }
}
