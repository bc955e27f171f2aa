using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Ticketing.Core;
using Ticketing.Core.Accounts;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Account;

/// <summary>
/// Passkeys (WebAuthn) with ASP.NET Core Identity: browser pages' endpoints, not API (a passkey needs a browser).
/// wwwroot/js/passkeys.js asks for options (<c>POST …/creation-options</c> signed in, <c>POST …/request-options</c>
/// anonymous; both need the antiforgery token in <c>X-CSRF-TOKEN</c>), lets the browser's authenticator sign, and
/// posts the credential with the form (antiforgery checked by the form binding): <c>POST /account/passkeys</c> adds it
/// to the signed-in account, <c>POST /account/passkeys/sign-in</c> signs in with it. The challenge lives in Identity's
/// short-lived state cookie and works once.
/// </summary>
public static class PasskeyEndpoints
{
    public const string SignInMethod = "passkey";

    public static void MapPasskeyEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/account/passkeys").ExcludeFromDescription();
        group.MapPost("/creation-options", CreationOptionsAsync).RequireAuthorization();
        group.MapPost("/", AddAsync).RequireAuthorization();
        group.MapPost("/delete", DeleteAsync).RequireAuthorization();
        group.MapPost("/request-options", RequestOptionsAsync).RequireRateLimiting(ApiPolicies.AuthRateLimit);
        group.MapPost("/sign-in", SignInAsync).RequireRateLimiting(ApiPolicies.AuthRateLimit);
    }

    private static async Task<IResult> CreationOptionsAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null) return Results.Unauthorized();
        var json = await signIn.MakePasskeyCreationOptionsAsync(new PasskeyUserEntity
        {
            Id = user.Id.ToString(), Name = user.Email ?? user.UserName!, DisplayName = user.DisplayName,
        });
        return Results.Content(json, "application/json");
    }

    private static async Task<IResult> AddAsync([FromForm] string? credential, HttpContext http, SignInManager<AppUser> signIn,
        IStringLocalizer<SharedResource> l, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(PasskeyEndpoints));
        var user = await signIn.UserManager.GetUserAsync(http.User);
        if (user is null || string.IsNullOrEmpty(credential)) return Results.LocalRedirect("/account?passkey=failed");
        PasskeyAttestationResult attestation;
        try { attestation = await signIn.PerformPasskeyAttestationAsync(credential); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Passkey of user {UserId} refused: unreadable credential", user.Id);
            return Results.LocalRedirect("/account?passkey=failed");
        }
        if (!attestation.Succeeded || attestation.UserEntity.Id != user.Id.ToString())
        {
            logger.LogWarning("Passkey of user {UserId} refused: {Reason}", user.Id, attestation.Failure?.Message);
            return Results.LocalRedirect("/account?passkey=failed");
        }
        var passkey = attestation.Passkey;
        var count = (await signIn.UserManager.GetPasskeysAsync(user)).Count;
        passkey.Name = $"{l["Account.PasskeyDefaultName"]} {count + 1}";
        var saved = await signIn.UserManager.AddOrUpdatePasskeyAsync(user, passkey);
        if (!saved.Succeeded) return Results.LocalRedirect("/account?passkey=failed");
        logger.LogInformation("User {UserId} added a passkey", user.Id);
        // The account's security stamp may have changed: renew this browser's own cookie.
        await signIn.RefreshSignInAsync(user);
        return Results.LocalRedirect("/account?passkey=added");
    }

    private static async Task<IResult> DeleteAsync([FromForm] string? credentialId, HttpContext http, SignInManager<AppUser> signIn, ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(PasskeyEndpoints));
        var user = await signIn.UserManager.GetUserAsync(http.User);
        byte[] id;
        try { id = WebEncoders.Base64UrlDecode(credentialId ?? ""); }
        catch (FormatException) { return Results.LocalRedirect("/account?passkey=failed"); }
        if (user is null || id.Length == 0) return Results.LocalRedirect("/account?passkey=failed");
        var removed = await signIn.UserManager.RemovePasskeyAsync(user, id);
        if (!removed.Succeeded) return Results.LocalRedirect("/account?passkey=failed");
        logger.LogInformation("User {UserId} removed a passkey", user.Id);
        await signIn.RefreshSignInAsync(user);
        return Results.LocalRedirect("/account?passkey=removed");
    }

    private static async Task<IResult> RequestOptionsAsync(HttpContext http, IAntiforgery antiforgery, SignInManager<AppUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
        // No user: the browser offers the passkeys it holds for this site (discoverable credentials).
        return Results.Content(await signIn.MakePasskeyRequestOptionsAsync(null), "application/json");
    }

    private static async Task<IResult> SignInAsync([FromForm] string? credential, [FromForm] string? returnUrl, SignInManager<AppUser> signIn,
        ILoggerFactory logs)
    {
        var logger = logs.CreateLogger(typeof(PasskeyEndpoints));
        var back = LocalUrls.SafeOrRoot(returnUrl);
        var failed = $"/account/login?passkey=failed&returnUrl={Uri.EscapeDataString(back)}";
        if (string.IsNullOrEmpty(credential)) return Results.LocalRedirect(failed);
        PasskeyAssertionResult<AppUser> assertion;
        try { assertion = await signIn.PerformPasskeyAssertionAsync(credential); }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Identity throws on a credential it cannot even read (not JSON, missing fields): a refusal, not a 500.
            logger.LogWarning(ex, "Passkey sign-in refused: unreadable credential");
            return Results.LocalRedirect(failed);
        }
        if (!assertion.Succeeded)
        {
            logger.LogWarning("Passkey sign-in refused: {Reason}", assertion.Failure?.Message);
            return Results.LocalRedirect(failed);
        }
        var user = assertion.User;
        if (user.DeletedAt is not null || await signIn.UserManager.IsLockedOutAsync(user))
        {
            logger.LogWarning("Passkey sign-in refused: account {UserId} locked", user.Id);
            return Results.LocalRedirect($"/account/login?passkey=locked&returnUrl={Uri.EscapeDataString(back)}");
        }
        // The new signature counter is kept: a cloned authenticator replaying an old counter is refused next time.
        await signIn.UserManager.AddOrUpdatePasskeyAsync(user, assertion.Passkey);
        await signIn.SignInAsync(user, isPersistent: false, authenticationMethod: SignInMethod);
        logger.LogInformation("User {UserId} signed in with a passkey", user.Id);
        return Results.LocalRedirect(back);
    }
}
