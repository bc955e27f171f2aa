using System.Text.Json;

namespace Ticketing.Tests.EndToEnd;

/// <summary>The journeys' API calls that plant their data: a success with its JSON, or a failure that says what and why.</summary>
internal static class E2eHttp
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<JsonElement> Ok(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{what}: {(int)response.StatusCode} {body}");
        return body.Length == 0 ? default : JsonSerializer.Deserialize<JsonElement>(body, Json);
    }
}
