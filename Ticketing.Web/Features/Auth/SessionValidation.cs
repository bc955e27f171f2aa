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
/// <c>Auth:RevalidateSeconds</c> (at once on the instance that made the change). A session issued after this instance's
/// read of its account (a sign-in on another instance after a sign-out there) is checked against the database again,
/// so it is never refused for the delay.
/// </summary>
public static class SessionValidation
{
    /// <summary>JwtBearer's OnTokenValidated (also for tokens answered by <see cref="ValidatedTokenCache"/>).</summary>
    public static async Task ValidateBearerAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        if (!Guid.TryParse(principal?.FindFirstValue("sub"), out var userId)
            || !await Stamps(context.HttpContext).IsCurrentAsync(userId, principal.FindFirstValue(TokenService.StampClaim), context.HttpContext.RequestAborted,
                IssuedAt(context.SecurityToken)))
            context.Fail("The session has ended.");
    }

    /// <summary>The sign-in cookie's OnValidatePrincipal (replaces Identity's periodic SecurityStampValidator).</summary>
    public static async Task ValidateCookieAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var http = context.HttpContext;
        var stampType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (await IsCurrentAsync(http.RequestServices, principal, stampType, http.RequestAborted, context.Properties.IssuedUtc)) return;
        context.RejectPrincipal();
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
    }

    /// <summary>True when the cookie principal's stamp is still its account's (the Blazor circuit asks the same).</summary>
    /// <param name="issuedAt">When the cookie was issued, if known (a cookie newer than this instance's read is checked again).</param>
    public static async Task<bool> IsCurrentAsync(IServiceProvider services, ClaimsPrincipal? principal, string stampClaimType, CancellationToken ct,
        DateTimeOffset? issuedAt = null)
    {
        var stamp = principal?.FindFirstValue(stampClaimType);
        return stamp is not null && Guid.TryParse(principal!.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)
            && await services.GetRequiredService<AccountStampCache>().IsCurrentAsync(userId, AccountStampCache.Hash(stamp), ct, issuedAt);
    }

    /// <summary>When the token was issued (our tokens' nbf is their iat; a cached token keeps it as ValidFrom).</summary>
    private static DateTimeOffset? IssuedAt(Microsoft.IdentityModel.Tokens.SecurityToken? token) =>
        token is null || token.ValidFrom == DateTime.MinValue ? null : new DateTimeOffset(DateTime.SpecifyKind(token.ValidFrom, DateTimeKind.Utc));

    private static AccountStampCache Stamps(HttpContext http) => http.RequestServices.GetRequiredService<AccountStampCache>();
}
