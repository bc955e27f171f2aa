using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Accounts;

/// <summary>User management for Admins (API and back office).</summary>
public sealed class UserAdminService(
    UserManager<AppUser> users,
    AccountService accounts,
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<UserAdminService> logger)
{
    public async Task<PagedResult<AdminUser>> ListAsync(string? search, string? role, PageRequest page, bool includeDeleted = false, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        search = v.Text("search", search, SearchTerms.MaxLength);
        role = v.Text("role", role, SearchTerms.MaxLength);
        v.ThrowIfInvalid();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Users.AsNoTracking();
        if (!includeDeleted) query = query.Where(u => u.DeletedAt == null);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var s = search.Trim().ToUpperInvariant();
            var lower = search.Trim().ToLowerInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(s) || u.DisplayName.ToLower().Contains(lower));
        }
        if (!string.IsNullOrWhiteSpace(role))
        {
            var normalized = role.Trim().ToUpperInvariant();
            query = query.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id &&
                db.Roles.Any(r => r.Id == ur.RoleId && r.NormalizedName == normalized)));
        }
        var total = await query.CountAsync(ct);
        var pageUsers = await query.OrderBy(u => u.Email).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var ids = pageUsers.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var items = pageUsers.Select(u => ToAdminUser(u, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToList(), now)).ToList();
        return new PagedResult<AdminUser>(items, page.Page, page.PageSize, total);
    }

    public async Task<AdminUser> GetAsync(Guid id)
    {
        var user = await users.FindByIdAsync(id.ToString()) ?? throw new NotFoundException();
        return ToAdminUser(user, (await users.GetRolesAsync(user)).Order().ToList(), clock.GetUtcNow());
    }

    public async Task<AdminUser> CreateAsync(CreateUserRequest request)
    {
        var v = new Validator(localizer);
        var email = request.Email?.Trim() ?? "";
        accounts.ValidateEmail(v, email);
        v.Require(!string.IsNullOrEmpty(request.Password), "password", "Validation.Required");
        AccountService.ValidateProfile(v, request.DisplayName, request.PhoneNumber, request.PreferredLanguage, null);
        var roles = ValidateRoles(v, request.Roles);
        if (!string.IsNullOrEmpty(request.Password)) await accounts.ValidatePasswordAsync(v, request.Password);
        v.ThrowIfInvalid();

        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = request.DisplayName!.Trim(), PhoneNumber = PhoneNumbers.ToE164(request.PhoneNumber),
            PreferredLanguage = request.PreferredLanguage ?? "en", CreatedAt = clock.GetUtcNow(),
        };
        await accounts.CreateAsync(user, request.Password!, roles.Count == 0 ? [Roles.Customer] : roles);
        logger.LogInformation("Admin created user {UserId} with roles {Roles}", user.Id, string.Join(",", roles));
        return await GetAsync(user.Id);
    }

    public async Task<AdminUser> UpdateAsync(Guid id, UpdateUserRequest request, Guid actingAdminId)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();
        var v = new Validator(localizer);
        AccountService.ValidateProfile(v, request.DisplayName, request.PhoneNumber, null, null);
        var roles = request.Roles is null ? null : ValidateRoles(v, request.Roles);
        if (id == actingAdminId && request.IsLocked == true) v.Add("isLocked", "Validation.CannotLockSelf");
        if (id == actingAdminId && roles is not null && !roles.Contains(Roles.Admin)) v.Add("roles", "Validation.CannotDemoteSelf");
        v.ThrowIfInvalid();

        user.DisplayName = request.DisplayName!.Trim();
        user.PhoneNumber = PhoneNumbers.ToE164(request.PhoneNumber);
        Check(await users.UpdateAsync(user));
        if (roles is not null)
        {
            var current = await users.GetRolesAsync(user);
            Check(await users.RemoveFromRolesAsync(user, current.Except(roles)));
            Check(await users.AddToRolesAsync(user, roles.Except(current)));
        }
        if (request.IsLocked is bool locked)
        {
            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null));
            if (!locked) Check(await users.ResetAccessFailedCountAsync(user));
            // Locking invalidates existing cookies at their next validation.
            Check(await users.UpdateSecurityStampAsync(user));
        }
        logger.LogInformation("Admin {AdminId} updated user {UserId}", actingAdminId, id);
        return await GetAsync(id);
    }

    /// <summary>Anonymises the account; orders, payments and tickets are legal records and stay.</summary>
    public async Task DeleteAsync(Guid id, Guid actingAdminId)
    {
        if (id == actingAdminId)
            throw new RequestValidationException(new Dictionary<string, string[]> { ["id"] = [localizer["Validation.CannotDeleteSelf"]] });
        await EraseAsync(id);
        logger.LogInformation("Admin {AdminId} deleted (anonymised) user {UserId}", actingAdminId, id);
    }

    /// <summary>
    /// The one erase of an account (the Admin's delete and the user's own <c>DELETE /api/me</c>): personal data anonymised,
    /// sign-in impossible, roles removed; orders, payments and tickets are legal records and stay, without the name.
    /// </summary>
    public async Task EraseAsync(Guid id)
    {
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null || user.DeletedAt is not null) throw new NotFoundException();

        var anonymous = $"deleted-{user.Id:N}@deleted.invalid";
        var formerEmail = user.NormalizedEmail;
        user.Email = anonymous;
        user.UserName = anonymous;
        user.DisplayName = localizer["User.Deleted"];
        user.PhoneNumber = null;
        user.PasswordHash = null;
        user.DeletedAt = clock.GetUtcNow();
        user.LockoutEnabled = true;
        user.LockoutEnd = DateTimeOffset.MaxValue;
        Check(await users.UpdateAsync(user));
        Check(await users.UpdateSecurityStampAsync(user));
        Check(await users.RemoveFromRolesAsync(user, await users.GetRolesAsync(user)));

        await using var db = await dbFactory.CreateDbContextAsync();
        await db.Orders.Where(o => o.UserId == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.BuyerName, "—"));
        // Tickets received by transfer or as comps keep the address they were sent to: that goes too.
        await db.Tickets.Where(t => t.UserId == id || (formerEmail != null && t.HolderEmail == formerEmail))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.HolderName, "—").SetProperty(t => t.HolderEmail, (string?)null));
        // The guest orders the account claimed (its confirmed address): the name and the address go, the signed links stop working.
        if (user.EmailConfirmed && !string.IsNullOrEmpty(formerEmail)) await Guests.GuestErase.EraseAsync(db, formerEmail);
    }

    private List<string> ValidateRoles(Validator v, IReadOnlyList<string>? roles)
    {
        var list = (roles ?? []).Distinct().ToList();
        foreach (var r in list.Where(r => !Roles.IsKnown(r))) v.Add("roles", "Validation.UnknownRole", r);
        return list.Where(Roles.IsKnown).ToList();
    }

    private static AdminUser ToAdminUser(AppUser u, IReadOnlyList<string> roles, DateTimeOffset now) =>
        new(u.Id, u.Email!, u.DisplayName, u.PhoneNumber, u.PreferredLanguage, u.NotificationChannel.ToString(), roles,
            u.LockoutEnd is { } end && end > now, u.DeletedAt is not null, u.CreatedAt);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Identity operation failed: " + string.Join(", ", result.Errors.Select(e => e.Code)));
    }
}
