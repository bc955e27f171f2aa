using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Ticketing.Core.Accounts;

namespace Ticketing.Web.Features.Account;

public static class AccountFormEndpoints
{
    /// <summary>Sign-out is a POST with an antiforgery token (a GET would let any page sign the user out).</summary>
    public static void MapAccountFormEndpoints(this WebApplication app) =>
        app.MapPost("/account/logout", async ([FromForm] string? returnUrl, SignInManager<AppUser> signIn, TokenService tokens, HttpContext http) =>
        {
            // The stamp changes too: a copy of the cookie replayed after sign-out is refused.
            if (Guid.TryParse(signIn.UserManager.GetUserId(http.User), out var userId)) await tokens.SignOutEverywhereAsync(userId);
            await signIn.SignOutAsync();
            return Results.LocalRedirect(LocalUrls.SafeOrRoot(returnUrl));
        }).ExcludeFromDescription();
}
