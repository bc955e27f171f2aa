using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ticketing.Core.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    public const string ConnectionStringName = "Ticketing";

    /// <summary>
    /// Registers the derived context of the configured provider and exposes it as <see cref="TicketingDbContext"/>
    /// (scoped, for Identity) and as <see cref="IDbContextFactory{TicketingDbContext}"/> (for services and components).
    /// </summary>
    public static IServiceCollection AddTicketingPersistence(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateOnStart();
        var connectionString = ResolveConnectionString(configuration, options.Provider, contentRoot);
        services.AddSingleton(new DatabaseConnectionInfo(options.Provider, connectionString));

        if (options.Provider == DatabaseProvider.Postgres)
        {
            // Our defaults for what the operator's connection string does not say.
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
            bool Says(params string[] keys) => keys.Any(given.ContainsKey);
            var csb = new NpgsqlConnectionStringBuilder(connectionString);
            if (!Says("Maximum Pool Size", "MaxPoolSize")) csb.MaxPoolSize = options.PostgresMaxPoolSize;
            // The purchase path runs the same few statements thousands of times: prepared once per connection, the
            // server stops parsing and planning them on every call.
            if (!Says("Max Auto Prepare", "MaxAutoPrepare")) csb.MaxAutoPrepare = options.PostgresMaxAutoPrepare;
            var cs = csb.ConnectionString;
            services.AddPooledDbContextFactory<PostgresTicketingDbContext>(o => o.UseNpgsql(cs, n => n.CommandTimeout(30)).ConfigureWarnings(ExpectedFailuresBelowError));
            AddContexts<PostgresTicketingDbContext>(services);
        }
        else
        {
            var interceptor = new SqlitePragmaInterceptor(options.SqliteBusyTimeoutMilliseconds);
            services.AddPooledDbContextFactory<SqliteTicketingDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(interceptor).ConfigureWarnings(ExpectedFailuresBelowError));
            AddContexts<SqliteTicketingDbContext>(services);
        }
        // The model reads Identity's schema version from the app's services (passkeys need version 3).
        services.AddIdentityStoreSchema();
        return services;
    }

    /// <summary>
    /// EF Core logs every failed command and save at Error, including the unique-key conflicts we expect and handle
    /// (idempotency key races, a duplicate email, a second payment of one order, a secret created by two instances at
    /// once). Those are logged at Debug here: the exception always reaches its caller, which either handles it (an
    /// expected conflict) or lets it reach the exception handler, which logs it at Error with the database's message.
    /// </summary>
    private static void ExpectedFailuresBelowError(WarningsConfigurationBuilder w) =>
        w.Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug));

    public static string ResolveConnectionString(IConfiguration configuration, DatabaseProvider provider, string contentRoot)
    {
        var cs = configuration.GetConnectionString(ConnectionStringName);
        if (provider == DatabaseProvider.Postgres)
            return string.IsNullOrWhiteSpace(cs)
                ? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Ticketing is empty.")
                : cs;

        var builder = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(cs) ? "Data Source=App_Data/ticketing.db" : cs);
        if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        builder.Pooling = true;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Contexts come from a pool (a flash sale opens several per purchase: no allocation of a new context and its
    /// services each time). Services use the factory; Identity and Data Protection get a scoped one, returned to the
    /// pool when the scope ends.
    /// </summary>
    private static void AddContexts<TDerived>(IServiceCollection services) where TDerived : TicketingDbContext
    {
        services.AddSingleton<IDbContextFactory<TicketingDbContext>, Forwarding<TDerived>>();
        // One registration only: the scope disposes (gives back to the pool) every instance a factory registration returned,
        // so a second registration of the same context (e.g. TDerived, then TicketingDbContext => TDerived) gives it back
        // twice, and a request that rented it in between loses it ("Cannot access a disposed context instance").
        services.AddScoped<TicketingDbContext>(sp => sp.GetRequiredService<IDbContextFactory<TDerived>>().CreateDbContext());
    }

    private sealed class Forwarding<TDerived>(IDbContextFactory<TDerived> inner) : IDbContextFactory<TicketingDbContext>
        where TDerived : TicketingDbContext
    {
        public TicketingDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

/// <summary>The provider and the effective connection string (used by backups and diagnostics; never logged).</summary>
public sealed record DatabaseConnectionInfo(DatabaseProvider Provider, string ConnectionString);

/// <summary>Sets SQLite's per-connection pragmas: wait for the write lock instead of failing, enforce foreign keys.</summary>
public sealed class SqlitePragmaInterceptor(int busyTimeoutMs) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"PRAGMA busy_timeout={busyTimeoutMs}; PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL;";
        cmd.ExecuteNonQuery();
    }
}
