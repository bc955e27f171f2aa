using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Password reset by email, for the API and the account pages alike.
/// <para>
/// A request does the same work whatever the address: it checks the address's form and queues one outbox row; nothing
/// looks the account up until the outbox delivers the row, in the background. There the token is generated (nothing
/// secret is stored) and the mail sent in the account's language, or the row is dropped when no account has the address.
/// So the answer (202), its timing and the database writes are the same for a known and an unknown address.
/// </para>
/// </summary>
public sealed class PasswordResetService(
    UserManager<AppUser> users,
    AccountService accounts,
    TokenService tokens,
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<PasswordResetService> logger)
{
    public async Task RequestAsync(ForgotPasswordRequest request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        var email = request.Email?.Trim() ?? "";
        accounts.ValidateEmail(v, email);
        v.ThrowIfInvalid();

        var id = Guid.CreateVersion7();
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.Notifications.Add(new Notification
        {
            Id = id,
            Kind = NotificationKind.PasswordReset,
            OrderId = id, // an account mail has no order; its own id keeps the (OrderId, Kind) index unique
            UserId = Guid.Empty, // looked up at delivery
            Channel = NotificationChannel.Email,
            Recipient = email,
            Language = "en", // the account's language is read at delivery
            Status = NotificationStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            MessageId = $"<passwordreset.{id:N}@ticketing>",
        });
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Password reset requested: notification {NotificationId} queued", id);
    }

    /// <summary>
    /// At delivery: the account the reset mail goes to and a fresh token, or null when no (live) account has the
    /// address (then nothing is sent).
    /// </summary>
    public async Task<(AppUser User, string Token)?> PrepareMailAsync(Notification notification)
    {
        var user = await users.FindByEmailAsync(notification.Recipient);
        if (user is null || user.DeletedAt is not null || string.IsNullOrEmpty(user.Email)) return null;
        return (user, await users.GeneratePasswordResetTokenAsync(user));
    }

    /// <summary>
    /// Sets the new password if the token is valid (not expired, not used, this account's), then signs every session of
    /// the account out: refresh tokens revoked, security stamp changed (access tokens and cookies refused).
    /// </summary>
    public async Task ResetAsync(ResetPasswordRequest request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        var email = request.Email?.Trim() ?? "";
        v.Require(email.Length > 0, "email", "Validation.Required");
        v.Require(!string.IsNullOrEmpty(request.Token), "token", "Validation.Required");
        v.Require(!string.IsNullOrEmpty(request.NewPassword), "newPassword", "Validation.Required");
        // The policy is the same for every account: checking it first tells nothing about the account or the token.
        if (!string.IsNullOrEmpty(request.NewPassword)) await accounts.ValidatePasswordAsync(v, request.NewPassword, "newPassword");
        v.ThrowIfInvalid();

        if (email.Length > 256 || request.Token!.Length > 4000) throw InvalidToken();
        var user = await users.FindByEmailAsync(email);
        if (user is null || user.DeletedAt is not null) throw InvalidToken();

        var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword!);
        if (!result.Succeeded)
        {
            // A wrong, expired or used token (InvalidToken), or a concurrent reset with the same token (ConcurrencyFailure):
            // either way this link no longer works. The password rules were checked above.
            logger.LogInformation("Password reset refused for user {UserId}: {Errors}", user.Id, string.Join(", ", result.Errors.Select(e => e.Code)));
            throw InvalidToken();
        }
        await tokens.SignOutEverywhereAsync(user.Id, ct);
        logger.LogInformation("User {UserId} reset their password: every session signed out", user.Id);
    }

    private DomainException InvalidToken() => new(ErrorCodes.InvalidToken, localizer["Error.invalid_token"]);
}
