using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;

namespace Ticketing.Web.Features.Orders;

/// <summary>Runs an API write under the request's <c>Idempotency-Key</c> (when there is one) and replays its first answer.</summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    public static async Task<IResult> RunAsync<T>(HttpContext http, string scope, object request, int successStatus,
        Func<Task<T>> action, Func<T, IResult> answer)
    {
        var key = http.Request.Headers[Header].ToString().Trim();
        if (key.Length == 0) return answer(await action());

        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var userId = http.User.UserId();
        var ct = http.RequestAborted;
        var replay = await store.BeginAsync(userId, scope, key, await store.HashAsync(scope, request, ct), ct);
        if (replay is not null)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
            return Results.Content(replay.Json, "application/json", statusCode: replay.StatusCode);
        }

        T result;
        try
        {
            result = await action();
        }
        catch
        {
            // A refused or failed request leaves nothing behind: the same request may be tried again.
            await store.AbandonAsync(userId, scope, key);
            throw;
        }
        var json = JsonSerializer.Serialize(result, http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        await store.CompleteAsync(userId, scope, key, successStatus, json, CancellationToken.None);
        return answer(result);
    }
}
