using Ticketing.Core.Seating;

namespace Ticketing.Tests.Unit;

public sealed class SeatBlockGeneratorTests
{
    [Fact]
    public void OddEven_NumbersFromTheCentreOutward_OddOnTheLeft()
    {
        var labels = Enumerable.Range(0, 6).Select(p => SeatBlockGenerator.Number(SeatNumbering.OddEven, p, 6, 1)).ToList();
        Assert.Equal([5, 3, 1, 2, 4, 6], labels);
        Assert.Equal([3, 2, 1], Enumerable.Range(0, 3).Select(p => SeatBlockGenerator.Number(SeatNumbering.RightToLeft, p, 3, 1)));
    }

    [Fact]
    public void RowLabels_GoFromAToZThenAA() =>
        Assert.Equal(["A", "Z", "AA", "AB"], new[] { 0, 25, 26, 27 }.Select(SeatBlockGenerator.RowLabel));
}
