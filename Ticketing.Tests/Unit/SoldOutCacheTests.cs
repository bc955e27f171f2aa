using Microsoft.Extensions.Options;
using Ticketing.Core.Orders;

namespace Ticketing.Tests.Unit;

public sealed class SoldOutCacheTests
{
    /// <summary>A monotonic clock that only moves when the test says so: a loaded CI machine cannot stretch a window.</summary>
    private sealed class StoppedClock : TimeProvider
    {
        private long _ticks = 1_000_000_000;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => Interlocked.Read(ref _ticks);
        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private readonly StoppedClock _clock = new();

    private SoldOutCache Cache(int ms) => new(Options.Create(new OrderOptions { SoldOutCacheMilliseconds = ms }), _clock);

    [Fact]
    public void AKnownSoldOutCategory_IsAnsweredFromMemory_UntilForgotten()
    {
        var cache = Cache(60_000);
        var category = Guid.NewGuid();
        Assert.False(cache.IsSoldOut(category));
        Assert.False(cache.IsSoldOutOrBeingRechecked(category));

        cache.MarkSoldOut(category);
        Assert.True(cache.IsSoldOut(category));
        Assert.True(cache.IsSoldOutOrBeingRechecked(category));

        cache.Forget(category); // a seat came back in this process
        Assert.False(cache.IsSoldOut(category));
        Assert.False(cache.IsSoldOutOrBeingRechecked(category));
    }

    [Fact]
    public void AnExpiredEntry_SendsExactlyOneRequestToTheDatabase_WhileTheOthersStillHearSoldOut()
    {
        var cache = Cache(30);
        var category = Guid.NewGuid();
        cache.MarkSoldOut(category);
        _clock.Advance(TimeSpan.FromMilliseconds(29));
        Assert.True(cache.IsSoldOut(category));
        _clock.Advance(TimeSpan.FromMilliseconds(71));
        Assert.False(cache.IsSoldOut(category)); // expired

        var elected = Enumerable.Range(0, 50).AsParallel().Count(_ => !cache.IsSoldOutOrBeingRechecked(category));

        Assert.Equal(1, elected);
        Assert.True(cache.IsSoldOut(category)); // the others meanwhile (for at most RecheckMilliseconds)

        _clock.Advance(TimeSpan.FromMilliseconds(SoldOutCache.RecheckMilliseconds + 1));
        Assert.Equal(1, Enumerable.Range(0, 50).AsParallel().Count(_ => !cache.IsSoldOutOrBeingRechecked(category))); // the elected one went silent: one more goes

        cache.MarkSoldOut(category);            // the elected one found no seat: renewed
        Assert.True(cache.IsSoldOutOrBeingRechecked(category));
    }

    [Fact]
    public void WithTheCacheTurnedOff_NothingIsRemembered()
    {
        var cache = Cache(0);
        var category = Guid.NewGuid();
        cache.MarkSoldOut(category);
        Assert.False(cache.IsSoldOutOrBeingRechecked(category));
    }
}
