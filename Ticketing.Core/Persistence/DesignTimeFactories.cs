using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Persistence;

/// <summary>Lets <c>dotnet ef</c> build either context without the web host (migrations per provider).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteTicketingDbContext>
{
    public SqliteTicketingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteTicketingDbContext>().UseSqlite("Data Source=design.db")
            .UseApplicationServiceProvider(DesignTimeServices.Provider).Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresTicketingDbContext>
{
    public PostgresTicketingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresTicketingDbContext>().UseNpgsql("Host=localhost;Database=design")
            .UseApplicationServiceProvider(DesignTimeServices.Provider).Options);
}

/// <summary>What the model reads from the app's services: Identity's schema version (passkeys), as the app configures it.</summary>
internal static class DesignTimeServices
{
    public static readonly IServiceProvider Provider = new ServiceCollection().AddIdentityStoreSchema().BuildServiceProvider();

    /// <summary>Identity's schema version 3 (the <c>AspNetUserPasskeys</c> table): the one place that chooses it.</summary>
    public static IServiceCollection AddIdentityStoreSchema(this IServiceCollection services) =>
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3);
}
