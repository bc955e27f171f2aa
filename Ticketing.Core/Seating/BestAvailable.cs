namespace Ticketing.Core.Seating;

/// <summary>A seat as best-available sees it: where it is and whether it can be sold now.</summary>
public readonly record struct SeatSpot(Guid Id, string Section, string Row, int Ordinal, double X, double Y, bool Open);

/// <summary>
/// "Best available" for N people in one category — the rule (documented in docs/seating.md):
/// <list type="number">
/// <item>only N seats side by side in ONE row: consecutive seats of the plan's row, all open (Available, neither
/// accessible nor companion seats, which stay for those who need them);</item>
/// <item>the row closest to the stage first (the smallest mean y of the row's seats in that category: the stage is at
/// the top of the plan);</item>
/// <item>in that row, the block whose centre is closest to the centre of the row;</item>
/// <item>ties: the plan's order (section, row, then leftmost block).</item>
/// </list>
/// Null when no row has N open seats side by side (the caller answers <c>insufficient_availability</c>).
/// </summary>
public static class BestAvailable
{
    public static IReadOnlyList<Guid>? Pick(IReadOnlyList<SeatSpot> seats, int n, ISet<Guid>? exclude = null)
    {
        var rows = BestAvailableRows.Of(seats.Select((s, i) => (s, i)).ToList());
        var index = rows.Pick(n, i => seats[i].Open && (exclude is null || !exclude.Contains(seats[i].Id)));
        return index?.Select(i => seats[i].Id).ToList();
    }
}

/// <summary>
/// The part of <see cref="BestAvailable"/>'s rule that never changes for a performance's category — its rows, each row's
/// distance to the stage and centre, its seats in plan order — computed once, so that a pick is a walk from the front row
/// backwards that stops at the first row (or rows at the same distance) holding N open seats side by side.
/// A seat is named by its caller's index (<see cref="SeatMapService"/>'s plan index for the holds).
/// </summary>
public sealed class BestAvailableRows
{
    private readonly Row[] _rows;

    private BestAvailableRows(Row[] rows) => _rows = rows;

    private sealed record Row(double Y, double Centre, int[] Index, int[] Ordinal, double[] X, bool[] Eligible);

    /// <summary>From the category's seats (with their caller index). A seat not <see cref="SeatSpot.Open"/> here can never be picked (accessible, companion).</summary>
    public static BestAvailableRows Of(IReadOnlyList<(SeatSpot Seat, int Index)> seats) =>
        new(seats.GroupBy(s => (s.Seat.Section, s.Seat.Row))
            .Select(g =>
            {
                var ordered = g.OrderBy(s => s.Seat.Ordinal).ToArray();
                return new Row(Math.Round(ordered.Average(s => s.Seat.Y), 3), (ordered.Min(s => s.Seat.X) + ordered.Max(s => s.Seat.X)) / 2,
                    ordered.Select(s => s.Index).ToArray(), ordered.Select(s => s.Seat.Ordinal).ToArray(), ordered.Select(s => s.Seat.X).ToArray(),
                    ordered.Select(s => s.Seat.Open).ToArray());
            })
            .OrderBy(r => r.Y).ThenBy(r => r.Ordinal[0]).ToArray());

    /// <summary>The indexes of the best N seats side by side that are eligible and <paramref name="open"/> now, or null.</summary>
    public IReadOnlyList<int>? Pick(int n, Func<int, bool> open)
    {
        if (n <= 0) return [];
        (double RowY, double Offset, int Ordinal, Row Row, int Start)? best = null;
        foreach (var row in _rows)
        {
            if (best is { } found && row.Y > found.RowY) break; // rows come nearest first: nothing behind can beat it
            if (row.Index.Length < n) continue;
            var run = 0;
            for (var i = 0; i < row.Index.Length; i++)
            {
                var isOpen = row.Eligible[i] && open(row.Index[i]);
                run = !isOpen ? 0 : i > 0 && run > 0 && row.Ordinal[i - 1] == row.Ordinal[i] - 1 ? run + 1 : 1;
                if (run < n) continue;
                var start = i - n + 1;
                var offset = Math.Round(Math.Abs((row.X[start] + row.X[i]) / 2 - row.Centre), 3);
                var candidate = (row.Y, offset, row.Ordinal[start]);
                if (best is null || candidate.CompareTo((best.Value.RowY, best.Value.Offset, best.Value.Ordinal)) < 0)
                    best = (row.Y, offset, row.Ordinal[start], row, start);
            }
        }
        return best is { } b ? b.Row.Index[b.Start..(b.Start + n)] : null;
    }
}
