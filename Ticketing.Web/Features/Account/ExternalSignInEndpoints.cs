using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;

namespace Ticketing.Web.Features.Account;

/// <summary>
/// The browser's side of "Sign in with …": <c>GET /account/external/{provider}</c> sends the browser to the provider
/// (a link, not a form: the CSP's <c>form-action 'self'</c> would stop a form's redirect to another origin; the
/// correlation cookie and PKCE protect the answer), and <c>GET /account/external/callback</c> turns the provider's
/// answer into our sign-in cookie. Pages, not API: they answer redirects.
/// </summary>
public static class ExternalSignInEndpoints
{
    private const string ProviderItem = "provider";

    public static void MapExternalSignInEndpoints(this WebApplication app)
    {
        app.MapGet("/account/external/callback", CallbackAsync).ExcludeFromDescription();
        app.MapGet("/account/external/{provider}", ChallengeAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> ChallengeAsync(string provider, string? returnUrl, HttpContext http, OidcOptions oidc, ILogger<OidcOptions> logger)
    {
        if (!oidc.Providers.ContainsKey(provider)) return Results.LocalRedirect(ExternalSignInSetup.ErrorUrl(ErrorCodes.ExternalSignInFailed));
        var properties = new AuthenticationProperties
        {
            RedirectUri = "/account/external/callback?returnUrl=" + Uri.EscapeDataString(LocalUrls.SafeOrRoot(returnUrl)),
        };
        properties.Items[ProviderItem] = provider;
        try
        {
            // The handler reads the provider's discovery document here: a provider that is down throws.
            await http.ChallengeAsync(ExternalSignInSetup.SchemeOf(provider), properties);
            return Results.Empty;
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or TaskCanceledException or IOException)
        {
            logger.LogWarning(ex, "External sign-in through {Provider}: the provider did not answer", provider);
            return Results.LocalRedirect(ExternalSignInSetup.ErrorUrl(ErrorCodes.ExternalProviderUnavailable));
        }
    }

    private static async Task<IResult> CallbackAsync(string? returnUrl, HttpContext http, OidcOptions oidc, SignInManager<AppUser> signIn,
        ExternalSignInService accounts, ILogger<OidcOptions> logger)
    {
        var result = await http.AuthenticateAsync(IdentityConstants.ExternalScheme);
        await http.SignOutAsync(IdentityConstants.ExternalScheme);
        if (!result.Succeeded || result.Properties?.Items.TryGetValue(ProviderItem, out var name) != true
            || name is null || !oidc.Providers.TryGetValue(name, out var provider))
            return Results.LocalRedirect(ExternalSignInSetup.ErrorUrl(ErrorCodes.ExternalSignInFailed));

        var principal = result.Principal!;
        var subject = principal.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject)) return Results.LocalRedirect(ExternalSignInSetup.ErrorUrl(ErrorCodes.ExternalSignInFailed));
        var identity = new ExternalIdentity(
            name, subject, principal.FindFirstValue("email"),
            string.Equals(principal.FindFirstValue("email_verified"), "true", StringComparison.OrdinalIgnoreCase),
            principal.FindFirstValue("name"),
            provider.RolesFor(ClaimValues(principal, provider.RoleClaim)));
        try
        {
            var user = await accounts.FindOrCreateAsync(identity, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);
            await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: ExternalSignInSetup.SchemeOf(name));
            logger.LogInformation("User {UserId} signed in through {Provider}", user.Id, name);
            return Results.LocalRedirect(LocalUrls.SafeOrRoot(returnUrl));
        }
        catch (DomainException ex)
        {
            return Results.LocalRedirect(ExternalSignInSetup.ErrorUrl(ex.Code));
        }
    }

    /// <summary>A role claim may come as several claims, or as one JSON array in a single claim.</summary>
    private static IEnumerable<string> ClaimValues(ClaimsPrincipal principal, string type)
    {
        foreach (var claim in principal.FindAll(type))
        {
            if (claim.Value.StartsWith('['))
            {
                string[]? values = null;
                try { values = JsonSerializer.Deserialize<string[]>(claim.Value); } catch (JsonException) { }
                foreach (var v in values ?? []) yield return v;
            }
            else yield return claim.Value;
        }
    }
}
