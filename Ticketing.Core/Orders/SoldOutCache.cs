using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Orders;

/// <summary>
/// The flash-sale fast path: categories seen with no seat left are remembered for a second or two, so that the
/// thousands of losers of a sale are answered <c>sold_out</c> without touching the database. Correctness never
/// depends on it: the atomic conditional UPDATE decides every hold; a stale entry only delays a released seat by
/// at most the cache lifetime (and releases in this process forget the entry at once).
/// </summary>
public sealed class SoldOutCache(IOptions<OrderOptions> options)
{
    private readonly ConcurrentDictionary<Guid, long> _until = new();

    public bool IsSoldOut(Guid categoryId) =>
        _until.TryGetValue(categoryId, out var until) && (Environment.TickCount64 < until || !_until.TryRemove(categoryId, out _));

    public void MarkSoldOut(Guid categoryId)
    {
        var ms = options.Value.SoldOutCacheMilliseconds;
        if (ms > 0) _until[categoryId] = Environment.TickCount64 + ms;
    }

    public void Forget(Guid categoryId) => _until.TryRemove(categoryId, out _);
}
