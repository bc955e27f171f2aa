using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ticketing.Bench.FlashSale;

/// <summary>
/// One flash sale against a running app: set-up through the API, buyers registered and tokens minted before the clock
/// starts, then every buyer's hold-and-pay attempt (closed or open model), then the sold-out answer rate and the ping
/// ceiling with the same client, then the SQL checks. Never asserts timing: <see cref="FlashSaleResult.Violations"/>
/// lists broken guarantees only.
/// </summary>
public sealed class FlashSaleRunner(HttpClient http, FlashSaleOptions o)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // Sale counters (Interlocked).
    private int _attempts, _holds, _sold, _soldOut, _errors5xx, _transport, _payFailures;
    private long _lastPaidTimestamp;
    private readonly ConcurrentDictionary<string, int> _otherAnswers = new();
    private readonly ConcurrentBag<string> _ticketNumbers = [];
    private readonly LatencyRecorder _winners = new(), _losers = new();

    public async Task<FlashSaleResult> RunAsync(CancellationToken ct = default)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var total = Stopwatch.StartNew();
        var result = new FlashSaleResult
        {
            Db = o.Database.ToString().ToLowerInvariant(),
            Seats = o.Seats,
            Buyers = o.Buyers,
            Model = o.Rate is null ? "closed" : "open",
            Idempotency = o.IdempotencyKeys,
            Concurrency = o.Concurrency,
            Rate = o.Rate,
            Cores = Environment.ProcessorCount,
        };

        var setup = Stopwatch.StartNew();
        var target = await ApiClient.CreateSaleAsync(http, o, runId, ct);
        result.SetupMs = setup.ElapsedMilliseconds;
        o.Log?.Invoke($"event {target.EventId} performance {target.PerformanceId} category {target.CategoryId}: {o.Seats} seats");

        var register = Stopwatch.StartNew();
        var buyers = await Buyers.RegisterAsync(o, runId, ct);
        result.RegisterMs = register.ElapsedMilliseconds;
        o.Log?.Invoke($"{buyers.Count} buyers registered and their tokens minted in {result.RegisterMs} ms");

        if (o.WarmupBuyers > 0 && o.WarmupSeats > 0)
        {
            // Other events, other buyers, other counters: only the app's warmth carries over to the measured sale.
            var warmup = o with { Seats = o.WarmupSeats, Buyers = o.WarmupBuyers, WarmupBuyers = 0, Log = null };
            for (var round = 1; round <= Math.Max(1, o.WarmupRounds); round++)
            {
                // New buyers each round, like the measured sale's: their first press is a token never validated here.
                var warmBuyers = await Buyers.RegisterAsync(warmup, $"w{round}{runId[2..]}", ct);
                var warmTarget = await ApiClient.CreateSaleAsync(http, warmup, $"w{round}{runId[2..]}", ct);
                var warm = Stopwatch.StartNew();
                var runner = new FlashSaleRunner(http, warmup);
                await runner.ClosedModelAsync(warmBuyers, HoldBody(warmTarget), ct);
                await Task.Delay(TimeSpan.FromSeconds(2), ct); // the JIT's background tier-up finishes
                o.Log?.Invoke($"warm-up sale {round}: {runner._sold} of {o.WarmupSeats} seats to {o.WarmupBuyers} buyers in {warm.ElapsedMilliseconds} ms");
            }
            // A box office opens an on-sale with yesterday's confirmations long sent: let the outbox drain first.
            var drain = Stopwatch.StartNew();
            int unsent;
            while ((unsent = await Verification.UnsentConfirmationsAsync(o, null, ct)) > 0 && drain.Elapsed < o.ConfirmationWait)
                await Task.Delay(500, ct);
            o.Log?.Invoke($"warm-up confirmations: {(unsent == 0 ? "all sent" : unsent + " still unsent")} after {drain.ElapsedMilliseconds} ms");
            if (unsent > 0) result.Notes.Add($"{unsent} warm-up confirmations were still unsent when the sale started");
        }

        // Sale ------------------------------------------------------------------------------------------------
        var holdBody = HoldBody(target);
        var cpuStart = o.AppPid is { } appPid ? ReadCpuMs(appPid) : null;
        var dbCpuStart = o.DbPid is { } dbPid ? ReadClusterCpuMs(dbPid) : null;
        var saleStart = Stopwatch.GetTimestamp();
        if (o.Rate is { } rate) await OpenModelAsync(buyers, holdBody, rate, ct);
        else await ClosedModelAsync(buyers, holdBody, ct);
        var saleEnd = Stopwatch.GetTimestamp();
        if (o.AppPid is { } pidAfter && cpuStart is { } before && ReadCpuMs(pidAfter) is { } after) result.AppCpuMsSale = after - before;
        if (o.DbPid is { } dbPidAfter && dbCpuStart is { } dbBefore && ReadClusterCpuMs(dbPidAfter) is { } dbAfter) result.DbCpuMsSale = dbAfter - dbBefore;
        result.SaleMs = Math.Round(Stopwatch.GetElapsedTime(saleStart, saleEnd).TotalMilliseconds, 1);
        var lastPaid = Interlocked.Read(ref _lastPaidTimestamp);
        result.SellThroughMs = lastPaid == 0 ? null : Math.Round(Stopwatch.GetElapsedTime(saleStart, lastPaid).TotalMilliseconds, 1);
        o.Log?.Invoke($"sale over in {result.SaleMs} ms: {_sold} sold, {_soldOut} sold-out answers");

        var numbers = _ticketNumbers.ToList();
        result.Attempts = _attempts;
        result.Holds = _holds;
        result.Sold = _sold;
        result.Duplicates = numbers.Count - numbers.Distinct(StringComparer.Ordinal).Count();
        result.Oversold = Math.Max(0, numbers.Count - o.Seats);
        result.Errors5xx = _errors5xx;
        result.TransportErrors = _transport;
        result.PaymentFailures = _payFailures;
        result.SoldOutAnswers = _soldOut;
        result.OtherAnswers = new SortedDictionary<string, int>(_otherAnswers);
        result.PaidPerSecond = result.SellThroughMs is > 0 ? Math.Round(_sold / (result.SellThroughMs.Value / 1000.0), 1) : null;
        result.AttemptsPerSecond = result.SaleMs > 0 ? Math.Round(_attempts / (result.SaleMs / 1000.0), 1) : null;
        result.WinnerLatencyMs = _winners.Summarize();
        result.SoldOutLatencyMs = _losers.Summarize();

        if (o.ConfirmationWait > TimeSpan.Zero && o.AppPid is not null)
        {
            // Every buyer's confirmation (mail + PDF e-tickets) is sent asynchronously by the outbox job: how long after
            // the sale started was the last one sent? (Polled every 500 ms; capped by --confirmation-wait-seconds.)
            // Measured before the phases below, so that they measure the answers, not the mails rendered meanwhile.
            int unsent;
            while ((unsent = await Verification.UnsentConfirmationsAsync(o, target.PerformanceId, ct)) > 0
                   && Stopwatch.GetElapsedTime(saleStart) < o.ConfirmationWait)
                await Task.Delay(500, ct);
            result.ConfirmationsUnsent = unsent;
            if (unsent == 0) result.AllConfirmationsSentMs = Math.Round(Stopwatch.GetElapsedTime(saleStart).TotalMilliseconds);
        }
        // The sold-out answer rate and the HTTP ceiling, same client, same concurrency -------------------------
        if (o.SoldOutPhase > TimeSpan.Zero && o.Buyers >= o.Seats)
        {
            var cpu0 = o.AppPid is { } p0 ? ReadCpuMs(p0) : null;
            var phase = await HammerAsync(o.SoldOutPhase, i =>
            {
                var r = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonBody(holdBody) };
                r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buyers[i % buyers.Count].Token);
                return r;
            }, expectedStatus: 409, ct);
            result.SoldOutRps = phase.Rps;
            result.AppCpuUsPerSoldOut = CpuPerRequest(o.AppPid, cpu0, phase.Count);
            result.SoldOutPhaseLatencyMs = phase.Latency;
            result.SoldOutPhaseUnexpected = phase.Unexpected;
            result.Errors5xx += phase.Errors5xx;
            result.TransportErrors += phase.Transport;
        }
        if (o.PingPhase > TimeSpan.Zero)
        {
            var cpu0 = o.AppPid is { } p0 ? ReadCpuMs(p0) : null;
            var phase = await HammerAsync(o.PingPhase, _ => new HttpRequestMessage(HttpMethod.Get, "/api/ping"), expectedStatus: 200, ct);
            result.PingRps = phase.Rps;
            result.AppCpuUsPerPing = CpuPerRequest(o.AppPid, cpu0, phase.Count);
            result.PingLatencyMs = phase.Latency;
            if (phase.Unexpected > 0) result.Notes.Add($"GET /api/ping: {phase.Unexpected} answers were not 200");
        }
        if (o.SqliteBaselinePhase > TimeSpan.Zero && o.SqliteBaselineFile is { } file)
            result.Baselines["sqliteGuardedUpdateTps"] = SqliteBaseline.Run(file, o.Concurrency, o.SqliteBaselinePhase);
        foreach (var (k, v) in o.Baselines) result.Baselines[k] = v;
        if (result.Baselines.TryGetValue("pgbenchTps", out var pgbench) && pgbench > 0 && result.PaidPerSecond is { } pps)
            result.Ratios["paidVsPgbench"] = Math.Round(pps / pgbench, 3);
        if (result.Baselines.TryGetValue("sqliteGuardedUpdateTps", out var sqliteTps) && sqliteTps > 0 && result.PaidPerSecond is { } pps2)
            result.Ratios["paidVsSqliteUpdate"] = Math.Round(pps2 / sqliteTps, 3);
        // The database's share: what the same database box could serve by CPU alone if the app ran elsewhere (a projection,
        // next to pgbench's measured single-row ceiling; the measured ratio is paidVsPgbench).
        if (result.DbCpuMsSale is > 0 && result.Sold > 0)
        {
            result.DbCpuUsPerPurchase = Math.Round(result.DbCpuMsSale.Value * 1000.0 / result.Sold, 1);
            if (result.Baselines.TryGetValue("pgbenchDbCpuUsPerTx", out var pgbenchCpu) && pgbenchCpu > 0)
                result.Ratios["dbCpuPerPurchaseVsPgbenchTx"] = Math.Round(result.DbCpuUsPerPurchase.Value / pgbenchCpu, 2);
        }
        if (result.SoldOutRps is { } so && result.PingRps is > 0)
            result.Ratios["soldOutVsPing"] = Math.Round(so / result.PingRps.Value, 3);
        if (result.WinnerLatencyMs is { P50: > 0 } w)
            result.Ratios["winnerP99OverP50"] = Math.Round(w.P99!.Value / w.P50!.Value, 2);

        if (o.AppPid is { } pid) (result.AppPeakRssMb, result.AppRssMb) = ReadRss(pid);

        // Checks in SQL ---------------------------------------------------------------------------------------------
        var db = await Verification.ReadAsync(o, target, ct);
        result.Db_ = db;
        var expected = Math.Min(o.Seats, o.Buyers);
        var bad = result.Violations;
        if (db.Sold != expected) bad.Add($"sold in SQL {db.Sold} != min(seats, demand) {expected}");
        if (db.Held != 0) bad.Add($"held in SQL {db.Held} != 0 after payment");
        if (db.Sold > db.Capacity || db.Sold + db.Held > db.Capacity) bad.Add($"oversold in SQL: sold {db.Sold} + held {db.Held} > capacity {db.Capacity}");
        if (db.ValidTickets != db.Sold) bad.Add($"valid tickets {db.ValidTickets} != sold {db.Sold}");
        if (db.DistinctTicketNumbers != db.ValidTickets) bad.Add($"ticket numbers not unique in SQL: {db.ValidTickets - db.DistinctTicketNumbers} duplicates");
        if (result.Sold != db.Sold) bad.Add($"paid answers {result.Sold} != sold in SQL {db.Sold}");
        if (result.Duplicates > 0) bad.Add($"{result.Duplicates} duplicate ticket numbers in the answers");
        if (result.Oversold > 0) bad.Add($"{result.Oversold} tickets beyond capacity in the answers");
        if (result.Errors5xx > 0) bad.Add($"{result.Errors5xx} answers 5xx");
        if (result.TransportErrors > 0) bad.Add($"{result.TransportErrors} transport errors");
        if (result.PaymentFailures > 0) bad.Add($"{result.PaymentFailures} holds not paid");
        if (result.SoldOutPhaseUnexpected > 0) bad.Add($"{result.SoldOutPhaseUnexpected} answers other than 409 once sold out");
        result.TotalMs = total.ElapsedMilliseconds;
        return result;
    }

    private static byte[] HoldBody(ApiClient.SaleTarget target) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        performanceId = target.PerformanceId,
        items = new[] { new { categoryId = target.CategoryId, quantity = 1 } },
    });

    private async Task ClosedModelAsync(IReadOnlyList<Buyer> buyers, byte[] holdBody, CancellationToken ct)
    {
        var next = -1;
        var workers = Enumerable.Range(0, Math.Max(1, o.Concurrency)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < buyers.Count)
                await AttemptAsync(buyers[i], holdBody, Stopwatch.GetTimestamp(), ct);
        }, ct)).ToArray();
        await Task.WhenAll(workers);
    }

    /// <summary>Arrivals on a fixed schedule; latency counts from the scheduled arrival (no coordinated omission).</summary>
    private async Task OpenModelAsync(IReadOnlyList<Buyer> buyers, byte[] holdBody, double rate, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var tasks = new List<Task>(buyers.Count);
        var launched = 0;
        while (launched < buyers.Count)
        {
            var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var due = Math.Min(buyers.Count, (int)(elapsed * rate) + 1);
            for (; launched < due; launched++)
            {
                var scheduled = start + (long)(launched / rate * Stopwatch.Frequency);
                var buyer = buyers[launched];
                tasks.Add(Task.Run(() => AttemptAsync(buyer, holdBody, scheduled, ct), ct));
            }
            if (launched < buyers.Count) await Task.Delay(1, ct);
        }
        await Task.WhenAll(tasks);
    }

    private async Task AttemptAsync(Buyer buyer, byte[] holdBody, long started, CancellationToken ct)
    {
        Interlocked.Increment(ref _attempts);
        try
        {
            using var hold = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonBody(holdBody) };
            hold.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buyer.Token);
            if (o.IdempotencyKeys) hold.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var held = await http.SendAsync(hold, ct);
            var body = await held.Content.ReadAsByteArrayAsync(ct);
            var status = (int)held.StatusCode;
            if (status == 201)
            {
                Interlocked.Increment(ref _holds);
                var orderId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetGuid();
                await PayAsync(buyer, orderId, started, ct);
                return;
            }
            var code = ProblemCode(body);
            if (status == 409 && code == "sold_out")
            {
                Interlocked.Increment(ref _soldOut);
                _losers.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                return;
            }
            Classify("hold", status, code);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            Interlocked.Increment(ref _transport);
        }
    }

    private async Task PayAsync(Buyer buyer, Guid orderId, long started, CancellationToken ct)
    {
        var card = JsonSerializer.SerializeToUtf8Bytes(new
        {
            cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = 2030, cvc = "123", cardholderName = buyer.DisplayName,
        });
        using var pay = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{orderId}/payment") { Content = JsonBody(card) };
        pay.Headers.Authorization = new AuthenticationHeaderValue("Bearer", buyer.Token);
        if (o.IdempotencyKeys) pay.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var paid = await http.SendAsync(pay, ct);
        var body = await paid.Content.ReadAsByteArrayAsync(ct);
        var status = (int)paid.StatusCode;
        if (status == 200)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _sold);
            _winners.Add(Stopwatch.GetElapsedTime(started, now).TotalMilliseconds);
            long seen;
            while ((seen = Interlocked.Read(ref _lastPaidTimestamp)) < now && Interlocked.CompareExchange(ref _lastPaidTimestamp, now, seen) != seen) { }
            foreach (var t in JsonDocument.Parse(body).RootElement.GetProperty("tickets").EnumerateArray())
                _ticketNumbers.Add(t.GetProperty("number").GetString() ?? "");
            return;
        }
        Interlocked.Increment(ref _payFailures);
        Classify("pay", status, ProblemCode(body));
    }

    private void Classify(string step, int status, string? code)
    {
        if (status >= 500) Interlocked.Increment(ref _errors5xx);
        _otherAnswers.AddOrUpdate($"{step}:{status}{(code is null ? "" : ":" + code)}", 1, (_, n) => n + 1);
    }

    private sealed record PhaseResult(double Rps, LatencySummary Latency, int Unexpected, int Errors5xx, int Transport, long Count);

    /// <summary>Concurrency workers send requests back to back for <paramref name="duration"/>.</summary>
    private async Task<PhaseResult> HammerAsync(TimeSpan duration, Func<int, HttpRequestMessage> make, int expectedStatus, CancellationToken ct)
    {
        var latency = new LatencyRecorder();
        int done = 0, unexpected = 0, e5xx = 0, transport = 0, counter = 0;
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, Math.Max(1, o.Concurrency)).Select(_ => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var t0 = Stopwatch.GetTimestamp();
                try
                {
                    using var request = make(Interlocked.Increment(ref counter));
                    using var response = await http.SendAsync(request, ct);
                    await response.Content.ReadAsByteArrayAsync(ct);
                    var status = (int)response.StatusCode;
                    if (status != expectedStatus) Interlocked.Increment(ref unexpected);
                    if (status >= 500) Interlocked.Increment(ref e5xx);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
                {
                    Interlocked.Increment(ref transport);
                    continue;
                }
                latency.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                Interlocked.Increment(ref done);
            }
        }, ct)).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new PhaseResult(Math.Round(done / seconds, 1), latency.Summarize(), unexpected, e5xx, transport, done);
    }

    private static ByteArrayContent JsonBody(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = Json;
        return content;
    }

    private static string? ProblemCode(byte[] body)
    {
        if (body.Length == 0 || body[0] != (byte)'{') return null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    private static double? CpuPerRequest(int? pid, long? before, long requests) =>
        pid is { } p && before is { } b && ReadCpuMs(p) is { } a && requests > 0 ? Math.Round((a - b) * 1000.0 / requests, 1) : null;

    /// <summary>CPU time (user + system) the app has used so far (Linux /proc, clock ticks of 10 ms), in ms.</summary>
    public static long? ReadCpuMs(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // After the ")" that ends the command name: state is field 3, utime 14 and stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12])) * 10;
        }
        catch (IOException) { return null; }
    }

    /// <summary>
    /// CPU time of a PostgreSQL cluster in ms: the postmaster, its live children (the backends), and its reaped children
    /// (cutime/cstime), so that a before/after difference counts backends that ended in between too.
    /// </summary>
    public static long? ReadClusterCpuMs(int postmasterPid)
    {
        try
        {
            var ticks = 0L;
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                // After the ")" that ends the command name: ppid is field 4, utime 14, stime 15, cutime 16, cstime 17.
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (pid == postmasterPid) ticks += long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]);
                else if (int.Parse(f[1]) == postmasterPid) ticks += long.Parse(f[11]) + long.Parse(f[12]);
            }
            return ticks * 10;
        }
        catch (IOException) { return null; }
    }

    /// <summary>Peak and current resident set of the app (Linux /proc), in MiB.</summary>
    public static (double? Peak, double? Current) ReadRss(int pid)
    {
        try
        {
            double? peak = null, current = null;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kb(line);
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) current = Kb(line);
            }
            return (peak, current);
        }
        catch (IOException) { return (null, null); }

        static double Kb(string line) =>
            Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0, 1);
    }

}
