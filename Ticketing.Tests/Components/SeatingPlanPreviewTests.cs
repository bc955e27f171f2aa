using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Seating;
using Ticketing.Web.Features.Seating;

namespace Ticketing.Tests.Components;

/// <summary>Issue 22: the plan editor's SVG preview (server-rendered, no script, labels encoded, legend with words).</summary>
public sealed class SeatingPlanPreviewTests
{
    private static BunitContext NewContext(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        return ctx;
    }

    private static SeatingPlanDto Plan() => new(Guid.NewGuid(), "Hall <script>", 3, DateTimeOffset.UnixEpoch,
        [new SectionDto("B<img>", [new RowDto("F", [
            new SeatDto(Guid.NewGuid(), "1", 0, 0, "Orchestre", true, false, false, false),
            new SeatDto(Guid.NewGuid(), "2", 10, 0, "Orchestre", false, false, false, false),
            new SeatDto(Guid.NewGuid(), "3", 20, 0, "Balcon <i>", false, false, false, false)])])], []);

    [Theory]
    [InlineData("en", "Stage", "Section B<img> · Row F · Seat 1")]
    [InlineData("fr", "Scène", "Porte B<img> · Rang F · Siège 1")]
    public async Task ThePreview_DrawsOneCircleASeat_WithEncodedTitles_TheStage_AndALegend(string culture, string stage, string firstTitle)
    {
        await using var ctx = NewContext(culture);
        var cut = ctx.Render<SeatingPlanPreview>(p => p.Add(c => c.Plan, Plan()));

        Assert.Equal(3, cut.FindAll("circle").Count);
        Assert.StartsWith(firstTitle, cut.FindAll("circle title")[0].TextContent);
        Assert.Contains(stage, cut.Find("svg text").TextContent);
        Assert.Equal(2, cut.FindAll(".tk-plan-legend").Count);
        // User strings stay text: in element content they are escaped, in attributes quoted (never elements).
        Assert.Contains("B&lt;img&gt;", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Balcon &lt;i&gt;", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Hall <script>", cut.Find("svg").GetAttribute("aria-label"));
        Assert.Empty(cut.FindAll("script"));
        Assert.Empty(cut.FindAll("img"));
        Assert.Empty(cut.FindAll("i"));
    }

    [Fact]
    public async Task NoPlan_DrawsNothing()
    {
        await using var ctx = NewContext("en");
        var cut = ctx.Render<SeatingPlanPreview>(p => p.Add(c => c.Plan, null));
        Assert.Empty(cut.FindAll("svg"));
    }
}
