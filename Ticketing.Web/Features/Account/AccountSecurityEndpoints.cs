using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Web.Features.Auth;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Account;

/// <summary>Password and email changes of the signed-in account (re-authenticated with the current password).</summary>
public static class AccountSecurityEndpoints
{
    public static void MapAccountSecurityEndpoints(this WebApplication app)
    {
        var me = app.MapGroup("/api/me").WithTags("Authentication").RequireApiAuth();

        me.MapPost("/password", async Task<NoContent> (ChangePasswordRequest request, ClaimsPrincipal user, AccountSecurityService security,
                SignInManager<AppUser> signIn, HttpContext http, CancellationToken ct) =>
            {
                var userId = user.UserId();
                await security.ChangePasswordAsync(userId, request, AuthEndpoints.ClientOf(http), ct);
                // Every session was signed out; a caller signed in by cookie gets a fresh cookie and stays signed in.
                if (user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme
                    && await signIn.UserManager.FindByIdAsync(userId.ToString()) is { } account)
                    await signIn.SignInAsync(account, isPersistent: false);
                return TypedResults.NoContent();
            })
            .WithName("ChangePassword")
            .WithSummary("Change the password (re-authentication with the current password); every other session is signed out")
            .WithDescription("204: the password is changed and every refresh token, access token and other cookie of the account stops working "
                + "(a caller signed in by cookie receives a new cookie; a bearer client signs in again with the new password). "
                + "400 validation_failed with errors.newPassword when the new password breaks the policy (12 characters at least, not a common one); "
                + "403 wrong_password when the current password is wrong (throttled like a sign-in: 429 too_many_attempts); "
                + "400 password_not_set for an account created by an external sign-in (set a password with the reset link first).")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(400, 401, 403, 429)
            .ProducesProblemCodes(ErrorCodes.WrongPassword, ErrorCodes.PasswordNotSet, ErrorCodes.TooManyAttempts);

        me.MapPost("/email", async Task<Accepted> (ChangeEmailRequest request, ClaimsPrincipal user, AccountSecurityService security,
                HttpContext http, CancellationToken ct) =>
            {
                await security.RequestEmailChangeAsync(user.UserId(), request, AuthEndpoints.ClientOf(http), ct);
                return TypedResults.Accepted((string?)null);
            })
            .WithName("ChangeEmail")
            .WithSummary("Ask to change the email address (re-authentication with the current password): a link goes to the NEW address")
            .WithDescription("202: a mail with a link to /account/confirm-email?userId=&email=&token= leaves for the new address (valid "
                + "Auth:EmailTokenHours); the address changes only when the link is opened (or POST /api/auth/confirm-email-change), then the "
                + "old address is told by mail. 409 email_taken when another account has the address; 403 wrong_password; 400 password_not_set.")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(400, 401, 403, 409, 429)
            .ProducesProblemCodes(ErrorCodes.WrongPassword, ErrorCodes.PasswordNotSet, ErrorCodes.EmailTaken, ErrorCodes.TooManyAttempts);

        me.MapGet("/export", async Task<Ok<AccountExport>> (ClaimsPrincipal user, AccountExportService export, CancellationToken ct) =>
                TypedResults.Ok(await export.ExportAsync(user.UserId(), ct)))
            .WithName("ExportMe")
            .WithSummary("Everything held about the signed-in account, as JSON (profile, orders, tickets, notifications sent, sign-in history)")
            .WithDescription("Amounts are in minor units of their currency. The sign-in history lists each sign-in (a refresh token family): "
                + "when it started, when it was last refreshed and when it ended (null while it still works).")
            .ProducesProblems(401);

        me.MapDelete("", async Task<Results<NoContent, Accepted<EraseLinkSent>>> ([Microsoft.AspNetCore.Mvc.FromBody] DeleteAccountRequest? request,
                ClaimsPrincipal user, AccountSecurityService security, HttpContext http, CancellationToken ct) =>
            {
                // An account without a password (external sign-in) confirms by the link mailed to its address.
                if (!await security.HasPasswordAsync(user.UserId()))
                    return TypedResults.Accepted((string?)null, new EraseLinkSent(await security.RequestEraseLinkAsync(user.UserId(), ct)));
                await security.DeleteOwnAccountAsync(user.UserId(), request, AuthEndpoints.ClientOf(http), ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteMe")
            .WithSummary("Erase the signed-in account (re-authentication with the current password)")
            .WithDescription("Body {password} (or {currentPassword}). 204: the Admin's erase: email, name, phone and password removed, sign-in "
                + "impossible, every session signed out; orders, payments, receipts and tickets are kept (legal records) without the name. "
                + "403 wrong_password. An account created by an external sign-in has no password: 202 {email, confirmationSent: true}, a link "
                + "mailed to its address erases it (POST /api/auth/confirm-erase).")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(400, 401, 403, 429)
            .ProducesProblemCodes(ErrorCodes.WrongPassword, ErrorCodes.PasswordNotSet, ErrorCodes.TooManyAttempts);

        app.MapPost("/api/auth/confirm-erase", async Task<NoContent> (ConfirmEraseRequest request, AccountSecurityService security,
                CancellationToken ct) =>
            {
                await security.ConfirmEraseAsync(request, ct);
                return TypedResults.NoContent();
            })
            .WithTags("Authentication")
            .WithName("ConfirmErase")
            .WithSummary("Erase an account without a password with the link mailed by DELETE /api/me")
            .WithDescription("The userId and token come from the link (valid once, Auth:ResetTokenMinutes). 204: erased as DELETE /api/me does, "
                + "every session signed out. 400 invalid_token when the link is wrong, expired or already used.")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(400, 429).ProducesProblemCodes(ErrorCodes.InvalidToken)
            .AllowAnonymous();

        app.MapPost("/api/auth/confirm-email-change", async Task<NoContent> (ConfirmEmailChangeRequest request, AccountSecurityService security,
                CancellationToken ct) =>
            {
                await security.ConfirmEmailChangeAsync(request, ct);
                return TypedResults.NoContent();
            })
            .WithTags("Authentication")
            .WithName("ConfirmEmailChange")
            .WithSummary("Make an email change with the link mailed to the new address")
            .WithDescription("The userId, email and token come from the link. 204: the account's address (and sign-in name) is the new, "
                + "confirmed one, the old address is told by mail and every session is signed out; opening the link again answers 204. "
                + "400 invalid_token when the link is wrong, expired or stale; 409 email_taken when another account took the address meanwhile.")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(400, 409, 429).ProducesProblemCodes(ErrorCodes.InvalidToken, ErrorCodes.EmailTaken)
            .AllowAnonymous();
    }
}
