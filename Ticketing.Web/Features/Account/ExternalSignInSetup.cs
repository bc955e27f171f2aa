using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;

namespace Ticketing.Web.Features.Account;

/// <summary>
/// One OpenID Connect scheme per provider of <c>Auth:Oidc</c> (<c>oidc-&lt;name&gt;</c>, callback
/// <c>/signin-oidc-&lt;name&gt;</c>): authorization code with PKCE, answered by query (a top-level GET, so the Lax
/// correlation cookie comes back without SameSite=None). The result lands in Identity's external cookie, which
/// <see cref="ExternalSignInEndpoints"/> turns into our own sign-in. Every remote failure (denied consent, a bad
/// state, a provider that stops answering) ends on <c>/account/external-error</c>, never a 500.
/// </summary>
public static class ExternalSignInSetup
{
    public const string SchemePrefix = "oidc-";
    public const string ErrorPath = "/account/external-error";

    public static string SchemeOf(string provider) => SchemePrefix + provider;

    public static WebApplicationBuilder AddTicketingExternalSignIn(this WebApplicationBuilder builder, CookieSecurePolicy cookieSecurity)
    {
        var oidc = OidcOptions.From(builder.Configuration);
        var problems = oidc.Problems().ToList();
        if (problems.Count > 0) throw new InvalidOperationException("Invalid Auth:Oidc configuration: " + string.Join("; ", problems));
        builder.Services.AddSingleton(oidc);
        var authentication = builder.Services.AddAuthentication();
        foreach (var (name, provider) in oidc.Providers)
        {
            authentication.AddOpenIdConnect(SchemeOf(name), provider.DisplayName, o =>
            {
                o.SignInScheme = IdentityConstants.ExternalScheme;
                o.Authority = provider.Authority;
                o.ClientId = provider.ClientId;
                o.ClientSecret = provider.ClientSecret;
                o.RequireHttpsMetadata = provider.RequireHttpsMetadata;
                o.CallbackPath = "/signin-oidc-" + name;
                o.ResponseType = "code";
                o.ResponseMode = "query";
                o.UsePkce = true;
                o.Scope.Clear();
                foreach (var scope in provider.ScopeList) o.Scope.Add(scope);
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.SaveTokens = false;
                o.BackchannelTimeout = TimeSpan.FromSeconds(15);
                o.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");
                o.ClaimActions.MapJsonKey(provider.RoleClaim, provider.RoleClaim);
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = cookieSecurity;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = cookieSecurity;
                o.Events.OnAccessDenied = ctx =>
                {
                    ctx.Response.Redirect(ErrorUrl(ErrorCodes.ExternalAccessDenied));
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                };
                o.Events.OnRemoteFailure = ctx =>
                {
                    var code = ctx.Failure is HttpRequestException or TaskCanceledException || ctx.Failure?.InnerException is HttpRequestException
                        ? ErrorCodes.ExternalProviderUnavailable
                        : ctx.Failure?.Message.Contains("access_denied", StringComparison.Ordinal) == true
                            ? ErrorCodes.ExternalAccessDenied
                            : ErrorCodes.ExternalSignInFailed;
                    ctx.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ExternalSignInSetup))
                        .LogWarning(ctx.Failure, "External sign-in through {Provider} failed: {Code}", name, code);
                    ctx.Response.Redirect(ErrorUrl(code));
                    ctx.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        }
        return builder;
    }

    public static string ErrorUrl(string code) => $"{ErrorPath}?code={Uri.EscapeDataString(code)}";
}
