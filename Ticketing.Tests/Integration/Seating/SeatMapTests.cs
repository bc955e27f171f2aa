using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Seating;

/// <summary>Issue 22 items 2 and 5: the compact seat map decodes to the same seats; the availability delta shows a seat taken by another buyer.</summary>
public abstract class SeatMapTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> SeatedPerformanceAsync(int rows, int seats)
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var body = await (await organizer.PostAsJsonAsync("/api/seating-plans/generate", new
        {
            name = "Hall",
            blocks = new object[]
            {
                new { section = "Parterre", rows, seatsPerRow = seats, category = "Orchestre", numbering = "OddEven" },
                new { section = "Balcon <b>", rows = 2, seatsPerRow = 5, category = "Balcon", numbering = "LeftToRight", y = 300.0 },
            },
        })).ReadJsonAsync(HttpStatusCode.OK);
        var planId = (await (await organizer.PostAsync("/api/seating-plans", JsonContent.Create(body))).ReadJsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var created = await (await organizer.PostAsJsonAsync("/api/events", new
        {
            title = "Seated map", description = "A seated test event.", category = "Theatre",
            performances = new[]
            {
                new
                {
                    startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Théâtre", city = "Lyon", address = "1 rue" },
                    categories = new[] { new { name = "Orchestre", price = 30m, capacity = 1 }, new { name = "Balcon", price = 20m, capacity = 1 } },
                    seatingPlanId = planId,
                },
            },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        (await organizer.PostAsync($"/api/events/{id}/publish", null)).EnsureSuccessStatusCode();
        return created.GetProperty("performances")[0].GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task TheCompactMap_DecodesToTheSameSeats_AndOrdinalsGiveTheirIds()
    {
        var performanceId = await SeatedPerformanceAsync(4, 12);
        var client = app.CreateClient();
        var full = (await (await client.GetAsync($"/api/performances/{performanceId}/seats")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("seats");
        var compact = await (await client.GetAsync($"/api/performances/{performanceId}/seats?format=compact")).ReadJsonAsync(HttpStatusCode.OK);

        var decoded = Decode(compact);
        Assert.Equal(full.GetArrayLength(), decoded.Count);
        Assert.Equal(58, decoded.Count);
        for (var i = 0; i < decoded.Count; i++)
        {
            var f = full[i];
            var d = decoded[i];
            Assert.Equal(f.GetProperty("section").GetString(), d.Section);
            Assert.Equal(f.GetProperty("row").GetString(), d.Row);
            Assert.Equal(f.GetProperty("label").GetString(), d.Label);
            Assert.Equal(f.GetProperty("categoryId").GetGuid(), d.CategoryId);
            Assert.Equal(f.GetProperty("status").GetString()![0], d.Status);
            Assert.Equal(f.GetProperty("x").GetDouble(), d.X, 1);
            Assert.Equal(f.GetProperty("y").GetDouble(), d.Y, 1);
            Assert.Equal(f.GetProperty("accessible").GetBoolean(), d.Accessible);
        }

        // The map books by ids: ?ordinals= answers them.
        var picked = new[] { decoded[3].Ordinal, decoded[4].Ordinal };
        var ids = (await (await client.GetAsync($"/api/performances/{performanceId}/seats?ordinals={picked[0]},{picked[1]}")).ReadJsonAsync(HttpStatusCode.OK))
            .GetProperty("seats");
        Assert.Equal([full[3].GetProperty("id").GetGuid(), full[4].GetProperty("id").GetGuid()], ids.EnumerateArray().Select(s => s.GetProperty("id").GetGuid()));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/performances/{Guid.NewGuid()}/seats?format=compact")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/performances/{Guid.NewGuid()}/seats/changes")).StatusCode);
    }

    [Fact]
    public async Task TheDelta_ShowsASeatTakenByAnotherBuyer()
    {
        var performanceId = await SeatedPerformanceAsync(2, 6);
        var client = app.CreateClient();
        var compact = await (await client.GetAsync($"/api/performances/{performanceId}/seats?format=compact")).ReadJsonAsync(HttpStatusCode.OK);
        var version = compact.GetProperty("version").GetString();
        Assert.False(string.IsNullOrEmpty(version));
        Assert.All(compact.GetProperty("status").GetString()!, c => Assert.Equal('A', c));

        // Nothing changed: an empty delta.
        var same = await (await client.GetAsync($"/api/performances/{performanceId}/seats/changes?since={version}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(same.GetProperty("full").GetBoolean());
        Assert.Equal(0, same.GetProperty("changes").GetArrayLength());

        var full = (await (await client.GetAsync($"/api/performances/{performanceId}/seats")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("seats");
        var (buyer, _, _) = await app.CreateUserClientAsync();
        (await buyer.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { full[2].GetProperty("id").GetGuid() } }))
            .EnsureSuccessStatusCode();

        // Within a few seconds the poll names that seat (index 2) as held.
        JsonElement delta = default;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            delta = await (await client.GetAsync($"/api/performances/{performanceId}/seats/changes?since={version}")).ReadJsonAsync(HttpStatusCode.OK);
            if (delta.GetProperty("changes").GetArrayLength() > 0) break;
            await Task.Delay(200);
        }
        Assert.False(delta.GetProperty("full").GetBoolean());
        var change = Assert.Single(delta.GetProperty("changes").EnumerateArray());
        Assert.Equal(2, change[0].GetInt32());
        Assert.Equal("H", change[1].GetString());
        Assert.NotEqual(version, delta.GetProperty("version").GetString());

        // An unknown version answers the whole status.
        var unknown = await (await client.GetAsync($"/api/performances/{performanceId}/seats/changes?since=nope")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(unknown.GetProperty("full").GetBoolean());
        Assert.Equal('H', unknown.GetProperty("status").GetString()![2]);
    }

    [Fact]
    public async Task A20000SeatCompactMap_IsSmall()
    {
        var performanceId = await SeatedPerformanceAsync(100, 200);
        var bytes = await (await app.CreateClient().GetAsync($"/api/performances/{performanceId}/seats?format=compact")).Content.ReadAsByteArrayAsync();
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(bytes);
        Console.WriteLine($"compact seat map 20010 seats: {bytes.Length} bytes, {compressed.Length} gzip");
        Assert.True(compressed.Length < 250_000, $"{compressed.Length} bytes gzipped");
    }

    private sealed record Seat(int Ordinal, string Section, string Row, string Label, Guid? CategoryId, char Status, double X, double Y, bool Accessible);

    /// <summary>The decoder a client writes (the map's JS does the same).</summary>
    private static List<Seat> Decode(JsonElement c)
    {
        var sections = c.GetProperty("sections").EnumerateArray().Select(s => s.GetString()!).ToList();
        var categories = c.GetProperty("categoryIds").EnumerateArray().Select(s => s.GetGuid()).ToList();
        var labels = c.GetProperty("labels");
        var ordinals = c.GetProperty("ordinals");
        var xs = c.GetProperty("x");
        var ys = c.GetProperty("y");
        var cats = c.GetProperty("categories");
        var status = c.GetProperty("status").GetString()!;
        var flags = c.GetProperty("flags").EnumerateArray().ToDictionary(f => f[0].GetInt32(), f => f[1].GetInt32());
        var seats = new List<Seat>();
        int i = 0, ordinal = 0, x = 0, y = 0;
        foreach (var row in c.GetProperty("rows").EnumerateArray())
            for (var k = 0; k < row[2].GetInt32(); k++, i++)
            {
                ordinal += ordinals[i].GetInt32();
                x += xs[i].GetInt32();
                y += ys[i].GetInt32();
                var cat = cats[i].GetInt32();
                seats.Add(new Seat(ordinal, sections[row[0].GetInt32()], row[1].GetString()!, labels[i].GetString()!, cat == 0 ? null : categories[cat - 1],
                    status[i], x / 10.0, y / 10.0, (flags.GetValueOrDefault(i) & 1) != 0));
            }
        Assert.Equal(c.GetProperty("count").GetInt32(), seats.Count);
        return seats;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SeatMapTests_Sqlite(SqliteApp app) : SeatMapTests(app);

[Collection(PostgresCollection.Name)]
public sealed class SeatMapTests_Postgres(PostgresApp app) : SeatMapTests(app);
