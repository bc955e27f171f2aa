namespace Ticketing.Core.Common;

/// <summary>
/// Group commit: concurrent callers hand in one item each; the first caller to find its lane idle starts a drain that
/// runs everything queued in that lane meanwhile (up to <c>maxBatch</c> items) through ONE call of the batch function,
/// i.e. one transaction and one commit (one fsync) for many requests. Under a flash sale the batches grow with the
/// load by themselves; alone, a request is a batch of one and waits for nobody.
/// <para>
/// Lanes are picked by key (e.g. the performance), so unrelated sales do not queue behind each other, and their
/// number is fixed (no state per key). Correctness never depends on the batching: the database's conditional updates
/// and unique indexes decide, exactly as for a single request. A batch whose function throws is run again item by
/// item, so one bad item gets its own exception and cannot fail the others.
/// </para>
/// </summary>
public sealed class GroupCommit<TItem, TResult>
{
    private readonly Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> _run;
    private readonly Lane[] _lanes;
    private readonly int _maxBatch;

    /// <param name="run">Runs a batch; answers one result per item, in the same order.</param>
    /// <param name="maxBatch">The largest batch; 1 turns group commit off (every item runs alone, inline).</param>
    /// <param name="lanes">How many independent lanes (items of one key always share a lane).</param>
    public GroupCommit(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> run, int maxBatch, int lanes = 16)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        _run = run;
        _maxBatch = maxBatch;
        _lanes = new Lane[lanes];
        for (var i = 0; i < lanes; i++) _lanes[i] = new Lane();
    }

    public int MaxBatch => _maxBatch;

    /// <summary>
    /// Runs <paramref name="item"/> in the next batch of its lane and answers its result (or its exception).
    /// Once handed in, an item runs even if its caller goes away: a committed hold or payment must not be lost
    /// half-way, so there is no cancellation token here (the database's command timeout bounds the wait).
    /// </summary>
    public async Task<TResult> RunAsync(Guid key, TItem item)
    {
        if (_maxBatch == 1) return Single(await _run([item]));

        var pending = new Pending(item);
        var lane = _lanes[(uint)key.GetHashCode() % (uint)_lanes.Length];
        bool lead;
        lock (lane)
        {
            lane.Queue.Enqueue(pending);
            lead = !lane.Draining;
            lane.Draining = true;
        }
        if (lead) _ = Task.Run(() => DrainAsync(lane));
        return await pending.Completion.Task;
    }

    private async Task DrainAsync(Lane lane)
    {
        while (true)
        {
            List<Pending> batch;
            lock (lane)
            {
                if (lane.Queue.Count == 0)
                {
                    lane.Draining = false;
                    return;
                }
                batch = new List<Pending>(Math.Min(lane.Queue.Count, _maxBatch));
                while (batch.Count < _maxBatch && lane.Queue.TryDequeue(out var next)) batch.Add(next);
            }
            await RunBatchAsync(batch);
        }
    }

    private async Task RunBatchAsync(List<Pending> batch)
    {
        try
        {
            var results = await _run(batch.ConvertAll(p => p.Item));
            if (results.Count != batch.Count)
                throw new InvalidOperationException($"A batch of {batch.Count} answered {results.Count} results.");
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(results[i]);
            return;
        }
        catch (Exception ex) when (batch.Count == 1)
        {
            batch[0].Completion.TrySetException(ex);
            return;
        }
        catch (Exception)
        {
            // Fall through: each item alone, so that the one that made the batch fail gets the exception.
        }
        foreach (var p in batch)
        {
            try
            {
                p.Completion.TrySetResult(Single(await _run([p.Item])));
            }
            catch (Exception ex)
            {
                p.Completion.TrySetException(ex);
            }
        }
    }

    private static TResult Single(IReadOnlyList<TResult> results) =>
        results.Count == 1 ? results[0] : throw new InvalidOperationException($"A batch of 1 answered {results.Count} results.");

    private sealed class Lane
    {
        public readonly Queue<Pending> Queue = new();
        public bool Draining;
    }

    private sealed class Pending(TItem item)
    {
        public TItem Item { get; } = item;
        public TaskCompletionSource<TResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Thrown by a batch function when one item needs its own transaction (the batch is then re-run item by item).</summary>
public sealed class SplitBatchException(string reason) : Exception(reason);
