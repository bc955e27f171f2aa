using Microsoft.Extensions.Options;
using Ticketing.Core.Orders;

namespace Ticketing.Tests.Unit;

public sealed class SoldOutCacheTests
{
    private static SoldOutCache Cache(int ms) => new(Options.Create(new OrderOptions { SoldOutCacheMilliseconds = ms }));

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
    public async Task AnExpiredEntry_SendsExactlyOneRequestToTheDatabase_WhileTheOthersStillHearSoldOut()
    {
        var cache = Cache(30);
        var category = Guid.NewGuid();
        cache.MarkSoldOut(category);
        await Task.Delay(100);
        Assert.False(cache.IsSoldOut(category)); // expired

        var elected = Enumerable.Range(0, 50).AsParallel().Count(_ => !cache.IsSoldOutOrBeingRechecked(category));

        Assert.Equal(1, elected);
        Assert.True(cache.IsSoldOut(category)); // the others meanwhile (for at most RecheckMilliseconds)
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
