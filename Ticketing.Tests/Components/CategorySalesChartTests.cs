using System.Globalization;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Web.Features.Sales;

namespace Ticketing.Tests.Components;

public sealed class CategorySalesChartTests
{
    [Fact]
    public async Task HostileCategoryNames_AreShownAsText_AndBecomeNoElement()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("en");
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        const string hostile = "Cat 1 <script>window.__xss=1</script><img src=x onerror=alert(1)><svg onload=alert(1)>\"'>";

        var cut = ctx.Render<CategorySalesChart>(p => p.Add(c => c.Bars, [(hostile, 3, 10), ("Carré Or", 10, 10)]));

        var names = cut.FindAll(".tk-bar-name");
        Assert.Equal([hostile, "Carré Or"], names.Select(n => n.TextContent));
        Assert.Empty(cut.FindAll("script, img, svg, [onerror], [onload]"));
        Assert.Equal(hostile, cut.FindAll("[role=meter]")[0].GetAttribute("aria-label"));
        Assert.Equal("width:30%", cut.FindAll(".tk-bar-sold")[0].GetAttribute("style"));
        Assert.Equal("width:100%", cut.FindAll(".tk-bar-sold")[1].GetAttribute("style"));
        Assert.Contains("3 sold of 10", cut.FindAll(".tk-bar-row")[0].TextContent);
    }
}
