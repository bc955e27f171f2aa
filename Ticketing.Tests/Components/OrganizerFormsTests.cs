using System.Globalization;
using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Sales;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Dashboard;
using Ticketing.Web.Features.Sales;

namespace Ticketing.Tests.Components;

/// <summary>Issue 18, item 8: the event form validates as the organizer types; the sales charts draw what there is.</summary>
public sealed class OrganizerFormsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);
    private const string Required = "This field is required.";

    private static BunitContext NewContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton<TimeProvider>(new ManualTimeProvider(Now));
        ctx.Services.AddSingleton(Options.Create(new OrderOptions()));
        return ctx;
    }

    private static IRenderedComponent<EventForm> RenderForm(BunitContext ctx) =>
        ctx.Render<EventForm>(p => p.Add(f => f.Model, new EventInput()));

    private static string FieldText(IRenderedComponent<EventForm> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").Closest(".mud-input-control")!.TextContent;

    [Fact]
    public async Task AfterASubmit_TypingATitle_RemovesItsRequiredMessageAtOnce_WhileOtherEmptyFieldsKeepTheirs()
    {
        await using var ctx = NewContext();
        var cut = RenderForm(ctx);

        cut.Find("form").Submit();
        Assert.Contains(Required, FieldText(cut, "event-title"));
        Assert.Contains(Required, FieldText(cut, "venue-name"));

        cut.Find("[data-testid=event-title] input, input[data-testid=event-title]").Input("Gala de printemps");

        cut.WaitForAssertion(() => Assert.DoesNotContain(Required, FieldText(cut, "event-title")));
        Assert.Contains(Required, FieldText(cut, "venue-name"));
    }

    [Fact]
    public async Task BeforeASubmit_OnlyAFieldTheOrganizerEmptied_SaysItIsRequired()
    {
        await using var ctx = NewContext();
        var cut = RenderForm(ctx);
        var title = () => cut.Find("[data-testid=event-title] input, input[data-testid=event-title]");

        title().Input("Gala");
        title().Input("");

        cut.WaitForAssertion(() => Assert.Contains(Required, FieldText(cut, "event-title")));
        Assert.DoesNotContain(Required, FieldText(cut, "venue-name"));
    }

    [Fact]
    public async Task SalesOverTime_WithOneDayOfSales_DrawsALine()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<SalesOverTimeChart>(p => p.Add(c => c.Daily, [new SalesDay(new DateOnly(2026, 11, 24), 3, 13500)]));

        var line = cut.Find("path.mud-chart-line");
        Assert.Matches(@"L", line.GetAttribute("d") ?? "");
        Assert.Equal([(new DateOnly(2026, 11, 23), 0), (new DateOnly(2026, 11, 24), 3)],
            SalesOverTimeChart.Timeline([new SalesDay(new DateOnly(2026, 11, 24), 3, 13500)]));
    }

    [Fact]
    public async Task CategoryBars_AFewSeatsSoldOfMany_StillShowASoldBar()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<CategorySalesChart>(p => p.Add(c => c.Bars, [("Fosse", 1, 5000), ("Balcon", 0, 100)]));

        var bars = cut.FindAll(".tk-bar-sold");
        Assert.Contains("tk-bar-sold-some", bars[0].ClassList);
        Assert.DoesNotContain("tk-bar-sold-some", bars[1].ClassList);
    }
}
