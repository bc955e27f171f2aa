using System.Globalization;
using System.Net;

namespace Ticketing.Bench.FlashSale;

/// <summary>
/// <c>FlashSale --url http://127.0.0.1:5120 --db sqlite|postgres --connection CS --jwt-key BASE64 --admin-email E --admin-password P
/// --seats N --buyers M [--concurrency C] [--rate R] [--app-pid PID] [--db-pid POSTMASTER] [--soldout-seconds S] [--ping-seconds S]
/// [--sqlite-baseline-file F --sqlite-baseline-seconds S] [--baseline name=value]... [--idempotency]
/// [--warmup-buyers W (10000, 0 = none) --warmup-seats S (1500)] [--confirmation-wait-seconds S (180, 0 = skip)]</c>.
/// With <c>--queue-join --performance ID --fans N --fans-file F</c>: the waiting-room benchmark's set-up (<see cref="QueueJoin"/>).
/// With <c>--seating --seats N --fans M [--best-share B] [--hot-share H] [--pay-share P] [--release-share R] [--seed S]</c>:
/// the reserved-seating sale (<see cref="SeatingRunner"/>, <c>bench/seating.sh</c>).
/// Prints ONE JSON line on stdout (progress on stderr); exit code 1 when a guarantee is broken, 2 on a usage or set-up error.
/// </summary>
public static class FlashSaleProgram
{
    public static async Task<int> Main(string[] args)
    {
        Dictionary<string, string> a;
        var baselines = new Dictionary<string, double>();
        try
        {
            a = Parse(args, baselines);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine("usage: FlashSale --url URL --db sqlite|postgres --connection CS --jwt-key BASE64 --admin-email E --admin-password P --seats N --buyers M [--concurrency C] [--rate R] [--app-pid PID] [--db-pid POSTMASTER] [--soldout-seconds S] [--ping-seconds S] [--sqlite-baseline-file F] [--sqlite-baseline-seconds S] [--baseline name=value] [--idempotency] [--warmup-buyers W] [--warmup-seats S] [--warmup-rounds R] [--confirmation-wait-seconds S]");
            return 2;
        }

        int concurrency;
        FlashSaleOptions options;
        try
        {
            concurrency = Int(a, "concurrency", 64);
            options = new FlashSaleOptions
            {
                Database = Get(a, "db").ToLowerInvariant() switch
                {
                    "sqlite" => DatabaseKind.Sqlite,
                    "postgres" or "postgresql" => DatabaseKind.Postgres,
                    var other => throw new ArgumentException($"--db {other}: sqlite or postgres"),
                },
                ConnectionString = Get(a, "connection"),
                JwtSigningKey = Convert.FromBase64String(Get(a, "jwt-key")),
                AdminEmail = Get(a, "admin-email"),
                AdminPassword = Get(a, "admin-password"),
                Seats = Int(a, "seats", 1000),
                Buyers = Int(a, "buyers", 20000),
                Concurrency = concurrency,
                Rate = a.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : null,
                AppPid = a.TryGetValue("app-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null,
                DbPid = a.TryGetValue("db-pid", out var dbPid) ? int.Parse(dbPid, CultureInfo.InvariantCulture) : null,
                SoldOutPhase = TimeSpan.FromSeconds(Dbl(a, "soldout-seconds", 5)),
                PingPhase = TimeSpan.FromSeconds(Dbl(a, "ping-seconds", 5)),
                SqliteBaselineFile = a.GetValueOrDefault("sqlite-baseline-file"),
                SqliteBaselinePhase = TimeSpan.FromSeconds(Dbl(a, "sqlite-baseline-seconds", a.ContainsKey("sqlite-baseline-file") ? 5 : 0)),
                IdempotencyKeys = a.ContainsKey("idempotency"),
                WarmupBuyers = Int(a, "warmup-buyers", 10000),
                WarmupSeats = Int(a, "warmup-seats", 1500),
                WarmupRounds = Int(a, "warmup-rounds", 3),
                ConfirmationWait = TimeSpan.FromSeconds(Dbl(a, "confirmation-wait-seconds", 180)),
                Baselines = baselines,
                Log = a.ContainsKey("quiet") ? null : m => Console.Error.WriteLine($"[flash-sale {DateTime.Now:HH:mm:ss}] {m}"),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        using var handler = new SocketsHttpHandler
        {
            // One connection per in-flight request: no queueing in the client (open model: the arrivals beyond it queue here, measured).
            MaxConnectionsPerServer = Math.Max(1, concurrency),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Get(a, "url")), Timeout = TimeSpan.FromSeconds(120) };

        if (a.ContainsKey("queue-join"))
            return await QueueJoin.RunAsync(http, options with { Buyers = Int(a, "fans", 2000) }, Guid.Parse(Get(a, "performance")), Get(a, "fans-file"));

        if (a.ContainsKey("seating"))
        {
            try
            {
                var seating = new SeatingOptions
                {
                    Seats = Int(a, "seats", 20_000),
                    Fans = Int(a, "fans", 50_000),
                    BestShare = Dbl(a, "best-share", 0.3),
                    HotShare = Dbl(a, "hot-share", 0.3),
                    PayShare = Dbl(a, "pay-share", 0.85),
                    ReleaseShare = Dbl(a, "release-share", 0.1),
                    Seed = Int(a, "seed", 22),
                    MaxSale = TimeSpan.FromSeconds(Dbl(a, "max-sale-seconds", 240)),
                };
                var line = await new SeatingRunner(http, options, seating).RunAsync();
                Console.WriteLine(line.ToJsonString());
                var violations = line["violations"]!.AsArray();
                foreach (var v in violations) Console.Error.WriteLine($"VIOLATION: {v}");
                return violations.Count == 0 ? 0 : 1;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
            {
                Console.Error.WriteLine($"seating set-up failed: {ex.Message}");
                return 2;
            }
        }

        FlashSaleResult result;
        try
        {
            result = await new FlashSaleRunner(http, options).RunAsync();
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine($"flash-sale set-up failed: {ex.Message}");
            return 2;
        }
        Console.WriteLine(result.ToJsonLine());
        foreach (var v in result.Violations) Console.Error.WriteLine($"VIOLATION: {v}");
        return result.Ok ? 0 : 1;
    }

    private static Dictionary<string, string> Parse(string[] args, Dictionary<string, double> baselines)
    {
        var flags = new HashSet<string> { "idempotency", "quiet", "queue-join", "seating" };
        var a = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument {args[i]}");
            var name = args[i][2..];
            if (flags.Contains(name)) { a[name] = "true"; continue; }
            if (i + 1 >= args.Length) throw new ArgumentException($"--{name} needs a value");
            var value = args[++i];
            if (name == "baseline")
            {
                var eq = value.IndexOf('=');
                if (eq <= 0) throw new ArgumentException("--baseline name=value");
                if (double.TryParse(value[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                    baselines[value[..eq]] = d;
                continue;
            }
            a[name] = value;
        }
        return a;
    }

    private static string Get(Dictionary<string, string> a, string name) =>
        a.TryGetValue(name, out var v) && v.Length > 0 ? v : throw new ArgumentException($"--{name} is required");

    private static int Int(Dictionary<string, string> a, string name, int fallback) =>
        a.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    private static double Dbl(Dictionary<string, string> a, string name, double fallback) =>
        a.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
