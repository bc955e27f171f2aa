using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Accounts;
using Ticketing.Web.Components.Layout;

namespace Ticketing.Tests.Components;

/// <summary>Issue 18 item 11: one visual language for fan and MudBlazor pages; the phone menu repeats nothing.</summary>
public sealed partial class VisualLanguageTests
{
    private static string AppCss()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ticketing.Web", "wwwroot", "css", "app.css"))) dir = dir.Parent;
        return File.ReadAllText(Path.Combine(dir!.FullName, "Ticketing.Web", "wwwroot", "css", "app.css"));
    }

    [Fact]
    public void TheMudTheme_UsesTheSameTokensAsAppCss()
    {
        var root = RootBlock().Match(AppCss()).Groups[1].Value;
        var css = CssVariable().Matches(root).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim());
        Assert.All(TicketingTheme.CssTokens, t => Assert.Equal(t.Value, css.GetValueOrDefault(t.Key), StringComparer.OrdinalIgnoreCase));

        var theme = TicketingTheme.Theme;
        Assert.Equal(css["tk-accent"], theme.PaletteLight.Primary.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(css["tk-dark"], theme.PaletteLight.AppbarBackground.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(css["tk-text"], theme.PaletteLight.TextPrimary.ToString(MudBlazor.Utilities.MudColorOutputFormats.Hex), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(css["tk-radius"], theme.LayoutProperties.DefaultBorderRadius);
        // Buttons: sentence case and bold like .tk-btn, with its corners.
        Assert.Equal("none", theme.Typography.Button.TextTransform);
        Assert.Equal("700", theme.Typography.Button.FontWeight);
        Assert.Matches(@"\.tk-btn \{[^}]*border-radius: var\(--tk-btn-radius\)", AppCss());
        Assert.Matches(@"\.mud-button-root\.mud-button \{ border-radius: var\(--tk-btn-radius\); \}", AppCss());
    }

    [Theory]
    [InlineData("en", true)]
    [InlineData("fr", true)]
    [InlineData("en", false)]
    public async Task PhoneMenu_HasOneCategoryGroup_AndNoEntryTwice(string culture, bool signedIn)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        await using var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddLogging();
        var auth = ctx.AddAuthorization();
        if (signedIn) auth.SetAuthorized("Léa").SetRoles(Roles.Customer);
        var cut = ctx.Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        var drawer = cut.Find("nav.tk-drawer");
        var entries = drawer.QuerySelectorAll("a, .tk-menu-group").Select(e => e.TextContent.Trim()).ToList();
        Assert.Equal(entries.Count, entries.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Single(drawer.QuerySelectorAll(".tk-menu-group"));
        Assert.Equal(Enum.GetValues<Ticketing.Core.Events.EventCategory>().Length, drawer.QuerySelectorAll("[role=group] a").Length);
        // What the header already offers on a phone (the account menu or the sign-in button) is not in the drawer again.
        var header = cut.Find(".tk-header-actions").QuerySelectorAll("a").Select(a => a.GetAttribute("href")?.Split('?')[0]).ToHashSet();
        Assert.DoesNotContain(drawer.QuerySelectorAll("a"), a => header.Contains(a.GetAttribute("href")));
        Assert.DoesNotContain(drawer.QuerySelectorAll("a"), a => a.GetAttribute("href")!.StartsWith("/account", StringComparison.Ordinal));
    }

    [GeneratedRegex(@":root\s*\{([^}]*)\}")]
    private static partial Regex RootBlock();

    [GeneratedRegex(@"--([\w-]+):\s*([^;]+);")]
    private static partial Regex CssVariable();
}
