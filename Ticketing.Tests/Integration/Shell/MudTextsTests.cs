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
    public void ARequiredFieldsMessage_IsInTheReadersLanguage(string culture, string expected)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            using var scope = app.Services.CreateScope();
            var interceptor = scope.ServiceProvider.GetRequiredService<ILocalizationInterceptor>();
            Assert.Equal(expected, interceptor.Handle("MudFormComponent_Required").Value);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
