using Microsoft.AspNetCore.Localization;
using Ticketing.Core.Accounts;
using Ticketing.Web.Features.Account;

namespace Ticketing.Web.Hosting;

public static class CultureEndpoints
{
    /// <summary><c>GET /culture/set?culture=fr&amp;redirectUri=/events/…</c>: remembers the language in a cookie and goes back.</summary>
    public static void MapCultureEndpoints(this WebApplication app) =>
        app.MapGet("/culture/set", (string? culture, string? redirectUri, HttpContext http) =>
        {
            var lang = Languages.IsSupported(culture) ? culture! : "en";
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(lang)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = http.Request.IsHttps });
            // Only local paths: never an open redirect.
            return Results.LocalRedirect(LocalUrls.SafeOrRoot(redirectUri));
        }).ExcludeFromDescription();
}
