using MudBlazor;

namespace Ticketing.Web.Components.Layout;

/// <summary>
/// One visual language for the fan pages (plain HTML styled by wwwroot/css/app.css) and the MudBlazor pages (account,
/// dashboard, admin): the palette, the type and the buttons come from the same tokens as app.css's <c>:root</c>
/// variables (<c>--tk-*</c>; a test keeps the two in step). Dark header, one warm accent for calls to action
/// (contrast-checked against white text), sentence-case bold buttons with 8 px corners like <c>.tk-btn</c>.
/// </summary>
public static class TicketingTheme
{
    /// <summary>The app.css variables the theme mirrors: name (without <c>--</c>) to value.</summary>
    public static readonly IReadOnlyDictionary<string, string> CssTokens = new Dictionary<string, string>
    {
        ["tk-dark"] = "#14171F",
        ["tk-dark-2"] = "#1F2433",
        ["tk-accent"] = "#C2410C",
        ["tk-accent-hover"] = "#9A3412",
        ["tk-text"] = "#1A1D26",
        ["tk-muted"] = "#4B5262",
        ["tk-border"] = "#D6D9E0",
        ["tk-radius"] = "12px",
        ["tk-btn-radius"] = "8px",
    };

    private static readonly string[] Body = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];
    private static readonly string[] Headings = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"];

    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = CssTokens["tk-accent"],
            PrimaryDarken = CssTokens["tk-accent-hover"],
            PrimaryContrastText = "#FFFFFF",
            Secondary = CssTokens["tk-dark-2"],
            AppbarBackground = CssTokens["tk-dark"],
            AppbarText = "#FFFFFF",
            Background = "#FFFFFF",
            Surface = "#FFFFFF",
            TextPrimary = CssTokens["tk-text"],
            TextSecondary = CssTokens["tk-muted"],
            LinesDefault = CssTokens["tk-border"],
            LinesInputs = CssTokens["tk-border"],
            TableLines = CssTokens["tk-border"],
            Divider = CssTokens["tk-border"],
            Success = "#1B7F3B",
            Warning = "#B45309",
            Error = "#B91C1C",
            Info = "#1D4ED8",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Body },
            H1 = new H1Typography { FontFamily = Headings, FontWeight = "800" },
            H2 = new H2Typography { FontFamily = Headings, FontWeight = "800" },
            H3 = new H3Typography { FontFamily = Headings, FontWeight = "800" },
            H4 = new H4Typography { FontFamily = Headings, FontWeight = "800" },
            H5 = new H5Typography { FontFamily = Headings, FontWeight = "700" },
            H6 = new H6Typography { FontFamily = Headings, FontWeight = "700" },
            // Like .tk-btn: no capitals, bold, 16 px.
            Button = new ButtonTypography { FontFamily = Body, FontWeight = "700", FontSize = "1rem", TextTransform = "none", LetterSpacing = "normal" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = CssTokens["tk-radius"] },
    };
}
