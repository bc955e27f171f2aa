using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Web.Hosting;

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
            .RequireRateLimiting(WebSetup.AuthRateLimitPolicy)
            .ProducesValidationProblem().ProducesProblems(409, 429).ProducesProblemCodes(ErrorCodes.EmailTaken).AllowAnonymous();

        auth.MapPost("/token", async Task<Ok<TokenResponse>> (TokenRequest request, TokenService tokens) =>
                TypedResults.Ok(await tokens.CreateTokenAsync(request.Email, request.Password)))
            .WithName("CreateToken").WithSummary("Exchange email and password for a bearer token (JWT with role claims)")
            .RequireRateLimiting(WebSetup.AuthRateLimitPolicy)
            .ProducesValidationProblem().ProducesProblems(401, 423, 429)
            .ProducesProblemCodes(ErrorCodes.InvalidCredentials, ErrorCodes.AccountLocked).AllowAnonymous();

        var me = app.MapGroup("/api/me").WithTags("Authentication").RequireApiAuth();
        me.MapGet("", async Task<Ok<Profile>> (ClaimsPrincipal user, AccountService accounts) =>
                TypedResults.Ok(await accounts.GetProfileAsync(user.UserId())))
            .WithName("GetMe").WithSummary("The signed-in user's profile").ProducesProblems(401);
        me.MapPut("", async Task<Ok<Profile>> (UpdateProfileRequest request, ClaimsPrincipal user, AccountService accounts) =>
                TypedResults.Ok(await accounts.UpdateProfileAsync(user.UserId(), request)))
            .WithName("UpdateMe").WithSummary("Update the signed-in user's profile (not roles)")
            .ProducesValidationProblem().ProducesProblems(401);
    }
}
