using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Ticketing.Bench.FlashSale;

/// <summary>
/// The waiting-room benchmark's set-up (<c>bench/queue.sh</c>): N fans registered ahead straight into the database (like
/// the flash sale's buyers, one shared bcrypt hash, tokens minted with the app's key), then each joins the date's
/// pre-queue through <c>POST /api/performances/{id}/queue</c> with C requests in flight. Writes one line per fan,
/// <c>token entryId</c>, and prints one JSON line with the join figures.
/// <c>FlashSale --queue-join --url URL --db sqlite|postgres --connection CS --jwt-key BASE64 --performance ID --fans N
/// [--concurrency C] --fans-file FILE</c>
/// </summary>
public static class QueueJoin
{
    public static async Task<int> RunAsync(HttpClient http, FlashSaleOptions o, Guid performanceId, string fansFile, CancellationToken ct = default)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var register = Stopwatch.StartNew();
        var fans = await Buyers.RegisterAsync(o, runId, ct);
        register.Stop();
        o.Log?.Invoke($"{fans.Count} fans registered in {register.ElapsedMilliseconds} ms; joining with {o.Concurrency} in flight");

        var entries = new string?[fans.Count];
        var failures = 0;
        var next = -1;
        var join = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Max(1, o.Concurrency)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < fans.Count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/performances/{performanceId}/queue");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fans[i].Token);
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                        entries[i] = json.RootElement.GetProperty("entryId").GetString();
                    }
                    else Interlocked.Increment(ref failures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
                if (i > 0 && i % 10_000 == 0) o.Log?.Invoke($"{i} joined");
            }
        }).ToList();
        await Task.WhenAll(workers);
        join.Stop();

        // Each fan's first poll of the waiting page (GET /api/queue/{entryId}): what a waiting fan keeps in the server's memory.
        next = -1;
        var pollFailures = 0;
        var poll = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, o.Concurrency)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < fans.Count)
            {
                if (entries[i] is not { } entry) continue;
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/queue/{entry}");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fans[i].Token);
                try
                {
                    using var response = await http.SendAsync(request, ct);
                    if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref pollFailures);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref pollFailures);
                }
            }
        }));
        poll.Stop();

        await using (var w = new StreamWriter(fansFile))
            for (var i = 0; i < fans.Count; i++)
                if (entries[i] is { } entry) await w.WriteLineAsync($"{fans[i].Token} {entry}");
        var joined = entries.Count(e => e is not null);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            fans = fans.Count, joined, failures, registerMs = register.ElapsedMilliseconds, joinMs = join.ElapsedMilliseconds,
            joinsPerSecond = Math.Round(joined / join.Elapsed.TotalSeconds, 1), pollMs = poll.ElapsedMilliseconds, pollFailures,
        }));
        return failures == 0 && pollFailures == 0 ? 0 : 1;
    }
}
