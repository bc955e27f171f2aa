using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>
/// Bad input driven by the OpenAPI document: for every documented operation and every parameter and body property,
/// huge and negative numbers, control characters and NUL, unpaired surrogates, wrong JSON types, 1 MB strings,
/// dates out of range and malformed bodies, as an Admin (so authorization hides no handler) and anonymously.
/// Nothing may answer 5xx, and every 4xx is problem details.
/// </summary>
public abstract class BadInputFuzzTests(TicketingApp app) : IAsyncLifetime
{
    private static readonly string Megabyte = new('a', 1024 * 1024);

    /// <summary>JSON tokens put in place of one body value at a time.</summary>
    private static readonly string[] JsonValues =
    [
        "\"\\u0000\"", "\"a\\u0001b\\u001fc\"", "\"x\\ud800y\"", "\"\\udc00\"", "\"<b></b>\"", "\"  \"", $"\"{Megabyte}\"",
        "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "79228162514264337593543950336", "1e308",
        "-1", "0", "1.5", "true", "{}", "[]", "null", "\"-1\"",
        "\"9999-12-31T23:59:59-14:00\"", "\"0001-01-01T00:00:00+14:00\"", "\"not a date\"", "\"00000000-0000-0000-0000-000000000000\"",
    ];

    /// <summary>Raw (already URL-encoded) values put in one query, path or form parameter at a time.</summary>
    private static readonly string[] QueryValues =
    [
        "2147483648", "-2147483649", "-1", "0", "99999999999999999999999999999999", "1e308", "NaN", "-79228162514264337593543950336",
        "%00", "a%00b", "a%01b%1Fc", "%ED%A0%80", "%C0%80", "%3Cb%3E%3C%2Fb%3E", "abc",
        "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00%2B14:00", "9999-12-31", new string('z', 16 * 1024),
    ];

    /// <summary>(A NUL in the path never reaches the app: Kestrel and the test host refuse it first.)</summary>
    private static readonly string[] PathValues = ["00000000-0000-0000-0000-000000000000", "not-a-guid", "%01", "99999999999999999999", "-1"];

    private static readonly (string ContentType, string Body)[] WholeBodies =
    [
        ("application/json", "{\"title\":"), ("application/json", "[]"), ("application/json", "42"), ("application/json", "\"\\u0000\""),
        ("application/json", ""), ("application/json", "{\"a\":" + new string('[', 5000)), ("application/json", "\u0000"),
        ("application/json", "{" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"p{i}\":{i}")) + "}"),
        ("text/plain", "{}"), ("application/json", "\"" + Megabyte + Megabyte + "\""),
    ];

    /// <summary>Replaced by a new value in each request, so that every registration reaches the insert (not email_taken).</summary>
    private const string Unique = "fuzzunique";

    private readonly List<string> _failures = [];
    private int _requests;

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EveryDocumentedOperation_AnswersBadInputWithProblemDetails_NeverA5xx()
    {
        var anonymous = app.CreateClient();
        var document = JsonNode.Parse(await anonymous.GetStringAsync("/swagger/v1/swagger.json"))!;
        var admin = await app.AdminClientAsync();
        var operations = 0;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (verb, operation) in item!.AsObject())
            {
                if (operation is not JsonObject op || !IsVerb(verb)) continue;
                operations++;
                var seed = await SeedAsync();
                var parameters = ((op["parameters"] as JsonArray) ?? []).Concat((item["parameters"] as JsonArray) ?? [])
                    .OfType<JsonObject>().ToList();
                var body = BodyOf(document, op, path, seed);

                foreach (var client in new[] { admin, anonymous })
                {
                    // The operation with good values: must not fail either.
                    await SendAsync(client, verb, Url(path, parameters, seed), body);

                    foreach (var p in parameters)
                    {
                        var name = p["name"]!.GetValue<string>();
                        var location = p["in"]!.GetValue<string>();
                        var values = location == "path" ? PathValues : location == "header" ? ["-1", "2147483648", new string('k', 4096), "<b>"] : QueryValues;
                        foreach (var value in values)
                        {
                            if (location == "header")
                                await SendAsync(client, verb, Url(path, parameters, seed), body, (name, value));
                            else
                                await SendAsync(client, verb, Url(path, parameters, seed, (name, value)), body);
                        }
                    }

                    if (body is null) continue;
                    foreach (var leaf in Leaves(body.Node))
                    {
                        foreach (var token in JsonValues)
                            await SendAsync(client, verb, Url(path, parameters, seed), body with { Raw = Replace(body.Node, leaf, token) });
                    }
                    if (client == anonymous) continue;
                    foreach (var (contentType, raw) in WholeBodies)
                        await SendAsync(client, verb, Url(path, parameters, seed), body with { Raw = raw, ContentType = contentType });
                }
            }
        }

        await PagesAsync();

        Assert.True(operations >= 25, $"only {operations} operations in the OpenAPI document");
        Assert.True(_failures.Count == 0,
            $"{_failures.Count} of {_requests} bad-input requests failed:\n" + string.Join("\n", _failures.Distinct().Take(200)));
    }

    /// <summary>The server-rendered pages and redirects that take query values (not in the OpenAPI document), anonymously.</summary>
    private async Task PagesAsync()
    {
        var seed = await SeedAsync();
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        string[] redirects = ["https%3A%2F%2Fevil.example", "%2F%2Fevil.example", "%2F%5Cevil.example", "%2F%0D%0ASet-Cookie%3Ax%3D1",
            "%2F%09%2Fevil.example", "javascript%3Aalert(1)", "%2F%C3%A9v%C3%A9nements%3Fq%3D%C3%A9", "%2Fa%00b"];
        (string Path, string[] Names)[] pages =
        [
            ("/search", ["q", "city", "category", "from", "to", "maxPrice", "sort", "page"]),
            ($"/events/{seed.EventId}", ["date"]),
            ("/account/login", ["returnUrl"]),
            ("/account/register", ["returnUrl"]),
            ("/culture/set", ["culture", "redirectUri"]),
        ];
        foreach (var (path, names) in pages)
        foreach (var name in names)
        foreach (var value in QueryValues.Concat(redirects))
            await SendPageAsync(client, $"{path}?{name}={value}");
        foreach (var value in PathValues.Append("..%2F..%2Fappsettings.json").Append(new string('f', 4096)))
            await SendPageAsync(client, $"/media/events/{value}");
    }

    private async Task SendPageAsync(HttpClient client, string url)
    {
        _requests++;
        using var response = await client.GetAsync(url);
        var status = (int)response.StatusCode;
        if (status >= 500)
            _failures.Add($"{status} anonymous GET {Shorten(url)} -> {Shorten(await response.Content.ReadAsStringAsync(), 300)}");
        if (response.Headers.Location is { } location)
        {
            var target = location.OriginalString;
            if (target.Any(c => c < 0x20 || c > 0x7E) || location.IsAbsoluteUri && location.Host != "localhost" || target.StartsWith("//") || target.StartsWith("/\\"))
                _failures.Add($"{status} unsafe redirect: GET {Shorten(url)} -> {Shorten(target)}");
        }
    }

    // ---------------- requests ----------------

    private sealed record Body(JsonNode Node, string Raw, string ContentType);

    private async Task SendAsync(HttpClient client, string verb, string url, Body? body, (string Name, string Value)? header = null)
    {
        _requests++;
        using var request = new HttpRequestMessage(new HttpMethod(verb.ToUpperInvariant()), url);
        if (body is not null)
        {
            request.Content = body.ContentType == "multipart/form-data"
                ? Multipart(body.Raw)
                : new StringContent(body.Raw.Replace(Unique, Guid.NewGuid().ToString("N"), StringComparison.Ordinal), Encoding.UTF8, body.ContentType);
        }
        if (header is { } h) request.Headers.TryAddWithoutValidation(h.Name, h.Value);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        var who = client.DefaultRequestHeaders.Authorization is null ? "anonymous" : "admin";
        var what = $"{who} {verb.ToUpperInvariant()} {Shorten(url)} {Shorten(body?.Raw ?? "")}{(header is { } hh ? $" [{hh.Name}: {Shorten(hh.Value)}]" : "")}";
        if (status >= 500)
            _failures.Add($"{status} {what} -> {Shorten(text, 300)}");
        else if (status >= 400 && url.StartsWith("/api", StringComparison.Ordinal)
                 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            _failures.Add($"{status} not problem details: {what}");
    }

    private static MultipartFormDataContent Multipart(string raw)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(raw));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", raw.Length > 200 ? raw[..200] : raw);
        return form;
    }

    private static string Url(string path, List<JsonObject> parameters, Seed seed, (string Name, string Value)? fuzz = null)
    {
        var url = path;
        var query = new List<string>();
        foreach (var p in parameters)
        {
            var name = p["name"]!.GetValue<string>();
            var value = fuzz is { } f && f.Name == name ? f.Value : null;
            switch (p["in"]!.GetValue<string>())
            {
                case "path":
                    url = url.Replace("{" + name + "}", value ?? seed.IdFor(path).ToString());
                    break;
                case "query" when value is not null:
                    query.Add($"{name}={value}");
                    break;
            }
        }
        return query.Count == 0 ? url : url + "?" + string.Join("&", query);
    }

    private static bool IsVerb(string verb) => verb is "get" or "post" or "put" or "delete" or "patch";

    private static string Shorten(string s, int max = 120) =>
        (s.Length <= max ? s : s[..max] + $"…({s.Length} chars)").Replace("\n", " ");

    // ---------------- bodies ----------------

    private static Body? BodyOf(JsonNode document, JsonObject op, string path, Seed seed)
    {
        if (op["requestBody"]?["content"] is not JsonObject content) return null;
        if (content.ContainsKey("multipart/form-data"))
            return new Body(JsonValue.Create("photo.png")!, "\u0089PNG not really", "multipart/form-data");
        var schema = content["application/json"]?["schema"];
        var node = KnownGoodBody(path, seed) ?? Example(document, schema, 0) ?? new JsonObject();
        return new Body(node, node.ToJsonString(), "application/json");
    }

    /// <summary>A valid body for the operations whose handlers do real work, so that one bad field at a time reaches the service.</summary>
    private static JsonNode? KnownGoodBody(string path, Seed seed)
    {
        var start = seed.Now.AddDays(30).ToString("O");
        object? body = path switch
        {
            "/api/events" or "/api/events/{id}" => new
            {
                title = "Rock & <Roll>", description = "Line one\nline two", category = "Concert", artist = "Artist", maxTicketsPerOrder = 6,
                imageUrl = "/img/a.png",
                performances = new[]
                {
                    new
                    {
                        startsAt = start, salesOpenAt = seed.Now.ToString("O"), salesCloseAt = seed.Now.AddDays(29).ToString("O"),
                        venue = new { name = "Olympia", city = "Paris", address = "28 bd des Capucines", country = "FR" },
                        categories = new[] { new { name = "Cat 1", price = 45.5m, capacity = 100, currency = "EUR" } },
                    },
                },
            },
            "/api/auth/register" => new
            {
                email = $"fuzz-{Unique}@test.local", password = TicketingApp.Password, displayName = "Fuzz", phoneNumber = "+33612345678",
                preferredLanguage = "fr", notificationChannel = "Email",
            },
            "/api/auth/token" => new { email = TicketingApp.AdminEmail, password = TicketingApp.AdminPassword },
            "/api/me" => new { displayName = "Admin", phoneNumber = "+33612345678", preferredLanguage = "en", notificationChannel = "Email" },
            "/api/users" => new
            {
                email = $"new-{Unique}@test.local", password = TicketingApp.Password, displayName = "New", roles = new[] { Roles.Organizer },
                phoneNumber = "+33612345678", preferredLanguage = "en",
            },
            "/api/users/{id}" => new { displayName = "Renamed", phoneNumber = "+33612345678", roles = new[] { Roles.Customer }, isLocked = false },
            "/api/orders" => new
            {
                performanceId = seed.PerformanceId, items = new[] { new { categoryId = seed.CategoryId, quantity = 1 } },
            },
            "/api/orders/{id}/payment" => PurchaseTestData.Card(),
            "/api/checkin" => new { code = "TK-ABC", performanceId = seed.PerformanceId },
            _ => null,
        };
        return body is null ? null : JsonSerializer.SerializeToNode(body, HttpAssertions.Json);
    }

    /// <summary>A value for a schema nobody listed above: what the document says, made concrete.</summary>
    private static JsonNode? Example(JsonNode document, JsonNode? schema, int depth)
    {
        if (schema is null || depth > 6) return null;
        if (schema["$ref"]?.GetValue<string>() is { } reference)
            return Example(document, document["components"]!["schemas"]![reference.Split('/')[^1]], depth + 1);
        var type = schema["type"] is JsonArray types ? types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null") : schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object" or null when schema["properties"] is JsonObject properties:
                var obj = new JsonObject();
                foreach (var (name, property) in properties) obj[name] = Example(document, property, depth + 1);
                return obj;
            case "array":
                return new JsonArray(Example(document, schema["items"], depth + 1));
            case "integer" or "number":
                return JsonValue.Create(1);
            case "boolean":
                return JsonValue.Create(true);
            case "string":
                return schema["format"]?.GetValue<string>() switch
                {
                    "uuid" => JsonValue.Create(Guid.NewGuid()),
                    "date-time" => JsonValue.Create(DateTimeOffset.UtcNow.AddDays(10)),
                    _ => schema["enum"] is JsonArray { Count: > 0 } e ? e[0]!.DeepClone() : JsonValue.Create("text"),
                };
            default:
                return null;
        }
    }

    /// <summary>Paths (as node references in a clone) to every value of the body, containers included.</summary>
    private static IEnumerable<string> Leaves(JsonNode node)
    {
        foreach (var child in Children(node))
        {
            yield return child.GetPath();
            foreach (var deeper in Leaves(child)) yield return deeper;
        }
    }

    private static IEnumerable<JsonNode> Children(JsonNode node) => node switch
    {
        JsonObject o => o.Select(p => p.Value).OfType<JsonNode>(),
        JsonArray a => a.OfType<JsonNode>().Take(1),
        _ => [],
    };

    /// <summary>The body with the value at <paramref name="path"/> replaced by a raw JSON token.</summary>
    private static string Replace(JsonNode body, string path, string token)
    {
        const string marker = "__fuzz_marker__";
        var clone = body.DeepClone();
        var target = Find(clone, path)!;
        switch (target.Parent)
        {
            case JsonObject o: o[target.GetPropertyName()] = marker; break;
            case JsonArray a: a[target.GetElementIndex()] = marker; break;
        }
        return clone.ToJsonString().Replace($"\"{marker}\"", token, StringComparison.Ordinal);
    }

    private static JsonNode? Find(JsonNode node, string path)
    {
        if (node.GetPath() == path) return node;
        return Children(node).Select(c => Find(c, path)).FirstOrDefault(n => n is not null);
    }

    // ---------------- seed ----------------

    private sealed record Seed(DateTimeOffset Now, Guid EventId, Guid PerformanceId, Guid CategoryId, Guid UserId, Guid OrderId)
    {
        public Guid IdFor(string path) => path switch
        {
            _ when path.StartsWith("/api/events", StringComparison.Ordinal) => EventId,
            _ when path.StartsWith("/api/users", StringComparison.Ordinal) => UserId,
            _ when path.StartsWith("/api/orders", StringComparison.Ordinal) => OrderId,
            _ => Guid.NewGuid(),
        };
    }

    /// <summary>A published event on sale, a customer and their open order: what the operations' ids point at.</summary>
    private async Task<Seed> SeedAsync()
    {
        var ev = await PurchaseTestData.Event(app).WithCategory("Cat 1", 4500, 1000).WithMaxTicketsPerOrder(10).SaveAsync();
        var (customer, userId, _) = await app.CreateUserClientAsync(Roles.Customer);
        var order = await PurchaseTestData.HoldAsync(customer, ev, 1);
        return new Seed(app.Clock.GetUtcNow(), ev.EventId, ev.PerformanceId, ev.Categories[0].Id, userId, order.GetProperty("id").GetGuid());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteBadInputFuzzTests(SqliteApp app) : BadInputFuzzTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBadInputFuzzTests(PostgresApp app) : BadInputFuzzTests(app);
