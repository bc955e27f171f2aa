using System.Text.Json;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Contract;

/// <summary>What partners rely on in the document beyond the lint: names, security, problem codes, examples.</summary>
public abstract class OpenApiDocumentTests(TicketingApp app)
{
    private async Task<JsonElement> DocumentAsync() =>
        await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();

    private static JsonElement Operation(JsonElement doc, string verb, string path) => doc.GetProperty("paths").GetProperty(path).GetProperty(verb);

    [Fact]
    public async Task SchemaNames_AreReadableGenericsIncluded()
    {
        var names = (await DocumentAsync()).GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();

        Assert.Contains("PagedResultOfOrderDto", names);
        Assert.Contains("ProblemDetails", names);
        Assert.Contains("ValidationProblemDetails", names);
        Assert.All(names, n => Assert.Matches("^[A-Za-z][A-Za-z0-9_]*$", n));
    }

    [Fact]
    public async Task SignedInOperations_RequireTheBearerScheme_AndAnonymousOnesRequireNothing()
    {
        var doc = await DocumentAsync();

        Assert.Equal("bearer", doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.False(doc.TryGetProperty("security", out _), "no document-wide requirement: anonymous operations would show a lock");
        foreach (var (verb, path) in new[] { ("post", "/api/orders"), ("post", "/api/orders/{id}/payment"), ("get", "/api/tickets"), ("get", "/api/me") })
        {
            var operation = Operation(doc, verb, path);
            Assert.True(Assert.Single(operation.GetProperty("security").EnumerateArray()).TryGetProperty("Bearer", out _), $"{verb} {path}");
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{verb} {path} documents its 401");
        }
        foreach (var (verb, path) in new[] { ("post", "/api/auth/register"), ("post", "/api/auth/token"), ("get", "/api/events") })
        {
            var requirement = Assert.Single(Operation(doc, verb, path).GetProperty("security").EnumerateArray());
            Assert.Empty(requirement.EnumerateObject());
        }
        Assert.True(Operation(doc, "get", "/api/users").GetProperty("responses").TryGetProperty("403", out _), "a role-restricted operation documents its 403");
    }

    [Fact]
    public async Task BusinessRefusals_AreProblemDetailsListingTheirCodesWithAnExampleEach()
    {
        var doc = await DocumentAsync();

        var conflict = Operation(doc, "post", "/api/orders").GetProperty("responses").GetProperty("409");
        Assert.Contains("`sold_out`", conflict.GetProperty("description").GetString());
        var media = conflict.GetProperty("content").GetProperty("application/problem+json");
        Assert.EndsWith("/ProblemDetails", media.GetProperty("schema").GetProperty("$ref").GetString());
        Assert.Equal("sold_out", media.GetProperty("examples").GetProperty("sold_out").GetProperty("value").GetProperty("code").GetString());
        var declined = Operation(doc, "post", "/api/orders/{id}/payment").GetProperty("responses").GetProperty("402")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("examples");
        Assert.True(declined.TryGetProperty("card_declined", out _));
        Assert.True(Operation(doc, "post", "/api/auth/token").GetProperty("responses").GetProperty("429")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("examples").TryGetProperty("rate_limited", out _));
        Assert.True(Operation(doc, "get", "/api/orders").GetProperty("responses").GetProperty("400")
            .GetProperty("content").GetProperty("application/problem+json").GetProperty("examples").TryGetProperty("malformed_request", out _),
            "an operation reading query parameters documents the 400 of an unreadable one");
        var problem = doc.GetProperty("components").GetProperty("schemas").GetProperty("ProblemDetails").GetProperty("properties");
        Assert.True(problem.TryGetProperty("code", out _));
        Assert.True(problem.TryGetProperty("traceId", out _));
    }

    [Fact]
    public async Task WritesThatSpendSeatsOrMoney_DocumentTheirIdempotencyKeyHeader()
    {
        var doc = await DocumentAsync();

        foreach (var path in new[] { "/api/orders", "/api/orders/{id}/payment" })
        {
            var header = Assert.Single(Operation(doc, "post", path).GetProperty("parameters").EnumerateArray(),
                p => p.GetProperty("in").GetString() == "header");
            Assert.Equal("Idempotency-Key", header.GetProperty("name").GetString());
            Assert.False(header.TryGetProperty("required", out var required) && required.GetBoolean(), "the key is optional");
        }
        // The guest checkout's hold and payment (their keys are the address's).
        foreach (var path in new[] { "/api/guest/orders", "/api/guest/orders/{id}/payment" })
            Assert.Contains(Operation(doc, "post", path).GetProperty("parameters").EnumerateArray(),
                p => p.GetProperty("in").GetString() == "header" && p.GetProperty("name").GetString() == "Idempotency-Key");
    }

    [Fact]
    public async Task ThePurchaseFlowsRequests_HaveExamples()
    {
        var doc = await DocumentAsync();

        foreach (var path in new[] { "/api/auth/register", "/api/auth/token", "/api/orders", "/api/orders/{id}/payment" })
            Assert.True(Operation(doc, "post", path).GetProperty("requestBody").GetProperty("content").GetProperty("application/json")
                .TryGetProperty("example", out _), $"POST {path} has no example");
        var card = Operation(doc, "post", "/api/orders/{id}/payment").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("example");
        Assert.Equal("4242424242424242", card.GetProperty("cardNumber").GetString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOpenApiDocumentTests(SqliteApp app) : OpenApiDocumentTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOpenApiDocumentTests(PostgresApp app) : OpenApiDocumentTests(app);
