using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.WaitingRoom;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.WaitingRoom;

public sealed class QueueStatusCachedSqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    // Statuses stay cached for the longest time allowed (5 s): what the fast path answers from.
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["WaitingRoom:CacheMilliseconds"] = "5000" };
}

public sealed class QueueStatusCachedPostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["WaitingRoom:CacheMilliseconds"] = "5000" };
}

/// <summary>
/// Issue 23: the waiting fans' status polls answered before authentication (<see cref="QueueStatusFastPath"/>) give the
/// endpoint's answer, and only to the fan whose token and session are known good: another fan's token still gets 404,
/// a signed-out session 401, a cookie or an unknown token the normal path.
/// </summary>
public abstract class QueueStatusFastPathTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AKnownFansPoll_IsAnsweredEarly_WithTheEndpointsAnswer()
    {
        var (fan, entryId) = await JoinedFanAsync();
        var first = await fan.GetAsync($"/api/queue/{entryId}"); // the normal path: validates the token, caches the status
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var expected = await first.Content.ReadAsStringAsync();
        using var answers = new FastAnswers(app);

        for (var i = 0; i < 5; i++)
        {
            var again = await fan.GetAsync($"/api/queue/{entryId}");
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(expected, await again.Content.ReadAsStringAsync());
            Assert.Equal("application/json; charset=utf-8", again.Content.Headers.ContentType!.ToString());
            Assert.Contains("no-store", again.Headers.CacheControl!.ToString());
        }
        Assert.Equal(5, answers.Total);
        Assert.Equal("Waiting", JsonSerializer.Deserialize<JsonElement>(expected).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnotherFansToken_Gets404_AndASignedOutSession401_FromTheNormalPath()
    {
        var (fan, entryId) = await JoinedFanAsync();
        Assert.Equal(HttpStatusCode.OK, (await fan.GetAsync($"/api/queue/{entryId}")).StatusCode);
        var (other, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/me")).StatusCode); // its token is known too
        using var answers = new FastAnswers(app);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/queue/{entryId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fan.PostAsync("/api/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fan.GetAsync($"/api/queue/{entryId}")).StatusCode);
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/queue/{entryId}")).StatusCode);
        Assert.Equal(0, answers.Total);
    }

    [Fact]
    public async Task AtTheOpening_TheFirstPollReadsTheDrawnPlace_AndTheNextOnesAreAnsweredFromMemoryWithIt()
    {
        var (fan, entryId) = await JoinedFanAsync();
        var before = await (await fan.GetAsync($"/api/queue/{entryId}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, before.GetProperty("position").ValueKind);
        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var answers = new FastAnswers(app);

        var drawn = await (await fan.GetAsync($"/api/queue/{entryId}")).ReadJsonAsync(); // the draw: the normal path
        Assert.Equal(1, drawn.GetProperty("position").GetInt32());
        Assert.Equal(0, answers.Total);
        var again = await (await fan.GetAsync($"/api/queue/{entryId}")).ReadJsonAsync();
        Assert.Equal(1, again.GetProperty("position").GetInt32());
        Assert.Equal(1, answers.Total);
    }

    private async Task<(HttpClient Fan, Guid EntryId)> JoinedFanAsync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 50).SaveAsync();
        (await owner.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings",
            new { enabled = true, admitPerMinute = 10, opensAt = app.Clock.GetUtcNow().AddHours(1) })).EnsureSuccessStatusCode();
        var (fan, _, _) = await app.CreateUserClientAsync();
        var joined = await (await fan.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
        return (fan, joined.GetProperty("entryId").GetGuid());
    }

    private sealed class FastAnswers : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _total;

        public FastAnswers(TicketingApp app)
        {
            var scope = app.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == scope && instrument.Name == QueueStatusFastPath.InstrumentName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _total, value));
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}

public sealed class SqliteQueueStatusFastPathTests(QueueStatusCachedSqliteApp app) : QueueStatusFastPathTests(app), IClassFixture<QueueStatusCachedSqliteApp>;

public sealed class PostgresQueueStatusFastPathTests(QueueStatusCachedPostgresApp app) : QueueStatusFastPathTests(app), IClassFixture<QueueStatusCachedPostgresApp>;
