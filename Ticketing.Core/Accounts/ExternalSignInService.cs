using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;

namespace Ticketing.Core.Accounts;

/// <summary>
/// The account behind an OpenID Connect sign-in: the one already linked to the provider's subject; else the account
/// with the same email, linked only when the provider verified that email; else a new account (no password).
/// An unverified email never links nor creates an account (it would let anyone take over or squat an address).
/// The provider's mapped roles are granted at each sign-in (never removed by it).
/// </summary>
public sealed class ExternalSignInService(
    UserManager<AppUser> users,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<ExternalSignInService> logger)
{
    public async Task<AppUser> FindOrCreateAsync(ExternalIdentity identity, string language)
    {
        var user = await users.FindByLoginAsync(identity.Provider, identity.Subject);
        if (user is null)
        {
            var email = identity.Email?.Trim();
            if (string.IsNullOrEmpty(email))
                throw new DomainException(ErrorCodes.ExternalEmailMissing, localizer["Error.external_email_missing"]);
            if (!identity.EmailVerified)
            {
                logger.LogWarning("External sign-in through {Provider} refused: the provider did not verify the email", identity.Provider);
                throw new DomainException(ErrorCodes.ExternalEmailUnverified, localizer["Error.external_email_unverified"]);
            }
            user = await users.FindByEmailAsync(email) ?? await CreateAsync(identity, email, language);
            if (!user.EmailConfirmed)
            {
                // The provider vouched for the address: the same proof as our own confirmation mail.
                user.EmailConfirmed = true;
                Check(await users.UpdateAsync(user));
            }
            var linked = await users.AddLoginAsync(user, new UserLoginInfo(identity.Provider, identity.Subject, identity.Provider));
            if (!linked.Succeeded && await users.FindByLoginAsync(identity.Provider, identity.Subject) is null) Check(linked);
            logger.LogInformation("User {UserId} linked to {Provider}", user.Id, identity.Provider);
        }
        if (user.DeletedAt is not null || await users.IsLockedOutAsync(user))
        {
            logger.LogWarning("External sign-in refused: account {UserId} locked", user.Id);
            throw new DomainException(ErrorCodes.AccountLocked, localizer["Error.account_locked"]);
        }
        var current = await users.GetRolesAsync(user);
        var missing = identity.Roles.Where(r => Roles.IsKnown(r) && !current.Contains(r)).ToList();
        if (missing.Count > 0)
        {
            Check(await users.AddToRolesAsync(user, missing));
            logger.LogInformation("User {UserId} granted {Roles} by {Provider}", user.Id, string.Join(",", missing), identity.Provider);
        }
        return user;
    }

    private async Task<AppUser> CreateAsync(ExternalIdentity identity, string email, string language)
    {
        var name = string.IsNullOrWhiteSpace(identity.Name) ? email.Split('@')[0] : identity.Name.Trim();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name.Length > AccountService.MaxDisplayName ? name[..AccountService.MaxDisplayName] : name,
            PreferredLanguage = Languages.IsSupported(language) ? language : "en",
            CreatedAt = clock.GetUtcNow(),
        };
        try
        {
            Check(await users.CreateAsync(user));
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Two first sign-ins at once: the other one created the account.
            return await users.FindByEmailAsync(email) ?? throw new InvalidOperationException("Duplicate email but no account", ex);
        }
        Check(await users.AddToRoleAsync(user, Roles.Customer));
        logger.LogInformation("User {UserId} registered through {Provider}", user.Id, identity.Provider);
        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(", ", result.Errors.Select(e => e.Code)));
    }
}
