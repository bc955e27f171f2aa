using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;

namespace Ticketing.Core.Persistence;

public sealed class SeedOptions
{
    public const string Section = "Seed";
    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }
    public bool? DemoData { get; set; }
}

/// <summary>Start-up work: migrations, roles, the first Admin. Safe to run on several instances at once.</summary>
public static class DatabaseInitializer
{
    public static async Task InitializeDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Ticketing.Startup");
        var dbOptions = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = sp.GetRequiredService<TicketingDbContext>();

        if (dbOptions.MigrateOnStartup)
        {
            if (db.Provider == DatabaseProvider.Sqlite)
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0)
            {
                logger.LogInformation("Applying {Count} migration(s) on {Provider}", pending.Count, db.Provider);
                await db.Database.MigrateAsync(ct);
            }
        }

        // Each step re-runs once in a fresh scope when another instance starting at the same time wins the insert.
        try { await EnsureRolesAsync(services); }
        catch (DbUpdateException) { await EnsureRolesAsync(services); }

        var seed = sp.GetRequiredService<IOptions<SeedOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(seed.AdminEmail) && !string.IsNullOrWhiteSpace(seed.AdminPassword))
        {
            try
            {
                await EnsureAdminAsync(services, seed.AdminEmail, seed.AdminPassword, logger);
            }
            catch (DbUpdateException)
            {
                // Several instances starting on one database at once: another one inserted the Admin (or its role)
                // between our check and our insert. Look again with a fresh context: it is there now.
                logger.LogInformation("The first Admin was being created by another instance; checking again");
                await EnsureAdminAsync(services, seed.AdminEmail, seed.AdminPassword, logger);
            }
        }

        await sp.GetRequiredService<JwtKeyProvider>().InitializeAsync(ct);
        await sp.GetRequiredService<Ticketing.Core.Tickets.TicketCodeSigner>().InitializeAsync(ct);

        if (seed.DemoData == true)
        {
            try { await sp.GetRequiredService<Ticketing.Core.Events.DemoCatalogSeeder>().SeedAsync(ct); }
            catch (DbUpdateException)
            {
                // Another instance starting at the same time seeded the catalogue first.
                logger.LogInformation("The demo catalogue was being created by another instance");
            }
        }
    }

    private static async Task EnsureRolesAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<AppRole>>();
        foreach (var role in Roles.All)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            var r = await roles.CreateAsync(new AppRole(role) { Id = Guid.CreateVersion7() });
            if (!r.Succeeded && !await roles.RoleExistsAsync(role))
                throw new InvalidOperationException($"Could not create role {role}");
        }
    }

    private static async Task EnsureAdminAsync(IServiceProvider services, string email, string password, ILogger logger)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(email);
        if (admin is null)
        {
            admin = new AppUser
            {
                Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true,
                DisplayName = "Administrator", CreatedAt = sp.GetRequiredService<TimeProvider>().GetUtcNow(),
            };
            var created = await users.CreateAsync(admin, password);
            if (!created.Succeeded && created.Errors.All(e => e.Code is "DuplicateUserName" or "DuplicateEmail")
                && await users.FindByEmailAsync(email) is { } other)
            {
                // Another instance starting on the same database created it between our look-up and our insert.
                logger.LogInformation("The first Admin was created by another instance");
                admin = other;
            }
            else if (!created.Succeeded)
                throw new InvalidOperationException("Seed:AdminPassword does not satisfy the password rules: " +
                                                    string.Join(", ", created.Errors.Select(e => e.Code)));
            else logger.LogInformation("Created the first Admin {UserId}", admin.Id);
        }
        if (!await users.IsInRoleAsync(admin, Roles.Admin))
            await users.AddToRoleAsync(admin, Roles.Admin);
    }
}
