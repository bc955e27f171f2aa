using System.Net;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Shell;

[Collection(SqliteCollection.Name)]
public sealed class PingTests(SqliteApp app)
{
    [Fact]
    public async Task Ping_Anonymous_AnswersStatusOkAsJson()
    {
        var response = await app.CreateClient().GetAsync("/api/ping");

        var json = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", json.GetProperty("status").GetString());
    }
}
