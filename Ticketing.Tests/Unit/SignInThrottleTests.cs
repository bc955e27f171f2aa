using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Unit;

public sealed class SignInThrottleTests
{
    private readonly TestClock _clock = new();

    private SignInThrottle Throttle() => new(Options.Create(new AuthOptions
    {
        Lockout = new SignInLockoutOptions { FreeFailures = 3, BaseSeconds = 10, MaxSeconds = 60 },
    }), _clock);

    [Fact]
    public void AfterTheFreeFailures_TheClientWaits_AndEachFurtherFailureDoublesTheWaitUpToTheMaximum()
    {
        var throttle = Throttle();
        for (var i = 0; i < 2; i++) throttle.Failed("fan@example.com", "10.0.0.1");
        Assert.Null(throttle.RetryAfter("fan@example.com", "10.0.0.1"));

        throttle.Failed("fan@example.com", "10.0.0.1");
        Assert.InRange(throttle.RetryAfter("fan@example.com", "10.0.0.1")!.Value.TotalSeconds, 9, 10);
        throttle.Failed("fan@example.com", "10.0.0.1");
        Assert.InRange(throttle.RetryAfter("fan@example.com", "10.0.0.1")!.Value.TotalSeconds, 19, 20);
        for (var i = 0; i < 5; i++) throttle.Failed("fan@example.com", "10.0.0.1");
        Assert.InRange(throttle.RetryAfter("fan@example.com", "10.0.0.1")!.Value.TotalSeconds, 59, 60);
    }

    [Fact]
    public void FailuresFromOneClient_NeitherThrottleAnotherClientNorAnotherAccount()
    {
        var throttle = Throttle();
        for (var i = 0; i < 10; i++) throttle.Failed("admin@example.com", "203.0.113.66");
        Assert.NotNull(throttle.RetryAfter("ADMIN@example.com ", "203.0.113.66"));
        Assert.Null(throttle.RetryAfter("admin@example.com", "198.51.100.7"));
        Assert.Null(throttle.RetryAfter("other@example.com", "203.0.113.66"));
    }

    [Fact]
    public void ASuccessOrAQuietMaximumWait_StartsTheCountAgain()
    {
        var throttle = Throttle();
        for (var i = 0; i < 3; i++) throttle.Failed("fan@example.com", "10.0.0.1");
        throttle.Succeeded("fan@example.com", "10.0.0.1");
        Assert.Null(throttle.RetryAfter("fan@example.com", "10.0.0.1"));

        for (var i = 0; i < 6; i++) throttle.Failed("fan@example.com", "10.0.0.1");
        _clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Null(throttle.RetryAfter("fan@example.com", "10.0.0.1"));
        throttle.Failed("fan@example.com", "10.0.0.1");
        Assert.Null(throttle.RetryAfter("fan@example.com", "10.0.0.1")); // one failure of a new count
    }
}
