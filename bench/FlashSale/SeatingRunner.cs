using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ticketing.Bench.FlashSale;

/// <summary>What one reserved-seating sale looks like (<c>bench/seating.sh</c>).</summary>
public sealed record SeatingOptions
{
    /// <summary>Seats of the plan: blocks of 50 rows × 50 seats (a multiple of 2,500).</summary>
    public int Seats { get; init; } = 20_000;
    public int Fans { get; init; } = 50_000;
    /// <summary>Share of the fans who ask for best available (<c>items:[{categoryId, quantity, bestAvailable:true}]</c>).</summary>
    public double BestShare { get; init; } = 0.3;
    /// <summary>Share of the fans who pick seats on the map in the hot zone (the first 5 rows of the central front blocks).</summary>
    public double HotShare { get; init; } = 0.3;
    /// <summary>Of the fans who get a hold: this share pays, <see cref="ReleaseShare"/> releases it (DELETE), the rest leave it open.</summary>
    public double PayShare { get; init; } = 0.85;
    public double ReleaseShare { get; init; } = 0.1;
    /// <summary>How often the fans' map is refreshed (the compact map's statuses; the event page polls its deltas every 3 s).</summary>
    public TimeSpan MapRefresh { get; init; } = TimeSpan.FromSeconds(1);
    public int Seed { get; init; } = 22;
    /// <summary>No new fan starts after this (the run stays a few minutes on a shared box); the line says how many were served.</summary>
    public TimeSpan MaxSale { get; init; } = TimeSpan.FromSeconds(240);
}

/// <summary>
/// The reserved-seating sale: a plan of N seats generated and imported through the API, an event whose performance sells
/// it (3 categories), M fans registered ahead (like the flash sale's buyers); each fan either picks seats on the map (a
/// snapshot of the compact map refreshed every second, as a browser would see it, a share aiming at a hot zone) with
/// <c>{performanceId, seats:[...]}</c>, retrying once on <c>seat_taken</c>, or asks for best available; a fan who gets a
/// hold pays (simulated card), releases it or leaves it open. Then the checks in SQL (<see cref="SeatingVerification"/>)
/// and the compact payload's size. Prints one JSON object.
/// </summary>
public sealed class SeatingRunner(HttpClient http, FlashSaleOptions o, SeatingOptions s)
{
    private const int RowsPerBlock = 50, SeatsPerRow = 50, BlocksPerLine = 4;
    private int _served, _attempts, _holds, _paid, _released, _leftOpen, _retries, _errors5xx, _transport, _payFailures, _ticketsIssued, _seatsHeld;
    private readonly Dictionary<string, int> _refused = [];
    private readonly Lock _lock = new();
    private readonly LatencyRecorder _holdLatency = new(), _bestLatency = new();
    private volatile string _status = "";

    private sealed record SeatInfo(Guid Id, int Section, string Row, Guid CategoryId, bool Hot);

    public async Task<JsonObject> RunAsync(CancellationToken ct = default)
    {
        if (s.Seats <= 0 || s.Seats % (RowsPerBlock * SeatsPerRow) != 0) throw new ArgumentException("--seats: a multiple of 2,500 (blocks of 50 rows × 50 seats)");
        var runId = Guid.NewGuid().ToString("N")[..8];
        var total = Stopwatch.StartNew();

        // 1. The plan, the event, its performance ---------------------------------------------------------------------
        var setup = Stopwatch.StartNew();
        var admin = await ApiClient.TokenAsync(http, o.AdminEmail, o.AdminPassword, ct);
        var organizerEmail = $"seating-{runId}@flash.test";
        const string organizerPassword = "Stadium-Promoter-2026";
        await SendAsync(HttpMethod.Post, "/api/users", admin, new
        {
            email = organizerEmail, password = organizerPassword, displayName = "Arena promoter", roles = new[] { "Organizer" },
        }, HttpStatusCode.Created, ct);
        var organizer = await ApiClient.TokenAsync(http, organizerEmail, organizerPassword, ct);

        var blocks = s.Seats / (RowsPerBlock * SeatsPerRow);
        var blockInputs = Enumerable.Range(0, blocks).Select(b => new
        {
            section = $"Block {(char)('A' + b % 26)}{(b >= 26 ? (b / 26).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}",
            rows = RowsPerBlock,
            seatsPerRow = SeatsPerRow,
            seatSpacing = 10,
            rowSpacing = 12,
            x = (b % BlocksPerLine - (BlocksPerLine - 1) / 2.0) * (SeatsPerRow * 10 + 60),
            y = b / BlocksPerLine * (RowsPerBlock * 12 + 60),
            category = CategoryOfBlock(b),
        }).ToArray();
        var plan = await SendAsync(HttpMethod.Post, "/api/seating-plans/generate", organizer,
            new { name = $"Arena {runId} ({s.Seats} seats)", blocks = blockInputs }, HttpStatusCode.OK, ct);
        var created = await SendAsync(HttpMethod.Post, "/api/seating-plans", organizer, plan, HttpStatusCode.Created, ct);
        var planId = created.GetProperty("id").GetGuid();
        var startsAt = DateTimeOffset.UtcNow.AddDays(60);
        var ev = await SendAsync(HttpMethod.Post, "/api/events", organizer, new
        {
            title = $"Arena on-sale {runId}",
            description = "Reserved-seating benchmark: one performance, three categories, fans picking seats.",
            category = "Concert",
            artist = "The Benchmarks",
            maxTicketsPerOrder = 8,
            performances = new[]
            {
                new
                {
                    startsAt = new DateTimeOffset(startsAt.Year, startsAt.Month, startsAt.Day, 19, 0, 0, TimeSpan.Zero),
                    venue = new { name = "Arena", city = "Paris", address = "1 rue de l'Arena" },
                    seatingPlanId = planId,
                    categories = new[]
                    {
                        new { name = "Cat 1", price = 120.00m, currency = "EUR", capacity = s.Seats },
                        new { name = "Cat 2", price = 80.00m, currency = "EUR", capacity = s.Seats },
                        new { name = "Cat 3", price = 45.00m, currency = "EUR", capacity = s.Seats },
                    },
                },
            },
        }, HttpStatusCode.Created, ct);
        var eventId = ev.GetProperty("id").GetGuid();
        await SendAsync(HttpMethod.Post, $"/api/events/{eventId}/publish", organizer, null, null, ct);
        var perf = (await SendAsync(HttpMethod.Get, $"/api/events/{eventId}", organizer, null, HttpStatusCode.OK, ct)).GetProperty("performances")[0];
        var performanceId = perf.GetProperty("id").GetGuid();
        var categoryIds = perf.GetProperty("categories").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("id").GetGuid());

        // The seats in plan order (the compact map's index order), once, like the page's ids lookup.
        var full = await SendAsync(HttpMethod.Get, $"/api/performances/{performanceId}/seats", organizer, null, HttpStatusCode.OK, ct);
        var sections = new Dictionary<string, int>();
        var seats = full.GetProperty("seats").EnumerateArray().Select(x =>
        {
            var section = x.GetProperty("section").GetString()!;
            if (!sections.TryGetValue(section, out var si)) sections[section] = si = sections.Count;
            var row = x.GetProperty("row").GetString()!;
            var category = x.GetProperty("categoryId").GetGuid();
            return new SeatInfo(x.GetProperty("id").GetGuid(), si, row, category, row.Length == 1 && row[0] <= 'E');
        }).ToArray();
        // The hot zone: the first 5 rows (A-E) of the central front blocks (Cat 1), or of the first block of a small plan.
        var hotCategory = seats.Any(x => x.CategoryId == categoryIds["Cat 1"]) ? categoryIds["Cat 1"] : seats[0].CategoryId;
        seats = seats.Select(x => x with { Hot = x.Hot && (x.CategoryId == hotCategory) && (hotCategory == categoryIds["Cat 1"] || x.Section == 0) }).ToArray();
        if (seats.Length != s.Seats) throw new InvalidOperationException($"the performance has {seats.Length} seats, expected {s.Seats}");
        var hot = Enumerable.Range(0, seats.Length).Where(i => seats[i].Hot).ToArray();
        var setupMs = setup.ElapsedMilliseconds;
        o.Log?.Invoke($"plan {planId}, event {eventId}, performance {performanceId}: {seats.Length} seats ({hot.Length} in the hot zone) in {setupMs} ms");

        var register = Stopwatch.StartNew();
        var fans = await Buyers.RegisterAsync(o with { Buyers = s.Fans }, runId, ct);
        var registerMs = register.ElapsedMilliseconds;
        o.Log?.Invoke($"{fans.Count} fans registered and their tokens minted in {registerMs} ms");

        // 2. The sale -------------------------------------------------------------------------------------------------
        _status = await CompactStatusAsync(performanceId, ct);
        using var stopMap = new CancellationTokenSource();
        var mapTask = Task.Run(async () =>
        {
            while (!stopMap.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(s.MapRefresh, stopMap.Token);
                    _status = await CompactStatusAsync(performanceId, stopMap.Token);
                }
                catch (OperationCanceledException) { return; }
                catch (HttpRequestException) { }
            }
        }, ct);
        var cpuStart = o.AppPid is { } appPid ? FlashSaleRunner.ReadCpuMs(appPid) : null;
        var dbCpuStart = o.DbPid is { } dbPid ? FlashSaleRunner.ReadClusterCpuMs(dbPid) : null;
        var sale = Stopwatch.StartNew();
        var next = -1;
        var categoryList = new[] { categoryIds["Cat 1"], categoryIds["Cat 2"], categoryIds["Cat 3"] };
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, o.Concurrency)).Select(_ => Task.Run(async () =>
        {
            int i;
            while (sale.Elapsed < s.MaxSale && (i = Interlocked.Increment(ref next)) < fans.Count)
            {
                Interlocked.Increment(ref _served);
                await FanAsync(fans[i], new Random(s.Seed * 1_000_003 + i), performanceId, seats, hot, categoryList, ct);
                if (i > 0 && i % 10_000 == 0) o.Log?.Invoke($"{i} fans served, {Volatile.Read(ref _paid)} paid");
            }
        }, ct)));
        sale.Stop();
        long? appCpu = o.AppPid is { } p1 && cpuStart is { } c0 && FlashSaleRunner.ReadCpuMs(p1) is { } c1 ? c1 - c0 : null;
        long? dbCpu = o.DbPid is { } p2 && dbCpuStart is { } d0 && FlashSaleRunner.ReadClusterCpuMs(p2) is { } d1 ? d1 - d0 : null;
        await stopMap.CancelAsync();
        await mapTask;
        o.Log?.Invoke($"sale over in {sale.ElapsedMilliseconds} ms: {_holds} holds, {_paid} paid, {_released} released, {_leftOpen} left open");

        // 3. The compact payload after the sale (the statuses are mixed now), raw and gzip --------------------------------
        await Task.Delay(1500, ct); // the status snapshot is at most a second old
        using var compact = await http.GetAsync($"/api/performances/{performanceId}/seats?format=compact", ct);
        var compactBytes = await compact.Content.ReadAsByteArrayAsync(ct);
        using var gz = new MemoryStream();
        await using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            await z.WriteAsync(compactBytes, ct);
        var compactEncoding = string.Join(",", compact.Content.Headers.ContentEncoding);

        // 4. Checks in SQL ---------------------------------------------------------------------------------------------
        var db = await SeatingVerification.ReadAsync(o, performanceId, ct);
        var violations = new List<string>(db.Violations);
        if (db.SoldTotal != _ticketsIssued) violations.Add($"tickets in the payment answers {_ticketsIssued} != sold in SQL {db.SoldTotal}");
        if (_errors5xx > 0) violations.Add($"{_errors5xx} answers 5xx");
        if (_transport > 0) violations.Add($"{_transport} transport errors");
        if (_payFailures > 0) violations.Add($"{_payFailures} holds not paid");
        if (_served < s.Fans) o.Log?.Invoke($"only {_served} of {s.Fans} fans served within {s.MaxSale.TotalSeconds} s");

        var saleSeconds = sale.Elapsed.TotalSeconds;
        var result = new JsonObject
        {
            ["bench"] = "seating",
            ["db"] = o.Database.ToString().ToLowerInvariant(),
            ["seats"] = s.Seats,
            ["fans"] = s.Fans,
            ["fansServed"] = _served,
            ["concurrency"] = o.Concurrency,
            ["shares"] = new JsonObject { ["bestAvailable"] = s.BestShare, ["hotZone"] = s.HotShare, ["pay"] = s.PayShare, ["release"] = s.ReleaseShare },
            ["hotZoneSeats"] = hot.Length,
            ["attempts"] = _attempts,
            ["retriesAfterSeatTaken"] = _retries,
            ["holds"] = _holds,
            ["seatsHeld"] = _seatsHeld,
            ["paid"] = _paid,
            ["ticketsIssued"] = _ticketsIssued,
            ["released"] = _released,
            ["leftOpen"] = _leftOpen,
            ["refused"] = ToJson(_refused),
            ["errors5xx"] = _errors5xx,
            ["transportErrors"] = _transport,
            ["doubleSold"] = db.DoubleSold,
            ["heldEqualsSoldPlusOpen"] = db.HeldEqualsSoldPlusOpen,
            ["oversold"] = db.Oversold,
            ["sqlPerCategory"] = db.PerCategory,
            ["seatRows"] = db.SeatRows,
            ["compactPayload"] = new JsonObject
            {
                ["rawBytes"] = compactBytes.Length, ["gzipBytes"] = gz.Length, ["contentEncoding"] = compactEncoding.Length == 0 ? null : compactEncoding,
            },
            ["setupMs"] = setupMs,
            ["registerMs"] = registerMs,
            ["saleMs"] = sale.ElapsedMilliseconds,
            ["attemptsPerSecond"] = Math.Round(_attempts / saleSeconds, 1),
            ["paidPerSecond"] = Math.Round(_paid / saleSeconds, 1),
            ["seatsSoldPerSecond"] = Math.Round(_ticketsIssued / saleSeconds, 1),
            ["holdLatencyMs"] = Latency(_holdLatency.Summarize()),
            ["bestAvailableLatencyMs"] = Latency(_bestLatency.Summarize()),
            ["appCpuMsSale"] = appCpu,
            ["dbCpuMsSale"] = dbCpu,
            ["cores"] = Environment.ProcessorCount,
            ["eventId"] = eventId.ToString(),
            ["performanceId"] = performanceId.ToString(),
            ["violations"] = new JsonArray(violations.Select(v => (JsonNode)v!).ToArray()),
        };
        if (o.AppPid is { } pid) result["appPeakRssMb"] = FlashSaleRunner.ReadRss(pid).Peak;
        result["totalMs"] = total.ElapsedMilliseconds;
        return result;
    }

    private static string CategoryOfBlock(int b) => b >= BlocksPerLine ? "Cat 3" : b % BlocksPerLine is 1 or 2 ? "Cat 1" : "Cat 2";

    private async Task FanAsync(Buyer fan, Random rnd, Guid performanceId, SeatInfo[] seats, int[] hot, Guid[] categories, CancellationToken ct)
    {
        var quantity = rnd.NextDouble() switch { < 0.2 => 1, < 0.7 => 2, < 0.8 => 3, _ => 4 };
        var best = rnd.NextDouble() < s.BestShare;
        var aimsHot = !best && rnd.NextDouble() < s.HotShare / Math.Max(1e-9, 1 - s.BestShare);
        var category = categories[rnd.Next(categories.Length)];
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            object body;
            var picked = best ? null : Pick(rnd, seats, aimsHot ? hot : null, quantity);
            if (picked is null)
                body = new { performanceId, items = new[] { new { categoryId = category, quantity, bestAvailable = true } } };
            else
                body = new { performanceId, seats = picked.Select(i => seats[i].Id).ToArray() };
            var isBest = picked is null;
            Interlocked.Increment(ref _attempts);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var hold = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(body) };
                hold.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fan.Token);
                using var held = await http.SendAsync(hold, ct);
                var bytes = await held.Content.ReadAsByteArrayAsync(ct);
                (isBest ? _bestLatency : _holdLatency).Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var status = (int)held.StatusCode;
                if (status == 201)
                {
                    Interlocked.Increment(ref _holds);
                    using var order = JsonDocument.Parse(bytes);
                    Interlocked.Add(ref _seatsHeld, order.RootElement.GetProperty("items").GetArrayLength());
                    await AfterHoldAsync(fan, rnd, order.RootElement.GetProperty("id").GetGuid(), ct);
                    return;
                }
                if (status >= 500) Interlocked.Increment(ref _errors5xx);
                var code = ProblemCode(bytes) ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                lock (_lock) _refused[code] = _refused.GetValueOrDefault(code) + 1;
                if (code != "seat_taken" || attempt == 2) return;
                Interlocked.Increment(ref _retries);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
            {
                Interlocked.Increment(ref _transport);
                return;
            }
        }
    }

    /// <summary>
    /// Seats as a fan picks them on the map: a seat shown available (in the hot zone, or anywhere), then its neighbours to
    /// the right in the same row while they are shown available, up to <paramref name="quantity"/>. Null when the map shows
    /// nothing open there (the fan then asks for best available).
    /// </summary>
    private int[]? Pick(Random rnd, SeatInfo[] seats, int[]? zone, int quantity)
    {
        var status = _status;
        if (zone is { Length: 0 }) zone = null;
        for (var tries = 0; tries < 40; tries++)
        {
            var start = zone is null ? rnd.Next(seats.Length) : zone[rnd.Next(zone.Length)];
            if (start >= status.Length || status[start] != 'A') continue;
            var picked = new List<int> { start };
            for (var j = start + 1; j < seats.Length && picked.Count < quantity && j < status.Length && status[j] == 'A'
                                    && seats[j].Row == seats[start].Row && seats[j].Section == seats[start].Section; j++)
                picked.Add(j);
            return [.. picked];
        }
        if (zone is not null) return Pick(rnd, seats, null, quantity);
        // A nearly full map: the first open seats in plan order.
        var open = Enumerable.Range(0, Math.Min(seats.Length, status.Length)).Where(i => status[i] == 'A').Take(1).ToArray();
        return open.Length == 0 ? null : open;
    }

    private async Task AfterHoldAsync(Buyer fan, Random rnd, Guid orderId, CancellationToken ct)
    {
        var choice = rnd.NextDouble();
        if (choice < s.PayShare)
        {
            var card = new { cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = 2030, cvc = "123", cardholderName = fan.DisplayName };
            using var pay = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{orderId}/payment") { Content = JsonContent.Create(card) };
            pay.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fan.Token);
            using var paid = await http.SendAsync(pay, ct);
            var body = await paid.Content.ReadAsByteArrayAsync(ct);
            if (paid.StatusCode == HttpStatusCode.OK)
            {
                Interlocked.Increment(ref _paid);
                using var doc = JsonDocument.Parse(body);
                Interlocked.Add(ref _ticketsIssued, doc.RootElement.GetProperty("tickets").GetArrayLength());
                return;
            }
            if ((int)paid.StatusCode >= 500) Interlocked.Increment(ref _errors5xx);
            Interlocked.Increment(ref _payFailures);
            var code = "pay:" + (ProblemCode(body) ?? ((int)paid.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            lock (_lock) _refused[code] = _refused.GetValueOrDefault(code) + 1;
            return;
        }
        if (choice < s.PayShare + s.ReleaseShare)
        {
            using var release = new HttpRequestMessage(HttpMethod.Delete, $"/api/orders/{orderId}");
            release.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fan.Token);
            using var released = await http.SendAsync(release, ct);
            if (released.IsSuccessStatusCode) Interlocked.Increment(ref _released);
            else
            {
                if ((int)released.StatusCode >= 500) Interlocked.Increment(ref _errors5xx);
                var code = "release:" + ((int)released.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                lock (_lock) _refused[code] = _refused.GetValueOrDefault(code) + 1;
            }
            return;
        }
        Interlocked.Increment(ref _leftOpen);
    }

    private async Task<string> CompactStatusAsync(Guid performanceId, CancellationToken ct)
    {
        using var r = await http.GetAsync($"/api/performances/{performanceId}/seats?format=compact", ct);
        r.EnsureSuccessStatusCode();
        await using var stream = await r.Content.ReadAsStreamAsync(ct);
        using var doc = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
        return doc.RootElement.GetProperty("status").GetString() ?? "";
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, string token, object? body, HttpStatusCode? expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is JsonElement raw) request.Content = new StringContent(raw.GetRawText(), System.Text.Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (expected is null ? !response.IsSuccessStatusCode : response.StatusCode != expected)
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {(text.Length <= 300 ? text : text[..300])}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
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

    private static JsonObject ToJson(Dictionary<string, int> d)
    {
        var o = new JsonObject();
        foreach (var (k, v) in d.OrderBy(x => x.Key, StringComparer.Ordinal)) o[k] = v;
        return o;
    }

    private static JsonObject Latency(LatencySummary l) =>
        new() { ["count"] = l.Count, ["p50"] = l.P50, ["p95"] = l.P95, ["p99"] = l.P99, ["max"] = l.Max };
}
