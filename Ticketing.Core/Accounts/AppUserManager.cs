using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Identity's user manager, telling <see cref="AccountStampCache"/> about every change it saves (roles, password, lock,
/// security stamp, deletion): the account's sessions are checked against the database again at their next request.
/// A role change also changes the security stamp (Identity does not): a session keeps the roles it was issued with, so
/// it has to end when they change.
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

    public override async Task<IdentityResult> AddToRolesAsync(AppUser user, IEnumerable<string> roles)
    {
        var list = roles.ToList();
        var result = await base.AddToRolesAsync(user, list);
        return result.Succeeded && list.Count > 0 ? await UpdateSecurityStampAsync(user) : result;
    }

    public override async Task<IdentityResult> RemoveFromRolesAsync(AppUser user, IEnumerable<string> roles)
    {
        var list = roles.ToList();
        var result = await base.RemoveFromRolesAsync(user, list);
        return result.Succeeded && list.Count > 0 ? await UpdateSecurityStampAsync(user) : result;
    }

    public override async Task<IdentityResult> AddToRoleAsync(AppUser user, string role)
    {
        var result = await base.AddToRoleAsync(user, role);
        return result.Succeeded ? await UpdateSecurityStampAsync(user) : result;
    }

    public override async Task<IdentityResult> RemoveFromRoleAsync(AppUser user, string role)
    {
        var result = await base.RemoveFromRoleAsync(user, role);
        return result.Succeeded ? await UpdateSecurityStampAsync(user) : result;
    }

    public override async Task<IdentityResult> DeleteAsync(AppUser user)
    {
        var result = await base.DeleteAsync(user);
        stamps.Forget(user.Id);
        return result;
    }
}
