using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// The whole web app on a real database (a SQLite file or a PostgreSQL database), shared by a test collection.
/// Data is reset between tests with <see cref="ResetAsync"/>; bcrypt's work factor is lowered through configuration.
/// </summary>
public abstract class TicketingApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-Stage-Door-2026";
    public const string Password = "Stage-Door-Pass-42";

    public TestClock Clock { get; } = new();
    /// <summary>This app's key-encryption key (outside Development the app refuses to start without one).</summary>
    public string KeyEncryptionKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    public abstract DatabaseProvider Provider { get; }
    /// <summary>App:PublicBaseUrl of every test app: the absolute base of the links in mails and texts.</summary>
    public const string PublicBaseUrl = "https://tickets.example.com";
    protected string ConnectionString { get; set; } = "";
    public string ContentRoot { get; } = Path.Combine(Path.GetTempPath(), "ticketing-app-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>Extra configuration for a derived app (e.g. SMTP host of a test server).</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(ContentRoot);
        ConnectionString = Provider == DatabaseProvider.Postgres
            ? await SharedPostgres.CreateDatabaseAsync()
            : $"Data Source={Path.Combine(ContentRoot, "ticketing.db")}";
        _ = Services; // build the host now: migrations, roles and the Admin are created here
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["ConnectionStrings:Ticketing"] = ConnectionString,
            ["Security:Passwords:BcryptWorkFactor"] = "4",
            ["RateLimiting:AuthPerMinute"] = "0",
            ["Auth:SecureCookies"] = "false", // TestServer speaks http: a Secure cookie would never come back
            // Off like the sign-in limit (tests drive many holds from one account); HoldRateLimitTests turns it on.
            ["RateLimiting:HoldsPerMinute"] = "0",
            // Tests hold many times from one account on one date; OneHoldPerPerformanceTests turns it on.
            ["Orders:OneHoldPerPerformance"] = "false",
            ["Seed:AdminEmail"] = AdminEmail,
            ["Seed:AdminPassword"] = AdminPassword,
            ["Seed:DemoData"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Jobs:Enabled"] = "false",
            // Tests run the offers themselves (WaitlistService.OfferAsync); WaitlistOnReturnTests turns it on.
            ["Waitlist:OfferOnReturn"] = "false",
            // Tests read what they just wrote, also through other paths than the event writes that evict the cache;
            // CatalogCacheTests switches it on.
            ["OutputCache:Enabled"] = "false",
            ["Security:KeyEncryptionKey"] = KeyEncryptionKey,
            // Required outside Development: the links in mails are absolute.
            ["App:PublicBaseUrl"] = PublicBaseUrl,
        };
        foreach (var (k, v) in ExtraSettings) settings[k] = v;
        foreach (var (k, v) in settings) builder.UseSetting(k, v);
        builder.UseContentRoot(ContentRoot);
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrorLog($"{GetType().Name} {Provider}")));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            // The simulated hosted page posts its signed webhooks to this in-memory server.
            services.AddHttpClient(Ticketing.Web.Features.Payments.SimulatedWebhookDelivery.ClientName)
                .ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
        });
    }

    /// <summary>Empties every business table and recreates the Admin: each test starts from a clean database.</summary>
    public async Task ResetAsync()
    {
        Clock.Reset();
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var keep = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
            { "__EFMigrationsHistory", "AspNetRoles", "AppSecrets", "DataProtectionKeys" };
        var tables = db.Model.GetEntityTypes()
            .Select(t => t.GetTableName()).Where(t => t is not null && !keep.Contains(t)).Distinct().Cast<string>().ToList();
        // Table names come from our own EF model, never from input.
#pragma warning disable EF1002, EF1003
        if (db.Provider == DatabaseProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("TRUNCATE " + string.Join(", ", tables.Select(t => $"\"{t}\"")) + " CASCADE");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys=OFF");
            foreach (var t in tables) await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{t}\"");
            await db.Database.ExecuteSqlRawAsync("PRAGMA foreign_keys=ON");
        }
#pragma warning restore EF1002, EF1003
        await Services.InitializeDatabaseAsync();
        Services.GetRequiredService<Ticketing.Core.Orders.OnSaleCache>().Invalidate();
        Services.GetRequiredService<SignInThrottle>().Clear();
    }

    /// <summary>Creates a user with roles directly (no HTTP, no rate limit) and returns a client carrying its bearer token.</summary>
    public async Task<(HttpClient Client, Guid UserId, string Email)> CreateUserClientAsync(string role = Roles.Customer,
        string? email = null, string? displayName = null, string language = "en", NotificationChannel channel = NotificationChannel.Email, string? phone = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = displayName ?? $"Test {role}",
            PreferredLanguage = language, NotificationChannel = channel, PhoneNumber = phone, CreatedAt = Clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, Password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join(", ", created.Errors.Select(e => e.Code)));
        await users.AddToRoleAsync(user, role);
        return (await ClientForAsync(email, Password), user.Id, email);
    }

    public async Task<HttpClient> AdminClientAsync() => await ClientForAsync(AdminEmail, AdminPassword);

    public async Task<HttpClient> ClientForAsync(string email, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<TokenDto>())!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    private sealed record TokenDto(string AccessToken);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(ContentRoot, true); } catch (IOException) { }
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

public sealed class SqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteApp> { public const string Name = "sqlite app"; }

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresApp> { public const string Name = "postgres app"; }
