namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// One throw-away PostgreSQL cluster for the whole test run (started on first use, stopped at process exit).
/// Under CI=true a missing PostgreSQL is a failure, never a skip: the constructor throws.
/// </summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresServer>> Server = new(async () =>
    {
        var server = new PostgresServer();
        await server.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    public static Task<PostgresServer> GetAsync() => Server.Value;

    /// <summary>A new empty database and a pooled connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(int maxPoolSize = 20)
    {
        var server = await GetAsync();
        var name = await server.CreateDatabaseAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString(name)) { Pooling = true, MaxPoolSize = maxPoolSize }.ConnectionString;
    }
}
