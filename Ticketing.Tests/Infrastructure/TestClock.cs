namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// The real time plus an offset that tests can move forward (hold expiry, retries, schedules), or frozen for a test whose
/// assertion must not depend on how fast a loaded machine runs it (<see cref="Freeze"/>; <see cref="Reset"/> lets it run again).
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;
    private long _frozenAtTicks; // 0: not frozen

    public override DateTimeOffset GetUtcNow()
    {
        var frozen = Interlocked.Read(ref _frozenAtTicks);
        var now = frozen != 0 ? new DateTimeOffset(frozen, TimeSpan.Zero) : System.GetUtcNow();
        return now + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Stops the clock at the current real time (Advance still moves it).</summary>
    public void Freeze() => Interlocked.Exchange(ref _frozenAtTicks, System.GetUtcNow().UtcTicks);

    public void Reset()
    {
        Interlocked.Exchange(ref _frozenAtTicks, 0);
        Interlocked.Exchange(ref _offsetTicks, 0);
    }
}
