using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Identity's user manager, telling <see cref="AccountStampCache"/> about every change it saves (roles, password, lock,
/// security stamp, deletion): the account's sessions are checked against the database again at their next request.
/// </summary>
public sealed class AppUserManager(
    IUserStore<AppUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<AppUser> passwordHasher,
    IEnumerable<IUserValidator<AppUser>> userValidators,
    IEnumerable<IPasswordValidator<AppUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<AppUser>> logger,
    AccountStampCache stamps)
    : UserManager<AppUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    protected override async Task<IdentityResult> UpdateUserAsync(AppUser user)
    {
        var result = await base.UpdateUserAsync(user);
        stamps.Forget(user.Id);
        return result;
    }

    public override async Task<IdentityResult> DeleteAsync(AppUser user)
    {
        var result = await base.DeleteAsync(user);
        stamps.Forget(user.Id);
        return result;
    }
}
