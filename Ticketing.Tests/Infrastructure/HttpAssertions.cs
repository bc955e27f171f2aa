using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Ticketing.Tests.Infrastructure;

public static class HttpAssertions
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Asserts an RFC 9457 answer with the status and stable code, a traceId and a message; returns the document.</summary>
    public static async Task<JsonElement> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var doc = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, doc.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("traceId").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(doc.GetProperty("title").GetString()));
        if (code is not null) Assert.Equal(code, doc.GetProperty("code").GetString());
        return doc;
    }

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"expected {(int)expected} but got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<T>(Json))!;
    }

    public static async Task<JsonElement> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) Assert.Fail($"expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static HttpRequestMessage WithLanguage(this HttpRequestMessage request, string language)
    {
        request.Headers.AcceptLanguage.ParseAdd(language);
        return request;
    }
}
