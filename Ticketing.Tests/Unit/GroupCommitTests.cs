using Ticketing.Core.Common;

namespace Ticketing.Tests.Unit;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task ItemsArrivingWhileABatchRuns_ShareTheNextBatch_AndEachGetsItsOwnResult()
    {
        var firstBatchStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstBatch = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<int[]>();
        var commit = new GroupCommit<int, string>(async items =>
        {
            lock (batches) batches.Add(items.ToArray());
            if (items.Contains(0))
            {
                firstBatchStarted.SetResult();
                await releaseFirstBatch.Task;
            }
            return items.Select(i => $"done {i}").ToList();
        }, maxBatch: 64);

        var key = Guid.NewGuid();
        var first = commit.RunAsync(key, 0);
        await firstBatchStarted.Task;
        var others = Enumerable.Range(1, 10).Select(i => commit.RunAsync(key, i)).ToList();
        releaseFirstBatch.SetResult();

        Assert.Equal("done 0", await first);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"done {i}"), await Task.WhenAll(others));
        // One batch for the first item, ONE for the ten that queued behind it (in arrival order).
        Assert.Equal(2, batches.Count);
        Assert.Equal(Enumerable.Range(1, 10), batches[1]);
    }

    [Fact]
    public async Task ABatchNeverExceedsMaxBatch()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sizes = new List<int>();
        var commit = new GroupCommit<int, int>(async items =>
        {
            lock (sizes) sizes.Add(items.Count);
            await gate.Task;
            return items.ToList();
        }, maxBatch: 4, lanes: 1);

        var all = Enumerable.Range(0, 13).Select(i => commit.RunAsync(Guid.NewGuid(), i)).ToList();
        gate.SetResult();
        Assert.Equal(Enumerable.Range(0, 13), await Task.WhenAll(all));
        Assert.All(sizes, s => Assert.InRange(s, 1, 4));
        Assert.Equal(13, sizes.Sum());
    }

    [Fact]
    public async Task AFailingBatch_IsRunAgainItemByItem_SoOnlyTheBadItemFails()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = new List<int[]>();
        var commit = new GroupCommit<int, int>(async items =>
        {
            lock (runs) runs.Add(items.ToArray());
            await gate.Task;
            if (items.Contains(3)) throw new SplitBatchException("item 3 needs its own transaction");
            return items.Select(i => i * 10).ToList();
        }, maxBatch: 64, lanes: 1);

        var tasks = Enumerable.Range(1, 5).Select(i => commit.RunAsync(Guid.Empty, i)).ToList();
        gate.SetResult();
        for (var i = 1; i <= 5; i++)
        {
            if (i == 3) await Assert.ThrowsAsync<SplitBatchException>(() => tasks[i - 1]);
            else Assert.Equal(i * 10, await tasks[i - 1]);
        }
        // Each item of a failed batch ran alone afterwards.
        Assert.Contains(runs, r => r.SequenceEqual([3]));
        Assert.Contains(runs, r => r.SequenceEqual([5]));
    }

    [Fact]
    public async Task WithMaxBatchOne_EveryItemRunsAloneAndAnExceptionReachesItsCaller()
    {
        var sizes = new List<int>();
        var commit = new GroupCommit<int, int>(items =>
        {
            lock (sizes) sizes.Add(items.Count);
            return items[0] < 0 ? throw new InvalidOperationException("negative") : Task.FromResult<IReadOnlyList<int>>([items[0] + 1]);
        }, maxBatch: 1);

        Assert.Equal(new[] { 1, 2, 3 }, await Task.WhenAll(Enumerable.Range(0, 3).Select(i => commit.RunAsync(Guid.NewGuid(), i))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => commit.RunAsync(Guid.NewGuid(), -1));
        Assert.All(sizes, s => Assert.Equal(1, s));
    }
}
