using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Shell;

/// <summary>Every endpoint of the contract (shared/api.md) is in the OpenAPI document, with its error answers.</summary>
[Collection(SqliteCollection.Name)]
public sealed class OpenApiContractTests(SqliteApp app)
{
    public static TheoryData<string, string> Contract => new()
    {
        { "post", "/api/auth/register" }, { "post", "/api/auth/token" }, { "get", "/api/me" }, { "put", "/api/me" },
        { "post", "/api/auth/refresh" }, { "post", "/api/auth/logout" },
        { "get", "/api/users" }, { "get", "/api/users/{id}" }, { "post", "/api/users" }, { "put", "/api/users/{id}" }, { "delete", "/api/users/{id}" },
        { "get", "/api/events" }, { "get", "/api/events/{id}" }, { "post", "/api/events" }, { "put", "/api/events/{id}" }, { "delete", "/api/events/{id}" },
        { "post", "/api/events/{id}/publish" }, { "post", "/api/events/{id}/cancel" }, { "get", "/api/events/{id}/sales" },
        { "post", "/api/orders" }, { "post", "/api/orders/{id}/payment" }, { "delete", "/api/orders/{id}" }, { "get", "/api/orders" },
        { "get", "/api/orders/{id}" }, { "post", "/api/orders/{id}/refund" },
        { "get", "/api/tickets" }, { "get", "/api/tickets/{id}" }, { "get", "/api/tickets/{id}/pdf" }, { "post", "/api/checkin" },
    };

    [Theory]
    [MemberData(nameof(Contract))]
    public async Task ContractEndpoint_IsDocumentedWithItsAnswers(string verb, string path)
    {
        var doc = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
        Assert.True(doc.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not documented");
        Assert.True(item.TryGetProperty(verb, out var operation), $"{verb.ToUpperInvariant()} {path} is not documented");
        var responses = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToList();
        Assert.Contains(responses, r => r.StartsWith('2'));
        if (path != "/api/events" && path != "/api/events/{id}" || verb != "get")
            Assert.Contains(responses, r => r.StartsWith('4'));
        Assert.True(operation.TryGetProperty("summary", out _), $"{verb} {path} has no summary");
    }
}
