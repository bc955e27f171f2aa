namespace Ticketing.Core.Persistence;

public sealed class DatabaseOptions
{
    public const string Section = "Database";
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
    public bool MigrateOnStartup { get; set; } = true;
    /// <summary>SQLite: milliseconds a writer waits for the lock before failing.</summary>
    public int SqliteBusyTimeoutMilliseconds { get; set; } = 5000;
    /// <summary>PostgreSQL: the pool is sized to the cores; a larger pool only adds contention on hot rows.</summary>
    public int PostgresMaxPoolSize { get; set; } = 32;
    /// <summary>
    /// PostgreSQL: statements Npgsql prepares automatically per connection (its <c>Max Auto Prepare</c>), unless the
    /// connection string sets it. 0 turns it off (a PgBouncer older than 1.21 in transaction mode needs that).
    /// </summary>
    public int PostgresMaxAutoPrepare { get; set; } = 64;
}
