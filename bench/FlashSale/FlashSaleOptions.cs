namespace Ticketing.Bench.FlashSale;

public enum DatabaseKind { Sqlite, Postgres }

/// <summary>What one flash sale looks like. The same options drive the CLI and the correctness test.</summary>
public sealed record FlashSaleOptions
{
    public required DatabaseKind Database { get; init; }
    /// <summary>The app's database, used to register the buyers before the clock starts and to verify afterwards.</summary>
    public required string ConnectionString { get; init; }
    /// <summary>The app's JWT signing key (Auth:JwtSigningKey), to mint the buyers' tokens like TokenService.Mint does.</summary>
    public required byte[] JwtSigningKey { get; init; }
    public string JwtIssuer { get; init; } = "ticketing";
    public string JwtAudience { get; init; } = "ticketing-api";
    public required string AdminEmail { get; init; }
    public required string AdminPassword { get; init; }

    public int Seats { get; init; } = 1000;
    public int Buyers { get; init; } = 20000;
    /// <summary>Closed model: this many workers, each starting the next buyer's attempt when its previous one ends.</summary>
    public int Concurrency { get; init; } = 64;
    /// <summary>Open model when set: buyers arrive at this fixed rate (per second), whatever the answers' latency.</summary>
    public double? Rate { get; init; }
    /// <summary>After the sale: how long to measure the sold-out answer rate (0 = skip).</summary>
    public TimeSpan SoldOutPhase { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>How long to measure GET /api/ping with the same client (0 = skip).</summary>
    public TimeSpan PingPhase { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>A SQLite guarded single-row UPDATE baseline (the SQLite counterpart of pgbench), 0 = skip.</summary>
    public TimeSpan SqliteBaselinePhase { get; init; } = TimeSpan.Zero;
    public string? SqliteBaselineFile { get; init; }
    /// <summary>The app's process id (a published app), to read its peak RSS; null in-process.</summary>
    public int? AppPid { get; init; }
    /// <summary>The PostgreSQL postmaster's pid (the bench's own cluster): its CPU during the sale is measured too.</summary>
    public int? DbPid { get; init; }
    /// <summary>Sends an Idempotency-Key with every hold and payment, like a well-behaved mobile client.</summary>
    public bool IdempotencyKeys { get; init; }
    /// <summary>Figures measured outside the tool (pgbench tps, wrk ping rps), copied into the JSON line.</summary>
    public Dictionary<string, double> Baselines { get; init; } = [];
    /// <summary>
    /// A warm-up sale on another event before the clock starts (this many buyers for <see cref="WarmupSeats"/> seats),
    /// so that the measured sale runs on a warm app (JIT tiers, pools, caches), as a box office is before an on-sale.
    /// </summary>
    public int WarmupBuyers { get; init; }
    public int WarmupSeats { get; init; }
    /// <summary>
    /// How many warm-up sales (each on its own event, with its own buyers). One is not enough: the hold path runs out of seats
    /// within seconds, before the JIT has promoted it past its instrumented tier, and the measured sale then paid for
    /// that tier-up (~0.7 core of JIT during its first seconds, seen with dotnet-counters).
    /// </summary>
    public int WarmupRounds { get; init; } = 1;
    /// <summary>
    /// How long to wait for the outbox: after the warm-up (so that the sale starts with no confirmation backlog) and
    /// after the sale (to time the last confirmation). Zero skips both.
    /// </summary>
    public TimeSpan ConfirmationWait { get; init; }
    public Action<string>? Log { get; init; }
}
