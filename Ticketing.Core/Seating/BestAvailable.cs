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
        if (n <= 0) return [];
        (double RowY, double Offset, int Ordinal, List<Guid> Ids)? best = null;
        foreach (var row in seats.GroupBy(s => (s.Section, s.Row)))
        {
            var ordered = row.OrderBy(s => s.Ordinal).ToList();
            if (ordered.Count < n) continue;
            var rowY = Math.Round(ordered.Average(s => s.Y), 3);
            if (best is { } b && rowY > b.RowY) continue;
            var centre = (ordered.Min(s => s.X) + ordered.Max(s => s.X)) / 2;
            var run = 0;
            for (var i = 0; i < ordered.Count; i++)
            {
                var s = ordered[i];
                var open = s.Open && (exclude is null || !exclude.Contains(s.Id));
                run = !open ? 0 : i > 0 && run > 0 && ordered[i - 1].Ordinal == s.Ordinal - 1 ? run + 1 : 1;
                if (run < n) continue;
                var block = ordered.GetRange(i - n + 1, n);
                var offset = Math.Round(Math.Abs((block[0].X + block[^1].X) / 2 - centre), 3);
                var candidate = (rowY, offset, block[0].Ordinal);
                if (best is null || candidate.CompareTo((best.Value.RowY, best.Value.Offset, best.Value.Ordinal)) < 0)
                    best = (rowY, offset, block[0].Ordinal, block.Select(x => x.Id).ToList());
            }
        }
        return best?.Ids;
    }
}
