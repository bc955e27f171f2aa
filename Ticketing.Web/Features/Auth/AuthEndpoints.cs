using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Auth;

public sealed record TokenRequest(string? Email, string? Password);

public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this WebApplication app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Authentication");

        auth.MapPost("/register", async Task<Created<UserSummary>> (RegisterRequest request, AccountService accounts) =>
            {
                var user = await accounts.RegisterAsync(request);
                return TypedResults.Created($"/api/users/{user.Id}", user);
            })
            .WithName("Register").WithSummary("Create a Customer account")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(409, 429).ProducesProblemCodes(ErrorCodes.EmailTaken).AllowAnonymous();

        auth.MapPost("/token", async Task<Ok<TokenResponse>> (TokenRequest request, TokenService tokens, HttpContext http) =>
                TypedResults.Ok(await tokens.CreateTokenAsync(request.Email, request.Password, ClientOf(http))))
            .WithName("CreateToken")
            .WithSummary("Exchange email and password for an access token (JWT with role claims, at most 15 minutes) and a refresh token")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(401, 423, 429)
            .ProducesProblemCodes(ErrorCodes.InvalidCredentials, ErrorCodes.AccountLocked, ErrorCodes.TooManyAttempts).AllowAnonymous();

        auth.MapPost("/refresh", async Task<Ok<TokenResponse>> (RefreshRequest request, TokenService tokens, CancellationToken ct) =>
                TypedResults.Ok(await tokens.RefreshAsync(request.RefreshToken, ct)))
            .WithName("RefreshToken")
            .WithSummary("Spend a refresh token for a new access token and the next refresh token; a spent one revokes its family (401)")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(401, 429).ProducesProblemCodes(ErrorCodes.InvalidRefreshToken).AllowAnonymous();

        auth.MapPost("/logout", async Task<NoContent> (ClaimsPrincipal user, TokenService tokens, HttpContext http, CancellationToken ct) =>
            {
                await tokens.SignOutEverywhereAsync(user.UserId(), ct);
                if (user.Identity?.AuthenticationType == IdentityConstants.ApplicationScheme)
                    await http.SignOutAsync(IdentityConstants.ApplicationScheme);
                return TypedResults.NoContent();
            })
            .WithName("Logout")
            .WithSummary("Sign out: revokes the account's refresh tokens, access tokens and sign-in cookies")
            .RequireApiAuth().ProducesProblems(401, 403);

        auth.MapPost("/forgot-password", async Task<Accepted> (ForgotPasswordRequest request, PasswordResetService resets, CancellationToken ct) =>
            {
                await resets.RequestAsync(request, ct);
                return TypedResults.Accepted((string?)null);
            })
            .WithName("ForgotPassword")
            .WithSummary("Ask for a password reset link by email: 202 whether or not an account has the address (the mail leaves through the outbox)")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(429).AllowAnonymous();

        auth.MapPost("/reset-password", async Task<NoContent> (ResetPasswordRequest request, PasswordResetService resets, CancellationToken ct) =>
            {
                await resets.ResetAsync(request, ct);
                return TypedResults.NoContent();
            })
            .WithName("ResetPassword")
            .WithSummary("Set a new password with the token of a reset link (single use, valid Auth:ResetTokenMinutes); signs out every session of the account")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(429).ProducesProblemCodes(ErrorCodes.InvalidToken).AllowAnonymous();

        auth.MapPost("/confirm-email", async Task<NoContent> (ConfirmEmailRequest request, EmailConfirmationService confirmations, CancellationToken ct) =>
            {
                await confirmations.ConfirmAsync(request, ct);
                return TypedResults.NoContent();
            })
            .WithName("ConfirmEmail")
            .WithSummary("Confirm the account's email address with the token of the confirmation link")
            .WithDescription("The userId and token come from the link mailed at registration (or sent again with POST /api/me/confirmation-email); "
                + "it works Auth:EmailTokenHours (48 h). Using it again once confirmed answers 204 too. A wrong, expired or stale token is 400 invalid_token.")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesValidationProblem().ProducesProblems(429).ProducesProblemCodes(ErrorCodes.InvalidToken).AllowAnonymous();

        var me = app.MapGroup("/api/me").WithTags("Authentication").RequireApiAuth();
        me.MapGet("", async Task<Ok<Profile>> (ClaimsPrincipal user, AccountService accounts) =>
                TypedResults.Ok(await accounts.GetProfileAsync(user.UserId())))
            .WithName("GetMe").WithSummary("The signed-in user's profile").ProducesProblems(401);
        me.MapPut("", async Task<Ok<Profile>> (UpdateProfileRequest request, ClaimsPrincipal user, AccountService accounts) =>
                TypedResults.Ok(await accounts.UpdateProfileAsync(user.UserId(), request)))
            .WithName("UpdateMe").WithSummary("Update the signed-in user's profile (not roles)")
            .ProducesValidationProblem().ProducesProblems(401);
        me.MapPost("/confirmation-email", async Task<Accepted> (ClaimsPrincipal user, EmailConfirmationService confirmations, CancellationToken ct) =>
            {
                await confirmations.ResendAsync(user.UserId(), ct);
                return TypedResults.Accepted((string?)null);
            })
            .WithName("ResendConfirmationEmail")
            .WithSummary("Send the email confirmation link again")
            .WithDescription("202: the mail leaves through the outbox. Nothing is sent when the address is already confirmed (see emailConfirmed "
                + "in GET /api/me) or when a confirmation mail is still waiting to leave.")
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .ProducesProblems(401, 429);
    }

    /// <summary>The client's address, for the sign-in throttle (behind a proxy, with Hosting:ForwardedHeaders on).</summary>
    public static string ClientOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
