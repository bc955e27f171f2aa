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
