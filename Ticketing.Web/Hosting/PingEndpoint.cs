using Microsoft.AspNetCore.Http.HttpResults;

namespace Ticketing.Web.Hosting;

/// <summary>
/// <c>GET /api/ping</c>: anonymous, no database, no session; answers <c>{"status":"ok"}</c>. A liveness probe for load
/// balancers and the HTTP ceiling of the flash-sale benchmark (docs/performance.md): the same pipeline as every API call.
/// </summary>
public static class PingEndpoint
{
    public sealed record PingResponse(string Status);

    private static readonly PingResponse Ok = new("ok");

    public static void MapPingEndpoint(this WebApplication app) =>
        app.MapGet("/api/ping", Ok<PingResponse> () => TypedResults.Ok(Ok))
            .AllowAnonymous()
            .WithTags("Diagnostics")
            .WithName("Ping")
            .WithSummary("Liveness and HTTP ceiling: {\"status\":\"ok\"} without touching the database");
}
