using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.Bench.FlashSale;

/// <summary>The set-up calls of the contract (docs: /work/shared/api.md): sign in, create the Organizer, the event, publish.</summary>
public static class ApiClient
{
    public sealed record SaleTarget(Guid EventId, Guid PerformanceId, Guid CategoryId);

    public static async Task<string> TokenAsync(HttpClient http, string email, string password, CancellationToken ct)
    {
        var r = await http.PostAsJsonAsync("/api/auth/token", new { email, password }, ct);
        var json = await ReadAsync(r, HttpStatusCode.OK, "POST /api/auth/token", ct);
        return json.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Admin creates an Organizer; the Organizer creates and publishes an event with one performance and one category of <paramref name="seats"/>.</summary>
    public static async Task<SaleTarget> CreateSaleAsync(HttpClient http, FlashSaleOptions o, string runId, CancellationToken ct)
    {
        var admin = await TokenAsync(http, o.AdminEmail, o.AdminPassword, ct);
        var organizerEmail = $"organizer-{runId}@flash.test";
        const string organizerPassword = "Stadium-Promoter-2026";
        await SendAsync(http, HttpMethod.Post, "/api/users", admin, new
        {
            email = organizerEmail, password = organizerPassword, displayName = "Stadium promoter", roles = new[] { "Organizer" },
        }, HttpStatusCode.Created, ct);
        var organizer = await TokenAsync(http, organizerEmail, organizerPassword, ct);

        var startsAt = DateTimeOffset.UtcNow.AddDays(60);
        var created = await SendAsync(http, HttpMethod.Post, "/api/events", organizer, new
        {
            title = $"Stadium on-sale {runId}",
            description = "Flash-sale benchmark: one stadium performance, one category.",
            category = "Concert",
            artist = "The Benchmarks",
            maxTicketsPerOrder = 10,
            performances = new[]
            {
                new
                {
                    startsAt = new DateTimeOffset(startsAt.Year, startsAt.Month, startsAt.Day, 19, 0, 0, TimeSpan.Zero),
                    venue = new { name = "Stade de France", city = "Saint-Denis", address = "93200 Saint-Denis" },
                    categories = new[] { new { name = "Cat 1", price = 89.00m, currency = "EUR", capacity = o.Seats } },
                },
            },
        }, HttpStatusCode.Created, ct, hint: "the events API (issue 3) is not in this build yet?");
        var eventId = created.TryGetProperty("id", out var idProp) ? idProp.GetGuid() : throw new InvalidOperationException("POST /api/events answered no id");
        await SendAsync(http, HttpMethod.Post, $"/api/events/{eventId}/publish", organizer, null, null, ct);

        var ev = await SendAsync(http, HttpMethod.Get, $"/api/events/{eventId}", organizer, null, HttpStatusCode.OK, ct);
        var performance = ev.GetProperty("performances")[0];
        var category = performance.GetProperty("categories")[0];
        return new SaleTarget(eventId, performance.GetProperty("id").GetGuid(), category.GetProperty("id").GetGuid());
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string token, object? body,
        HttpStatusCode? expected, CancellationToken ct, string? hint = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await http.SendAsync(request, ct);
        if (expected is null)
        {
            if (!response.IsSuccessStatusCode) await ReadAsync(response, HttpStatusCode.OK, $"{method} {path}", ct, hint);
            return default;
        }
        return await ReadAsync(response, expected.Value, $"{method} {path}", ct, hint);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage r, HttpStatusCode expected, string what, CancellationToken ct, string? hint = null)
    {
        var text = await r.Content.ReadAsStringAsync(ct);
        if (r.StatusCode != expected)
            throw new InvalidOperationException($"{what} answered {(int)r.StatusCode} (expected {(int)expected}){(hint is null || (int)r.StatusCode is not (404 or 405) ? "" : ": " + hint)} {Truncate(text)}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
