using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Orders;

/// <summary>
/// The flash-sale fast path: categories seen with no seat left are remembered for a second or two, so that the
/// thousands of losers of a sale are answered <c>sold_out</c> without touching the database. Correctness never
/// depends on it: the atomic conditional UPDATE decides every hold; a stale entry only delays a released seat by
/// at most the cache lifetime (and releases in this process forget the entry at once).
/// <para>
/// When an entry expires, ONE request goes to the database to look again (<see cref="IsSoldOutOrBeingRechecked"/>)
/// while the others keep being answered from memory; it either finds the category still sold out (the entry is renewed)
/// or takes a seat (the entry is forgotten and everyone goes to the database again).
/// </para>
/// </summary>
public sealed class SoldOutCache(IOptions<OrderOptions> options, TimeProvider clock)
{
    /// <summary>How long the one request re-checking an expired entry has before another one may.</summary>
    public const int RecheckMilliseconds = 250;

    private readonly ConcurrentDictionary<Guid, long> _until = new();
    private readonly long _ticksPerMillisecond = Math.Max(1, clock.TimestampFrequency / 1000);

    /// <summary>Monotonic milliseconds (the clock's timestamp, never the wall clock).</summary>
    private long NowMs => clock.GetTimestamp() / _ticksPerMillisecond;

    /// <summary>Nothing is remembered: no category has run out in this process (or each one was forgotten since).</summary>
    public bool IsEmpty => _until.IsEmpty;

    /// <summary>Known sold out now (a read: no request is elected to re-check).</summary>
    public bool IsSoldOut(Guid categoryId) =>
        _until.TryGetValue(categoryId, out var until) && NowMs < until;

    /// <summary>
    /// For a request about to go to the database: true means "answer sold out"; false means "go", either because
    /// nothing is known, or because the entry has expired and this caller is the one elected to re-check it.
    /// </summary>
    public bool IsSoldOutOrBeingRechecked(Guid categoryId)
    {
        if (!_until.TryGetValue(categoryId, out var until)) return false;
        var now = NowMs;
        if (now < until) return true;
        return !_until.TryUpdate(categoryId, now + RecheckMilliseconds, until);
    }

    /// <summary>
    /// The flash-sale fast path, for the API to answer <c>sold_out</c> before any other work (no database, no exception):
    /// true only for a well-formed request (<see cref="OrderShape.IsWellFormed"/>, the rules <see cref="OrderService.PlaceAsync"/>
    /// checks, so validation errors keep their precedence) naming a category seen sold out a moment ago. False means "go the normal way".
    /// </summary>
    public bool IsKnownSoldOut(PlaceOrderRequest? request)
    {
        if (_until.IsEmpty || !OrderShape.IsWellFormed(request)) return false;
        var lines = request!.Items!;
        for (var i = 0; i < lines.Count; i++)
        {
            if (IsSoldOut(lines[i].CategoryId)) return true;
        }
        return false;
    }

    public void MarkSoldOut(Guid categoryId)
    {
        var ms = options.Value.SoldOutCacheMilliseconds;
        if (ms > 0) _until[categoryId] = NowMs + ms;
    }

    public void Forget(Guid categoryId) => _until.TryRemove(categoryId, out _);
}
