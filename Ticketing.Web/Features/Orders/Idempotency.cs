using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;

namespace Ticketing.Web.Features.Orders;

/// <summary>
/// Runs an API write under the request's <c>Idempotency-Key</c> (when there is one) and replays its first success.
/// A refusal costs no database write (nothing is remembered, the same request may be sent again); duplicates in flight
/// wait in memory; a success is remembered by one insert (<see cref="IdempotencyStore"/>), made in the write's own
/// transaction where the write takes it (<see cref="KeyedWrite"/>: holds and card payments).
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";

    /// <summary>The refusals a duplicate running on another instance causes (the first one holds or pays meanwhile).</summary>
    private static readonly HashSet<string> TwinCodes = [ErrorCodes.HoldAlreadyActive, ErrorCodes.PaymentInProgress, ErrorCodes.OrderNotPayable];

    /// <summary>How long such a refusal waits for the twin's answer before it is given (reads only).</summary>
    private static readonly TimeSpan TwinWait = TimeSpan.FromSeconds(5);

    /// <summary>The request's key, trimmed ("" when there is none).</summary>
    public static string KeyOf(HttpRequest request) => request.Headers[Header].ToString().Trim();

    /// <summary>
    /// Whether a refusal known from memory may be given to this request without running it: it has no key, or a key of a
    /// valid length with nothing to replay (<see cref="IdempotencyStore.MayHaveAnswerAsync"/>). A key that may replay an
    /// earlier success, or that is too long (its 400), goes the normal way.
    /// </summary>
    public static async ValueTask<bool> NothingToReplayAsync(HttpRequest request, Guid userId, string scope, IdempotencyStore store, CancellationToken ct)
    {
        var key = KeyOf(request);
        if (key.Length == 0) return true;
        if (key.Length > IdempotencyStore.MaxKeyLength) return false;
        return !await store.MayHaveAnswerAsync(userId, scope, key, ct);
    }

    public static Task<IResult> RunAsync<T>(HttpContext http, string scope, object request, int successStatus,
        Func<Task<T>> action, Func<T, IResult> answer, Func<T, Task>? undo = null) =>
        RunAsync(http, null, scope, request, successStatus, _ => action(), answer, undo);

    /// <summary>
    /// As above, for a write that records the key in its own transaction: <paramref name="action"/> receives the key
    /// (null without one) and hands it to its committer; when the record went with the write nothing more is saved.
    /// </summary>
    public static Task<IResult> RunAsync<T>(HttpContext http, string scope, object request, int successStatus,
        Func<KeyedWrite?, Task<T>> action, Func<T, IResult> answer, Func<T, Task>? undo = null) =>
        RunAsync(http, null, scope, request, successStatus, action, answer, undo);

    public static Task<IResult> RunAsync<T>(HttpContext http, Guid? subject, string scope, object request, int successStatus,
        Func<Task<T>> action, Func<T, IResult> answer, Func<T, Task>? undo = null) =>
        RunAsync(http, subject, scope, request, successStatus, _ => action(), answer, undo);

    /// <param name="subject">
    /// Whose keys these are: the signed-in user when null; a guest's id (<c>GuestKey</c>) on the guest endpoints, so that
    /// two addresses never share a key.
    /// </param>
    /// <param name="undo">
    /// Undoes a success that lost the race for its key to a duplicate running on another instance at the same moment
    /// (the winner's answer is replayed instead); null when the write cannot happen twice anyway.
    /// </param>
    public static async Task<IResult> RunAsync<T>(HttpContext http, Guid? subject, string scope, object request, int successStatus,
        Func<KeyedWrite?, Task<T>> action, Func<T, IResult> answer, Func<T, Task>? undo = null)
    {
        var key = KeyOf(http.Request);
        if (key.Length == 0) return answer(await action(null));

        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        store.EnsureKeyLength(key);
        var userId = subject ?? http.User.UserId();
        var ct = http.RequestAborted;
        var hash = await store.HashAsync(scope, request, ct);

        var (lease, replay) = await store.Enter(userId, scope, key, hash, ct);
        if (replay is not null) return Replay(http, replay);
        using (lease)
        {
            if (await store.FindAsync(userId, scope, key, hash, ct) is { } earlier)
            {
                lease!.Complete(earlier);
                return Replay(http, earlier);
            }

            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var keyed = new KeyedWrite(userId, scope, key, hash, successStatus, value => JsonSerializer.Serialize(value, value.GetType(), json));
            // A refused request throws here and leaves nothing behind: no record, the waiters run in turn.
            T result;
            try
            {
                result = await action(keyed);
            }
            catch (DomainException e) when (TwinCodes.Contains(e.Code))
            {
                // Refused because of a twin: the same key running on another instance (its hold or its payment came
                // first). Its answer, once saved, is this request's answer too.
                if (await store.AwaitTwinAsync(userId, scope, key, hash, TwinWait, ct) is { } twin)
                {
                    lease!.Complete(twin);
                    return Replay(http, twin);
                }
                throw;
            }
            if (keyed.Saved)
            {
                // Recorded in the write's own transaction: one commit for both.
                lease!.Complete(new IdempotentAnswer(successStatus, keyed.Json!));
                return answer(result);
            }
            var mine = new IdempotentAnswer(successStatus, JsonSerializer.Serialize(result, json));
            if (!await store.TrySaveAsync(userId, scope, key, hash, mine))
            {
                // A duplicate on another instance saved its answer first: ours is undone, theirs is the answer.
                var theirs = await store.FindAsync(userId, scope, key, hash, CancellationToken.None);
                if (theirs is not null)
                {
                    if (undo is not null)
                    {
                        try
                        {
                            await undo(result);
                        }
                        catch (DomainException e)
                        {
                            // Left to its expiry (a hold) rather than failing the answer.
                            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Idempotency))
                                .LogWarning("Idempotency: the duplicate write of {Scope} could not be undone ({Code})", scope, e.Code);
                        }
                    }
                    lease!.Complete(theirs);
                    return Replay(http, theirs);
                }
            }
            lease!.Complete(mine);
            return answer(result);
        }
    }

    private static IResult Replay(HttpContext http, IdempotentAnswer replay)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return Results.Content(replay.Json, "application/json", statusCode: replay.StatusCode);
    }
}
