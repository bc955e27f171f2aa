using MudBlazor;

namespace Ticketing.Web.Components.Layout;

public static class TicketingTheme
{
    /// <summary>Dark header, one warm accent for calls to action (contrast-checked against white text), soft cards.</summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#C2410C",
            PrimaryContrastText = "#FFFFFF",
            Secondary = "#1F2433",
            AppbarBackground = "#14171F",
            AppbarText = "#FFFFFF",
            Background = "#FFFFFF",
            Surface = "#FFFFFF",
            TextPrimary = "#1A1D26",
            TextSecondary = "#4B5262",
            Success = "#1B7F3B",
            Warning = "#B45309",
            Error = "#B91C1C",
            Info = "#1D4ED8",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
            H1 = new H1Typography { FontFamily = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"], FontWeight = "800" },
            H2 = new H2Typography { FontFamily = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"], FontWeight = "800" },
            H3 = new H3Typography { FontFamily = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"], FontWeight = "800" },
            H4 = new H4Typography { FontFamily = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"], FontWeight = "800" },
            H5 = new H5Typography { FontFamily = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"], FontWeight = "700" },
            H6 = new H6Typography { FontFamily = ["Trebuchet MS", "Segoe UI", "system-ui", "sans-serif"], FontWeight = "700" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
