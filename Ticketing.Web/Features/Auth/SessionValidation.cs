using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;

namespace Ticketing.Web.Features.Auth;

/// <summary>
/// Every authenticated request (bearer token or sign-in cookie) is checked against the account's current security stamp
/// through <see cref="AccountStampCache"/>: a demoted, locked, deleted or signed-out account's sessions stop within
/// <c>Auth:RevalidateSeconds</c> (at once on the instance that made the change).
/// </summary>
public static class SessionValidation
{
    /// <summary>JwtBearer's OnTokenValidated (also for tokens answered by <see cref="ValidatedTokenCache"/>).</summary>
    public static async Task ValidateBearerAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        if (!Guid.TryParse(principal?.FindFirstValue("sub"), out var userId)
            || !await Stamps(context.HttpContext).IsCurrentAsync(userId, principal.FindFirstValue(TokenService.StampClaim), context.HttpContext.RequestAborted))
            context.Fail("The session has ended.");
    }

    /// <summary>The sign-in cookie's OnValidatePrincipal (replaces Identity's periodic SecurityStampValidator).</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var http = context.HttpContext;
        var stampType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (await IsCurrentAsync(http.RequestServices, principal, stampType, http.RequestAborted)) return;
        context.RejectPrincipal();
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>True when the cookie principal's stamp is still its account's (the Blazor circuit asks the same).</summary>
    public static async Task<bool> IsCurrentAsync(IServiceProvider services, ClaimsPrincipal? principal, string stampClaimType, CancellationToken ct)
    {
        var stamp = principal?.FindFirstValue(stampClaimType);
        return stamp is not null && Guid.TryParse(principal!.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && await services.GetRequiredService<AccountStampCache>().IsCurrentAsync(userId, AccountStampCache.Hash(stamp), ct);
    }

    private static AccountStampCache Stamps(HttpContext http) => http.RequestServices.GetRequiredService<AccountStampCache>();
}
