using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;

namespace Ticketing.Core.Accounts;

/// <summary>
/// The one password check of every sign-in path (the API's token endpoint and the sign-in page): throttled per account
/// and client (<see cref="SignInThrottle"/>), the same work and answer for unknown, deleted and known accounts.
/// </summary>
public sealed class CredentialChecker(
    UserManager<AppUser> users,
    SignInManager<AppUser> signIn,
    IPasswordHasher<AppUser> hasher,
    SignInThrottle throttle,
    IStringLocalizer<SharedResource> localizer,
    ILogger<CredentialChecker> logger)
{
    /// <summary>The account when the password is right; else <c>invalid_credentials</c>, <c>account_locked</c> or <c>too_many_attempts</c>.</summary>
    public async Task<AppUser> CheckAsync(string? email, string? password, string client)
    {
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            throw new RequestValidationException(new Dictionary<string, string[]>
            {
                [string.IsNullOrWhiteSpace(email) ? "email" : "password"] = [localizer["Validation.Required"]],
            });
        // No address has control characters (PostgreSQL refuses NUL in a query): bad input, not a database error.
        if (UserText.Check(email) != TextProblem.None)
            throw new RequestValidationException(new Dictionary<string, string[]> { ["email"] = [localizer["Validation.Email"]] });
        email = email.Trim();
        if (throttle.RetryAfter(email, client) is { } wait)
        {
            logger.LogWarning("Sign-in refused: too many failures from this client, {Seconds} s to wait", (int)Math.Ceiling(wait.TotalSeconds));
            throw new DomainException(ErrorCodes.TooManyAttempts, localizer["Error.too_many_attempts"],
                new Dictionary<string, object?> { ["retryAfter"] = (int)Math.Ceiling(wait.TotalSeconds) });
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null || user.DeletedAt is not null || string.IsNullOrEmpty(user.PasswordHash))
        {
            // As much work as a known account's check, so that the answer time tells nothing.
            hasher.VerifyHashedPassword(new AppUser(), throttle.DummyHash(() => hasher.HashPassword(new AppUser(), Guid.NewGuid().ToString())), password);
            throttle.Failed(email, client);
            logger.LogInformation("Sign-in refused: unknown account");
            throw new DomainException(ErrorCodes.InvalidCredentials, localizer["Error.invalid_credentials"]);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (result.IsLockedOut)
        {
            logger.LogWarning("Sign-in refused: account {UserId} locked", user.Id);
            throw new DomainException(ErrorCodes.AccountLocked, localizer["Error.account_locked"]);
        }
        if (!result.Succeeded)
        {
            throttle.Failed(email, client);
            logger.LogInformation("Sign-in refused: bad password for {UserId}", user.Id);
            throw new DomainException(ErrorCodes.InvalidCredentials, localizer["Error.invalid_credentials"]);
        }
        throttle.Succeeded(email, client);
        return user;
    }
}
