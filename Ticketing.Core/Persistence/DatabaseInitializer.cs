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
            // Instances starting together on a new PostgreSQL database: one migrates, the others wait and then find
            // nothing pending (EF's own migration lock was seen letting a second instance re-apply the last migration).
            bool locked = db.Provider == DatabaseProvider.Postgres;
            if (locked)
            {
                await db.Database.OpenConnectionAsync(ct);
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7316842051)", ct);
            }
            try
            {
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                if (pending.Count > 0)
                {
                    logger.LogInformation("Applying {Count} migration(s) on {Provider}", pending.Count, db.Provider);
                    await db.Database.MigrateAsync(ct);
                }
            }
            finally
            {
                if (locked)
                {
                    await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7316842051)", CancellationToken.None);
                    await db.Database.CloseConnectionAsync();
                }
            }
        }

        // Secrets kept in the database (signing keys, the Data Protection key ring): encrypted with the current KEK.
        await sp.GetRequiredService<Common.SecretStore>().EncryptStoredSecretsAsync(ct);

        // Several instances starting on one database at once race on these inserts: a step that loses a race re-runs in
        // a fresh scope (it then finds what the other instance created), a few times at most.
        await RetryOnConflictAsync(() => EnsureRolesAsync(services), logger, ct);

        var seed = sp.GetRequiredService<IOptions<SeedOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(seed.AdminEmail) && !string.IsNullOrWhiteSpace(seed.AdminPassword))
            await RetryOnConflictAsync(() => EnsureAdminAsync(services, seed.AdminEmail, seed.AdminPassword, logger), logger, ct);

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

    private static async Task RetryOnConflictAsync(Func<Task> step, ILogger logger, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await step();
                return;
            }
            catch (DbUpdateException) when (attempt < 6)
            {
                logger.LogInformation("Start-up step raced with another instance; checking again (attempt {Attempt})", attempt + 1);
                await Task.Delay(100 * attempt, ct);
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
            if (created.Succeeded)
                logger.LogInformation("Created the first Admin {UserId}", admin.Id);
            else if (created.Errors.All(e => e.Code is "DuplicateUserName" or "DuplicateEmail"))
            {
                // Another instance created it between our look-up and our insert: use theirs.
                admin = await users.FindByNameAsync(email);
                for (var i = 0; admin is null && i < 10; i++)
                {
                    await Task.Delay(200);
                    admin = await users.FindByNameAsync(email);
                }
                if (admin is null) throw new InvalidOperationException("The first Admin exists but could not be read back.");
            }
            else
                throw new InvalidOperationException("Seed:AdminPassword does not satisfy the password rules: " +
                                                    string.Join(", ", created.Errors.Select(e => e.Code)));
        }
        if (!await users.IsInRoleAsync(admin, Roles.Admin))
        {
            var added = await users.AddToRoleAsync(admin, Roles.Admin);
            if (!added.Succeeded && !added.Errors.All(e => e.Code == "UserAlreadyInRole"))
                throw new InvalidOperationException("Could not make the first Admin an Admin: " + string.Join(", ", added.Errors.Select(e => e.Code)));
        }
    }
}
