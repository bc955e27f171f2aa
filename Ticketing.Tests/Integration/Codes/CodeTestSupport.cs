using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Codes;

/// <summary>Shared steps of the access code and promo code tests.</summary>
internal static class CodeTestSupport
{
    public static object Order(TestEvent ev, int quantity, int category = 0, string? accessCode = null, string? promoCode = null) =>
        new { performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[category].Id, quantity } }, accessCode, promoCode };

    public static async Task<(int Status, string? Code, JsonElement Body)> AnswerAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (status, status == 201 ? null : body.TryGetProperty("code", out var c) ? c.GetString() : body.ToString(), body);
    }

    public static async Task<(int Status, string? Code, JsonElement Body)> PlaceAsync(HttpClient client, object order) =>
        await AnswerAsync(await client.PostAsJsonAsync("/api/orders", order));

    /// <summary><paramref name="count"/> orders at once, spread over <paramref name="clients"/>.</summary>
    public static async Task<(int Status, string? Code, JsonElement Body)[]> ParallelAsync(IReadOnlyList<HttpClient> clients, int count, Func<int, object> order)
    {
        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await PlaceAsync(clients[i % clients.Count], order(i));
        })).ToList();
        start.Release(count);
        return await Task.WhenAll(running);
    }

    /// <summary>Flags a category presale-only (hidden), as the event editor does, and forgets what the on-sale memory read.</summary>
    public static async Task HideAsync(TicketingApp app, Guid categoryId)
    {
        await PurchaseTestData.QueryAsync(app, db => db.PriceCategories.Where(c => c.Id == categoryId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PresaleOnly, true)));
        app.Services.GetRequiredService<OnSaleCache>().Invalidate();
    }

    public static Task<(int Uses, int Rows)> UsesAsync(TicketingApp app, Guid codeId) =>
        PurchaseTestData.QueryAsync(app, async db => (
            await db.EventCodes.Where(c => c.Id == codeId).Select(c => c.Uses).SingleAsync(),
            await db.CodeUses.CountAsync(u => u.CodeId == codeId)));
}
