using Ticketing.Core.Seating;

namespace Ticketing.Tests.Unit;

/// <summary>
/// The best-available rule (docs/seating.md): N seats side by side in one row, the row nearest the stage, the block nearest
/// the row's centre, then plan order; accessible and companion seats never picked. <see cref="BestAvailableRows"/> walks
/// the rows from the front and stops early: these tests hold it to a plain reading of the rule on many random halls.
/// </summary>
public sealed class BestAvailableTests
{
    private static List<SeatSpot> Hall(int rows, int perRow, Func<int, int, bool> open, double curve = 0)
    {
        var seats = new List<SeatSpot>();
        var ordinal = 0;
        for (var r = 0; r < rows; r++)
            for (var s = 0; s < perRow; s++)
            {
                var x = s * 10.0;
                var y = 100 + r * 10 + curve * Math.Abs(s - (perRow - 1) / 2.0);
                seats.Add(new SeatSpot(Guid.NewGuid(), "Parterre", ((char)('A' + r)).ToString(), ++ordinal, x, y, open(r, s)));
            }
        return seats;
    }

    /// <summary>The rule read literally: every block of every row, the smallest (row distance, offset from centre, first ordinal).</summary>
    private static IReadOnlyList<Guid>? Reference(IReadOnlyList<SeatSpot> seats, int n)
    {
        var blocks = new List<((double, double, int) Key, List<Guid> Ids)>();
        foreach (var row in seats.GroupBy(s => (s.Section, s.Row)))
        {
            var ordered = row.OrderBy(s => s.Ordinal).ToList();
            var rowY = Math.Round(ordered.Average(s => s.Y), 3);
            var centre = (ordered.Min(s => s.X) + ordered.Max(s => s.X)) / 2;
            for (var i = 0; i + n <= ordered.Count; i++)
            {
                var block = ordered.GetRange(i, n);
                if (!block.All(s => s.Open) || block.Zip(block.Skip(1)).Any(p => p.Second.Ordinal != p.First.Ordinal + 1)) continue;
                blocks.Add(((rowY, Math.Round(Math.Abs((block[0].X + block[^1].X) / 2 - centre), 3), block[0].Ordinal), block.Select(s => s.Id).ToList()));
            }
        }
        return blocks.Count == 0 ? null : blocks.MinBy(b => b.Key).Ids;
    }

    [Fact]
    public void TheFrontRowsCentre_First()
    {
        var seats = Hall(3, 10, (_, _) => true);
        var picked = BestAvailable.Pick(seats, 2)!;
        Assert.Equal(new[] { seats[4].Id, seats[5].Id }, picked);
    }

    [Fact]
    public void ABlockNeverSpansAGap_NorTakesAnAccessibleSeat_AndNothingIsNull()
    {
        // Row A: 10 seats, the 5th and 6th taken; 3 together fit left (2-4) or right (7-9) of the centre; plan order: left.
        var seats = Hall(1, 10, (_, s) => s is not (4 or 5));
        Assert.Equal(new[] { seats[1].Id, seats[2].Id, seats[3].Id }, BestAvailable.Pick(seats, 3));
        Assert.Null(BestAvailable.Pick(seats, 5));
        Assert.Null(BestAvailable.Pick(Hall(2, 4, (_, _) => false), 1));
    }

    [Fact]
    public void ExcludedSeats_AreNotPicked()
    {
        var seats = Hall(2, 6, (_, _) => true);
        var first = BestAvailable.Pick(seats, 2)!;
        var second = BestAvailable.Pick(seats, 2, first.ToHashSet())!;
        Assert.Empty(first.Intersect(second));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void OnRandomHalls_ItPicksWhatTheRuleSays(int seed)
    {
        var random = new Random(seed);
        for (var hall = 0; hall < 200; hall++)
        {
            var rows = random.Next(1, 12);
            var perRow = random.Next(1, 30);
            var density = random.NextDouble();
            var seats = Hall(rows, perRow, (_, _) => random.NextDouble() < density, curve: random.Next(0, 3) * 0.5);
            // Some rows at the same distance from the stage (a balcony's two sides): ties go to plan order.
            if (random.Next(4) == 0) seats = seats.Select(s => s with { Y = 100 }).ToList();
            var n = random.Next(1, 7);
            Assert.Equal(Reference(seats, n), BestAvailable.Pick(seats, n));
        }
    }
}
