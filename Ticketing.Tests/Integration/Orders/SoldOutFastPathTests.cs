using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Auth;
using Ticketing.Web.Features.Orders;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>
/// The losers of an on-sale whose token this instance has validated before are answered before authentication and
/// binding (SoldOutFastPath): the same answer as the endpoint's, and nothing else is answered there.
/// </summary>
public abstract class SoldOutFastPathTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ALoserPressingAgain_IsAnsweredBeforeAuthentication_WithTheSameProblemAsTheDatabasePath()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 1).SaveAsync();
        var (winner, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(winner, ev, 1);
        var (loser, _, _) = await app.CreateUserClientAsync();
        using var answers = new AnswerCounter(app);

        // The database path, while the memory does not know the category is sold out: the hold finds no seat and throws.
        app.Services.GetRequiredService<SoldOutCache>().Forget(ev.Categories[0].Id);
        var viaDatabase = await (await SendAsync(loser, Body(ev))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(0, answers.Total);
        // The same loser again: the token is known, the category is known sold out.
        var early = await (await SendAsync(loser, Body(ev))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(1, answers[SoldOutAnswer.BeforeAuthentication]);

        Assert.Equal(Fields(viaDatabase), Fields(early));
        Assert.NotEqual(viaDatabase.GetProperty("traceId").GetString(), early.GetProperty("traceId").GetString());
        Assert.Equal(1, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
    }

    [Fact]
    public async Task AKeyedLoser_IsAnsweredFromMemory_WhenTheKeyHasNothingToReplay_AndNothingIsWritten()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 1).SaveAsync();
        var (winner, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(winner, ev, 1);
        var (loser, _, _) = await app.CreateUserClientAsync();
        using var answers = new AnswerCounter(app);

        // A token this instance has not seen yet: authenticated, then answered at the endpoint after the key's lookup.
        var atEndpoint = await (await SendAsync(loser, Body(ev), key: "press-1")).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(1, answers[SoldOutAnswer.AtEndpointStage]);
        // The token is known now: a new key, and the same key again (a refusal left nothing to replay), before authentication.
        var early = await (await SendAsync(loser, Body(ev), key: "press-2")).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        await (await SendAsync(loser, Body(ev), key: "press-1")).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(2, answers[SoldOutAnswer.BeforeAuthentication]);
        Assert.Equal(Fields(atEndpoint), Fields(early));

        // A key too long is the normal path's 400, not a sold_out.
        await (await SendAsync(loser, Body(ev), key: new string('k', IdempotencyStore.MaxKeyLength + 1)))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(3, answers.Total);
        Assert.Equal(0, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync()));
        Assert.Equal(1, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
    }

    /// <summary>
    /// The keys' lookups of the moment are read together (one query for many): asked at once, each key still gets its
    /// own answer — two fans' keys that held seats replay their 201s (the same key text for both: a key is per account),
    /// forty new keys are sold_out, and nothing is written.
    /// </summary>
    [Fact]
    public async Task KeyedLosersAskedAtOnce_EachGetTheirOwnAnswer_ReplaysAmongRefusals()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 2).SaveAsync();
        var (a, _, _) = await app.CreateUserClientAsync();
        var (b, _, _) = await app.CreateUserClientAsync();
        var heldA = (await (await SendAsync(a, Body(ev), key: "shared-text")).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var heldB = (await (await SendAsync(b, Body(ev), key: "shared-text")).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        Assert.True(app.Services.GetRequiredService<SoldOutCache>().IsSoldOut(ev.Categories[0].Id));
        var (c, _, _) = await app.CreateUserClientAsync();

        var asked = Enumerable.Range(0, 42).Select(i => i switch
        {
            7 => (Client: a, Key: "shared-text", Replay: heldA),
            23 => (Client: b, Key: "shared-text", Replay: heldB),
            _ => (Client: i % 3 == 0 ? a : i % 3 == 1 ? b : c, Key: $"new-{i}", Replay: (string?)null),
        }).ToList();
        var answers = await Task.WhenAll(asked.Select(x => SendAsync(x.Client, Body(ev), key: x.Key)));
        for (var i = 0; i < asked.Count; i++)
        {
            if (asked[i].Replay is { } id)
                Assert.Equal(id, (await answers[i].ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString());
            else
                await answers[i].AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        }
        Assert.Equal(2, await QueryAsync(app, db => db.IdempotencyRecords.CountAsync()));
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
    }

    [Fact]
    public async Task AKeyThatHeldSeats_StillReplaysIts201_OnceTheCategoryIsSoldOut_AndAnotherBodyUnderItIsRefusedAsReused()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 2).SaveAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        var first = await (await SendAsync(fan, Body(ev), key: "my-hold")).ReadJsonAsync(HttpStatusCode.Created);
        var (other, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(other, ev, 1);
        Assert.True(app.Services.GetRequiredService<SoldOutCache>().IsSoldOut(ev.Categories[0].Id));
        using var answers = new AnswerCounter(app);

        // The fan's token is known and the category is sold out: the key's earlier success is what they get, twice.
        for (var i = 0; i < 2; i++)
        {
            var replay = await SendAsync(fan, Body(ev), key: "my-hold");
            var again = await replay.ReadJsonAsync(HttpStatusCode.Created);
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        }
        await (await SendAsync(fan, Body(ev, quantity: 2), key: "my-hold")).AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_key_reused");
        Assert.Equal(0, answers.Total);
        // A new key of the same fan is a loser like any other.
        await (await SendAsync(fan, Body(ev), key: "my-second-try")).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(1, answers[SoldOutAnswer.BeforeAuthentication]);
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
    }

    [Fact]
    public async Task TheAnswerIsInTheCallersLanguage_AndAChunkedBodyIsReadToo()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 1).SaveAsync();
        var (winner, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(winner, ev, 1);
        await (await winner.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        using var answers = new AnswerCounter(app);

        var french = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(Body(ev), Encoding.UTF8, "application/json") }
            .WithLanguage("fr-FR");
        var problem = await (await winner.SendAsync(french)).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal("Cette catégorie est complète.", problem.GetProperty("title").GetString());
        Assert.Equal("Cette catégorie est complète.", problem.GetProperty("detail").GetString());
        // JsonContent has no Content-Length (chunked on the wire).
        await (await winner.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(2, answers[SoldOutAnswer.BeforeAuthentication]);
    }

    [Fact]
    public async Task ARevokedSessionsKnownToken_IsNotAnsweredEarly_ButRefusedByTheNormalPath()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 1).SaveAsync();
        var (winner, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(winner, ev, 1);
        var (loser, _, _) = await app.CreateUserClientAsync();
        await (await SendAsync(loser, Body(ev))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out"); // the token is known now
        using var answers = new AnswerCounter(app);

        Assert.Equal(HttpStatusCode.NoContent, (await loser.PostAsync("/api/auth/logout", null)).StatusCode);

        await (await SendAsync(loser, Body(ev))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal(0, answers.Total);
    }

    [Fact]
    public async Task AForgedTokenIs401_ABadBodyIs400_AndABodyThatDoesNotNameTheSoldOutCategoryIsHeld_AllByTheNormalPath()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 1).WithCategory("Balcon", 2500, 5).SaveAsync();
        var (winner, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(winner, ev, 1);
        await (await winner.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.True(app.Services.GetRequiredService<SoldOutCache>().IsSoldOut(ev.Categories[0].Id));
        using var answers = new AnswerCounter(app);

        var token = winner.DefaultRequestHeaders.Authorization!.Parameter!;
        var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^2] + (token[^2] == 'A' ? "BB" : "AA"));
        await (await SendAsync(forged, Body(ev))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var anonymous = app.CreateClient();
        await (await SendAsync(anonymous, Body(ev))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        await (await SendAsync(winner, Body(ev, quantity: 0))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await SendAsync(winner, "{\"performanceId\": ")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await SendAsync(winner, Body(ev) + " {}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var tooBig = $"{{\"performanceId\":\"{ev.PerformanceId}\",\"items\":[{{\"categoryId\":\"{ev.Categories[0].Id}\",\"quantity\":1}}],\"note\":\"{new string('x', 5000)}\"}}";
        await (await SendAsync(winner, tooBig)).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        var balcon = await (await SendAsync(winner, Body(ev, category: 1))).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Reserved", balcon.GetProperty("status").GetString());

        Assert.Equal(0, answers[SoldOutAnswer.BeforeAuthentication]);
        Assert.Equal(1, answers[SoldOutAnswer.AtEndpointStage]);
    }

    private static string Body(TestEvent ev, int quantity = 1, int category = 0) =>
        JsonSerializer.Serialize(Hold(ev, quantity, category));

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string json, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private static Dictionary<string, string> Fields(JsonElement problem) =>
        problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.GetRawText());

    /// <summary>This app's sold-out answers given from memory, by stage (the other app of the test run has its own meter).</summary>
    private sealed class AnswerCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Dictionary<string, long> _byStage = new();

        public AnswerCounter(TicketingApp app)
        {
            var scope = app.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == scope && instrument.Name == SoldOutAnswer.InstrumentName) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key != "stage") continue;
                    lock (_byStage) _byStage[(string)tag.Value!] = this[(string)tag.Value!] + value;
                }
            });
            _listener.Start();
        }

        public long this[string stage]
        {
            get { lock (_byStage) return _byStage.GetValueOrDefault(stage); }
        }

        public long Total
        {
            get { lock (_byStage) return _byStage.Values.Sum(); }
        }

        public void Dispose() => _listener.Dispose();
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSoldOutFastPathTests(SqliteApp app) : SoldOutFastPathTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSoldOutFastPathTests(PostgresApp app) : SoldOutFastPathTests(app);
