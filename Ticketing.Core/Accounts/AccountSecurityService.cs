using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Accounts;

/// <summary>
/// The signed-in user's password and email address, changed from the account page or the API after re-authentication
/// with the current password. A password change signs out every other session; an email change only happens when the
/// link mailed to the NEW address is opened, and the OLD address is then told by mail.
/// </summary>
public sealed class AccountSecurityService(
    UserManager<AppUser> users,
    AccountService accounts,
    TokenService tokens,
    UserAdminService admin,
    SignInThrottle throttle,
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<AccountSecurityService> logger)
{
    /// <summary>Whether the account signs in with a password (an account made by an external sign-in may have none).</summary>
    public async Task<bool> HasPasswordAsync(Guid userId) =>
        await users.FindByIdAsync(userId.ToString()) is { DeletedAt: null } user && !string.IsNullOrEmpty(user.PasswordHash);

    /// <summary>
    /// Checks the current password (throttled like a sign-in, per account and client): <c>password_not_set</c> for an
    /// account made by an external sign-in, <c>wrong_password</c> (403) when wrong, <c>too_many_attempts</c> after
    /// several failures.
    /// </summary>
    public async Task<AppUser> ReauthenticateAsync(Guid userId, string? currentPassword, string client, string field = "currentPassword")
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        if (string.IsNullOrEmpty(user.PasswordHash))
            throw new DomainException(ErrorCodes.PasswordNotSet, localizer["Error.password_not_set"]);
        if (string.IsNullOrEmpty(currentPassword))
            throw new RequestValidationException(new Dictionary<string, string[]> { [field] = [localizer["Validation.Required"]] });
        var account = user.Email ?? user.Id.ToString();
        if (throttle.RetryAfter(account, client) is { } wait)
            throw new DomainException(ErrorCodes.TooManyAttempts, localizer["Error.too_many_attempts"],
                new Dictionary<string, object?> { ["retryAfter"] = (int)Math.Ceiling(wait.TotalSeconds) });
        if (!await users.CheckPasswordAsync(user, currentPassword))
        {
            throttle.Failed(account, client);
            logger.LogInformation("Re-authentication refused for user {UserId}: wrong current password", user.Id);
            throw new DomainException(ErrorCodes.WrongPassword, localizer["Error.wrong_password"]);
        }
        throttle.Succeeded(account, client);
        return user;
    }

    /// <summary>
    /// Sets a new password after checking the current one; every session of the account is then signed out (refresh
    /// tokens revoked, security stamp changed). The caller keeps its own session by signing in again (the cookie
    /// endpoint re-issues its cookie).
    /// </summary>
    public async Task ChangePasswordAsync(Guid userId, ChangePasswordRequest request, string client, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        v.Require(!string.IsNullOrEmpty(request.CurrentPassword), "currentPassword", "Validation.Required");
        v.Require(!string.IsNullOrEmpty(request.NewPassword), "newPassword", "Validation.Required");
        if (!string.IsNullOrEmpty(request.NewPassword)) await accounts.ValidatePasswordAsync(v, request.NewPassword, "newPassword");
        // An account without a password says so before anything else (the fields cannot help it).
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        if (string.IsNullOrEmpty(user.PasswordHash))
            throw new DomainException(ErrorCodes.PasswordNotSet, localizer["Error.password_not_set"]);
        v.ThrowIfInvalid();

        user = await ReauthenticateAsync(userId, request.CurrentPassword, client);
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!result.Succeeded)
            throw new InvalidOperationException("Password change failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
        await tokens.SignOutEverywhereAsync(user.Id, ct);
        logger.LogInformation("User {UserId} changed their password: every session signed out", user.Id);
    }

    /// <summary>
    /// Asks to move the account to <see cref="ChangeEmailRequest.NewEmail"/>: after re-authentication, one mail with the
    /// change link leaves for the new address (through the outbox, the token made at delivery). Nothing changes until
    /// the link is opened. <c>email_taken</c> when another account has the address.
    /// </summary>
    public async Task RequestEmailChangeAsync(Guid userId, ChangeEmailRequest request, string client, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        var email = request.NewEmail?.Trim() ?? "";
        accounts.ValidateEmail(v, email);
        v.Require(!string.IsNullOrEmpty(request.CurrentPassword), "currentPassword", "Validation.Required");
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        if (string.IsNullOrEmpty(user.PasswordHash))
            throw new DomainException(ErrorCodes.PasswordNotSet, localizer["Error.password_not_set"]);
        if (string.Equals(email, user.Email, StringComparison.OrdinalIgnoreCase)) v.Add("newEmail", "Validation.SameEmail");
        v.ThrowIfInvalid();

        user = await ReauthenticateAsync(userId, request.CurrentPassword, client);
        if (await users.FindByEmailAsync(email) is not null)
            throw new DomainException(ErrorCodes.EmailTaken, localizer["Error.email_taken"]);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var n = Outbox.EnqueueAccountMail(db, NotificationKind.EmailChange, user, email, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        logger.LogInformation("User {UserId} asked for an email change: link {NotificationId} queued to the new address", user.Id, n.Id);
    }

    /// <summary>
    /// Opens the change link: the account's address (and sign-in name) becomes the new, confirmed address; the old
    /// address is told by mail; every session is signed out (the sign-in name changed). <c>invalid_token</c> when the link
    /// is wrong, expired or already used; <c>email_taken</c> when another account took the address meanwhile.
    /// </summary>
    public async Task ConfirmEmailChangeAsync(ConfirmEmailChangeRequest request, CancellationToken ct = default)
    {
        if (request.UserId is not { } userId || string.IsNullOrEmpty(request.Token) || request.Token.Length > 4000
            || string.IsNullOrWhiteSpace(request.Email) || request.Email.Length > 256 || UserText.Check(request.Email) != TextProblem.None)
            throw InvalidToken();
        var newEmail = request.Email.Trim();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw InvalidToken();
        var oldEmail = user.Email!;
        if (string.Equals(oldEmail, newEmail, StringComparison.OrdinalIgnoreCase) && user.EmailConfirmed)
            return; // the link opened again (a mail scanner, a second click): already done
        var oldUserName = user.UserName;
        user.UserName = newEmail; // the sign-in name is the address: both change in the one save below
        IdentityResult result;
        try { result = await users.ChangeEmailAsync(user, newEmail, request.Token); }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            user.UserName = oldUserName;
            throw new DomainException(ErrorCodes.EmailTaken, localizer["Error.email_taken"]);
        }
        if (!result.Succeeded)
        {
            user.UserName = oldUserName;
            logger.LogInformation("Email change refused for user {UserId}: {Errors}", user.Id, string.Join(", ", result.Errors.Select(e => e.Code)));
            if (result.Errors.Any(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
                throw new DomainException(ErrorCodes.EmailTaken, localizer["Error.email_taken"]);
            throw InvalidToken(); // wrong, expired or used link, or a concurrent change of the account
        }

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            Outbox.EnqueueAccountMail(db, NotificationKind.EmailChanged, user, oldEmail, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }
        await tokens.SignOutEverywhereAsync(user.Id, ct);
        logger.LogInformation("User {UserId} changed their email address: the old address is told, every session signed out", user.Id);
    }

    /// <summary>
    /// Erases the signed-in account after re-authentication, with the Admin's erase (<see cref="UserAdminService.EraseAsync"/>):
    /// personal data anonymised, orders and tickets kept without the name, every session signed out.
    /// </summary>
    public async Task DeleteOwnAccountAsync(Guid userId, DeleteAccountRequest? request, string client, CancellationToken ct = default)
    {
        var password = string.IsNullOrEmpty(request?.CurrentPassword) ? request?.Password : request.CurrentPassword;
        await ReauthenticateAsync(userId, password, client);
        await admin.EraseAsync(userId);
        await tokens.SignOutEverywhereAsync(userId, ct);
        logger.LogInformation("User {UserId} erased their own account", userId);
    }

    /// <summary>The purpose of the erase link's token (Identity's reset-token provider: bound to the security stamp, <c>Auth:ResetTokenMinutes</c>).</summary>
    public const string EraseTokenPurpose = "AccountErase";

    /// <summary>
    /// An account without a password (made by an external sign-in) cannot re-authenticate with one: the erase is confirmed
    /// by a link mailed to its address instead (the proof that the person still holds the mailbox). Answers the address.
    /// </summary>
    public async Task<string> RequestEraseLinkAsync(Guid userId, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        if (string.IsNullOrEmpty(user.Email) || !string.IsNullOrEmpty(user.PasswordHash))
            throw new DomainException(ErrorCodes.PasswordNotSet, localizer["Error.password_not_set"]);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var n = Outbox.EnqueueAccountMail(db, NotificationKind.AccountErase, user, user.Email, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        logger.LogInformation("User {UserId} asked to erase their account: link {NotificationId} queued", user.Id, n.Id);
        return user.Email;
    }

    /// <summary>Erases the account of a mailed erase link (valid once: the erase changes the security stamp).</summary>
    public async Task ConfirmEraseAsync(ConfirmEraseRequest request, CancellationToken ct = default)
    {
        if (request.UserId is not { } userId || string.IsNullOrWhiteSpace(request.Token)) throw InvalidToken();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null
            || !await users.VerifyUserTokenAsync(user, PasswordResetTokenProvider.ProviderName, EraseTokenPurpose, request.Token))
            throw InvalidToken();
        await admin.EraseAsync(userId);
        await tokens.SignOutEverywhereAsync(userId, ct);
        logger.LogInformation("User {UserId} erased their account with the mailed link", userId);
    }

    private DomainException InvalidToken() => new(ErrorCodes.InvalidToken, localizer["Error.invalid_token"]);
}
