namespace Ticketing.Bench.FlashSale;

/// <summary>Latency samples in milliseconds, reduced to percentiles (nearest-rank).</summary>
public sealed class LatencyRecorder
{
    private readonly List<double> _samples = [];
    private readonly Lock _lock = new();

    public void Add(double ms)
    {
        lock (_lock) _samples.Add(ms);
    }

    public int Count
    {
        get { lock (_lock) return _samples.Count; }
    }

    public LatencySummary Summarize()
    {
        double[] s;
        lock (_lock) s = [.. _samples];
        if (s.Length == 0) return new LatencySummary(0, null, null, null, null);
        Array.Sort(s);
        return new LatencySummary(s.Length, P(s, 50), P(s, 95), P(s, 99), Math.Round(s[^1], 2));
    }

    private static double P(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return Math.Round(sorted[Math.Clamp(rank, 0, sorted.Length - 1)], 2);
    }
}

public sealed record LatencySummary(int Count, double? P50, double? P95, double? P99, double? Max);
