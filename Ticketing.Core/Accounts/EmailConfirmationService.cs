using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Confirmation of an account's email address: a mail at registration (through the outbox, the token made at delivery),
/// sent again on request, and the link that confirms. With <c>Auth:RequireConfirmedEmail</c>, buying waits for it
/// (<see cref="EnsureConfirmedAsync"/>).
/// </summary>
public sealed class EmailConfirmationService(
    UserManager<AppUser> users,
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<EmailConfirmationService> logger)
{
    /// <summary>Queues the confirmation mail to the account's address (at registration).</summary>
    public async Task QueueAsync(AppUser user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var n = Outbox.EnqueueAccountMail(db, NotificationKind.EmailConfirmation, user, user.Email!, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Email confirmation {NotificationId} queued for user {UserId}", n.Id, user.Id);
    }

    /// <summary>
    /// Sends the confirmation mail again, unless the address is already confirmed or a mail is still waiting to leave
    /// (a second click queues nothing more).
    /// </summary>
    public async Task ResendAsync(Guid userId, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        if (user.EmailConfirmed) return;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await db.Notifications.AnyAsync(n => n.UserId == userId && n.Kind == NotificationKind.EmailConfirmation
                    && (n.Status == NotificationStatus.Pending || n.Status == NotificationStatus.Sending), ct))
                return;
        }
        await QueueAsync(user, ct);
    }

    /// <summary>
    /// At delivery: the account and a fresh token, or null when the mail is no longer needed (account gone, address
    /// already confirmed or changed since).
    /// </summary>
    public async Task<(AppUser User, string Token)?> PrepareMailAsync(Notification n)
    {
        var user = await users.FindByIdAsync(n.UserId.ToString());
        if (user is null || user.DeletedAt is not null || user.EmailConfirmed
            || !string.Equals(user.Email, n.Recipient, StringComparison.OrdinalIgnoreCase))
            return null;
        return (user, await users.GenerateEmailConfirmationTokenAsync(user));
    }

    /// <summary>Confirms the address with the token of the link; <c>invalid_token</c> when it is wrong, expired or stale.</summary>
    public async Task ConfirmAsync(ConfirmEmailRequest request, CancellationToken ct = default)
    {
        if (request.UserId is not { } userId || string.IsNullOrEmpty(request.Token) || request.Token.Length > 4000) throw InvalidToken();
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || user.DeletedAt is not null) throw InvalidToken();
        var result = await users.ConfirmEmailAsync(user, request.Token);
        if (!result.Succeeded)
        {
            logger.LogInformation("Email confirmation refused for user {UserId}: {Errors}", user.Id, string.Join(", ", result.Errors.Select(e => e.Code)));
            throw InvalidToken();
        }
        logger.LogInformation("User {UserId} confirmed their email address", user.Id);
    }

    /// <summary>With <c>Auth:RequireConfirmedEmail</c>: <c>email_not_confirmed</c> until the buyer's address is confirmed.</summary>
    public static async Task EnsureConfirmedAsync(TicketingDbContext db, AuthOptions options, Guid userId, IStringLocalizer localizer,
        CancellationToken ct)
    {
        if (!options.RequireConfirmedEmail) return;
        var confirmed = await db.Users.Where(u => u.Id == userId).Select(u => u.EmailConfirmed).FirstOrDefaultAsync(ct);
        if (!confirmed) throw new DomainException(ErrorCodes.EmailNotConfirmed, localizer["Error.email_not_confirmed"]);
    }

    private DomainException InvalidToken() => new(ErrorCodes.InvalidToken, localizer["Error.invalid_token"]);
}
