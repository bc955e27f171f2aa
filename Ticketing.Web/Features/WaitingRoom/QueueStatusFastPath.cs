using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Core.WaitingRoom;
using Ticketing.Web.Features.Auth;

namespace Ticketing.Web.Features.WaitingRoom;

/// <summary>
/// <c>GET /api/queue/{entryId}</c> polled by thousands of waiting fans, answered before authentication when the answer is
/// already known: a bearer token this instance has validated and that has not expired (<see cref="ValidatedTokenCache"/>),
/// whose session is known current (<see cref="AccountStampCache"/>), and the fan's own entry and its queue in the waiting
/// room's memory (<see cref="WaitingRoomService.StatusFromMemoryAsync"/>: no database read). The answer is the one the
/// endpoint gives (same JSON options, same headers). Anything else (a cookie, an unknown token, a miss, another fan's
/// entry) goes on to the normal path. Only the endpoint carrying <see cref="Metadata"/> is concerned. Counted by the
/// <c>ticketing.queue.status_fast_answers</c> instrument of the <c>Ticketing.WaitingRoom</c> meter.
/// </summary>
public sealed class QueueStatusFastPath(
    RequestDelegate next, ValidatedTokenCache tokens, AccountStampCache stamps, WaitingRoomService rooms, IOptions<JsonOptions> json,
    IMeterFactory meters)
{
    public const string MeterName = "Ticketing.WaitingRoom";
    public const string InstrumentName = "ticketing.queue.status_fast_answers";

    public sealed class Marker;

    /// <summary>Put on <c>GET /api/queue/{entryId}</c>.</summary>
    public static readonly Marker Metadata = new();

    private const string Bearer = "Bearer ";
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private readonly Counter<long> _answers = meters.Create(MeterName).CreateCounter<long>(InstrumentName, "{answer}", "Queue statuses answered before authentication");

    public Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<Marker>() is null) return next(http);
        var authorization = http.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            || !tokens.TryGet(authorization[Bearer.Length..].Trim(), out var token) || !token.IsSessionCurrent(stamps)
            || !Guid.TryParse(http.Request.RouteValues["entryId"] as string, out var entryId)) return next(http);
        return AnswerOrGoOnAsync(http, entryId, token.UserId);
    }

    private async Task AnswerOrGoOnAsync(HttpContext http, Guid entryId, Guid userId)
    {
        if (await rooms.StatusFromMemoryAsync(entryId, userId, http.RequestAborted) is not { } status)
        {
            await next(http);
            return;
        }
        _answers.Add(1);
        http.Response.Headers.CacheControl = "private, no-store";
        await http.Response.WriteAsJsonAsync(status, _json, http.RequestAborted);
    }
}
