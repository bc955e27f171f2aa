using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Ticketing.Bench.FlashSale;

/// <summary>
/// The SQLite counterpart of the pgbench baseline: the guarded single-row UPDATE
/// (<c>UPDATE counter SET remaining = remaining - 1 WHERE id = 1 AND remaining &gt;= 1</c>), autocommit, from as many
/// connections as the load's concurrency, with the app's pragmas (WAL, synchronous=FULL, busy_timeout).
/// </summary>
public static class SqliteBaseline
{
    public static double Run(string file, int clients, TimeSpan duration)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString();
        using (var setup = Open(cs))
        {
            Exec(setup, "PRAGMA journal_mode=WAL; DROP TABLE IF EXISTS counter; CREATE TABLE counter (id INTEGER PRIMARY KEY, remaining INTEGER NOT NULL);" +
                        "INSERT INTO counter VALUES (1, 1000000000);");
        }
        long done = 0;
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Math.Max(1, clients)).Select(_ => new Thread(() =>
        {
            using var c = Open(cs);
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE counter SET remaining = remaining - 1 WHERE id = 1 AND remaining >= 1";
            cmd.Prepare();
            while (Stopwatch.GetTimestamp() < end)
            {
                try
                {
                    if (cmd.ExecuteNonQuery() == 1) Interlocked.Increment(ref done);
                }
                catch (SqliteException) { /* busy beyond the timeout: not a transaction */ }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return Math.Round(done / seconds, 1);
    }

    private static SqliteConnection Open(string cs)
    {
        var c = new SqliteConnection(cs);
        c.Open();
        Exec(c, "PRAGMA busy_timeout=5000; PRAGMA synchronous=FULL;");
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
