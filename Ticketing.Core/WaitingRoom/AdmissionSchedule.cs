using System.Globalization;
using System.Text;

namespace Ticketing.Core.WaitingRoom;

/// <summary>From place <see cref="From"/> (already admitted at <see cref="At"/>) on, <see cref="Rate"/> fans a minute.</summary>
public readonly record struct AdmissionSegment(int From, DateTimeOffset At, int Rate);

/// <summary>
/// When each place is admitted: a piecewise-linear schedule. A fixed rate is one segment (place 0 at the opening); each
/// change of rate after the opening (the organizer's, or the automatic rate's) appends a segment that starts from the
/// places already admitted at that instant, so no place admitted before the change moves, and every instance computes the
/// same answer from the queue's row. Stored in <see cref="PerformanceQueue.RateSchedule"/> as <c>from:utcTicks:rate</c>
/// separated by <c>;</c>; segments whose turns have all ended are pruned.
/// </summary>
public static class AdmissionSchedule
{
    /// <summary>At most this many segments are kept (a change every 30 s: the last half hour).</summary>
    public const int MaxSegments = 64;

    public static IReadOnlyList<AdmissionSegment> Of(PerformanceQueue queue) =>
        queue.ParsedSchedule ??= Parse(queue.RateSchedule) is { Count: > 0 } parsed ? parsed : [new AdmissionSegment(0, queue.OpensAt, queue.AdmitPerMinute)];

    /// <summary>How many places are admitted at <paramref name="now"/> (0 before the opening).</summary>
    public static int Admitted(IReadOnlyList<AdmissionSegment> schedule, DateTimeOffset now)
    {
        if (now < schedule[0].At) return 0;
        var s = schedule[0];
        foreach (var segment in schedule)
        {
            if (segment.At > now) break;
            s = segment;
        }
        return (int)Math.Min(int.MaxValue, s.From + Math.Floor((now - s.At).TotalMinutes * s.Rate));
    }

    /// <summary>The instant from which <paramref name="position"/> is admitted.</summary>
    public static DateTimeOffset TurnStart(IReadOnlyList<AdmissionSegment> schedule, int position)
    {
        var s = schedule[0];
        foreach (var segment in schedule)
        {
            if (segment.From >= position) break;
            s = segment;
        }
        return s.At + TimeSpan.FromMinutes((double)(position - s.From) / s.Rate);
    }

    /// <summary>The rate now (the last segment's).</summary>
    public static int CurrentRate(IReadOnlyList<AdmissionSegment> schedule) => schedule[^1].Rate;

    /// <summary>
    /// The schedule with <paramref name="rate"/> from <paramref name="now"/> on (continuing from the places admitted then),
    /// without the segments whose every turn ended before <paramref name="keepSince"/>.
    /// </summary>
    public static List<AdmissionSegment> WithRate(IReadOnlyList<AdmissionSegment> schedule, DateTimeOffset now, int rate, DateTimeOffset keepSince)
    {
        var list = schedule.ToList();
        if (now <= list[0].At) return [list[0] with { Rate = rate }]; // not open yet: the opening's rate
        list.Add(new AdmissionSegment(Admitted(schedule, now), now, rate));
        // A segment is needed while a place it admitted may still be in its turn: until the next segment began turnMinutes ago.
        while (list.Count > 1 && (list[1].At < keepSince || list.Count > MaxSegments)) list.RemoveAt(0);
        return list;
    }

    public static string Format(IReadOnlyList<AdmissionSegment> schedule)
    {
        var sb = new StringBuilder();
        foreach (var s in schedule)
        {
            if (sb.Length > 0) sb.Append(';');
            sb.Append(CultureInfo.InvariantCulture, $"{s.From}:{s.At.UtcTicks}:{s.Rate}");
        }
        return sb.ToString();
    }

    public static List<AdmissionSegment> Parse(string? text)
    {
        var list = new List<AdmissionSegment>();
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var f = part.Split(':');
            if (f.Length == 3 && int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                && long.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
                && int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate > 0)
                list.Add(new AdmissionSegment(from, new DateTimeOffset(ticks, TimeSpan.Zero), rate));
        }
        return list;
    }
}
