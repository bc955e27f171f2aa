using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Shell;

/// <summary>
/// MudBlazor's own texts follow the reader's language: a required field left empty said "Required" on French pages (seen
/// on the comps page's screenshot after issuing comps). The app's MudBlazor interceptor now finds them in our resources.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class MudTextsTests(SqliteApp app)
{
    /// <summary>
    /// Every Mud.* text is asked for the way MudBlazor asks (through its interceptor, with and without arguments) in both
    /// languages: none fails (a pager's format once broke every page with a data grid) and each is found.
    /// </summary>
    [Theory]
    [InlineData("fr")]
    [InlineData("en")]
    public void EveryMudText_IsFound_AndNeverFailsAPage(string culture)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Resources", "SharedResource.resx"))) dir = dir.Parent;
        var keys = System.Xml.Linq.XDocument.Load(Path.Combine(dir!.FullName, "Resources", "SharedResource.resx"))
            .Root!.Elements("data").Select(d => (string)d.Attribute("name")!).Where(k => k.StartsWith("Mud.", StringComparison.Ordinal))
            .Select(k => k["Mud.".Length..]).ToList();
        Assert.NotEmpty(keys);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            using var scope = app.Services.CreateScope();
            var interceptor = scope.ServiceProvider.GetRequiredService<ILocalizationInterceptor>();
            var mud = scope.ServiceProvider.GetRequiredService<MudLocalizer>();
            foreach (var key in keys)
            {
                Assert.False(string.IsNullOrWhiteSpace(interceptor.Handle(key).Value), key);
                Assert.False(mud[key].ResourceNotFound, key);
                Assert.False(string.IsNullOrWhiteSpace(mud[key, 1, 2, 3].Value), key);
            }
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("fr", "Obligatoire")]
    [InlineData("en", "Required")]
    public void MudBlazorsTexts_AreInTheReadersLanguage(string culture, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            using var scope = app.Services.CreateScope();
            var interceptor = scope.ServiceProvider.GetRequiredService<ILocalizationInterceptor>();
            Assert.Equal(expected, interceptor.Handle("MudFormComponent_Required").Value);
            // The labels of MudBlazor's buttons and pagers too (read out by screen readers).
            Assert.Equal(culture == "fr" ? "Fermer" : "Close", interceptor.Handle("MudAlert_Close").Value);
            Assert.Equal(culture == "fr" ? "Page suivante" : "Next page", interceptor.Handle("MudDataGridPager_NextPage").Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
