using Ticketing.Core.WaitingRoom;

namespace Ticketing.Tests.Unit;

/// <summary>The waiting room's admission schedule: a change of rate continues from the places already admitted.</summary>
public sealed class AdmissionScheduleTests
{
    private static readonly DateTimeOffset Opening = new(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OneRate_IsMinutesSinceTheOpeningTimesTheRate()
    {
        var schedule = AdmissionSchedule.Of(new PerformanceQueue { OpensAt = Opening, AdmitPerMinute = 60 });
        Assert.Equal(0, AdmissionSchedule.Admitted(schedule, Opening.AddSeconds(-1)));
        Assert.Equal(0, AdmissionSchedule.Admitted(schedule, Opening));
        Assert.Equal(90, AdmissionSchedule.Admitted(schedule, Opening.AddSeconds(90)));
        Assert.Equal(Opening.AddSeconds(90), AdmissionSchedule.TurnStart(schedule, 90));
    }

    [Fact]
    public void ARateChange_KeepsEveryPlaceAlreadyAdmitted_AndTheCountContinuous()
    {
        var first = AdmissionSchedule.Of(new PerformanceQueue { OpensAt = Opening, AdmitPerMinute = 600 });
        var change = Opening.AddMinutes(2);
        var slower = AdmissionSchedule.WithRate(first, change, 60, Opening.AddMinutes(-20));
        Assert.Equal(1200, AdmissionSchedule.Admitted(slower, change));
        Assert.Equal(1201, AdmissionSchedule.Admitted(slower, change.AddSeconds(1)));
        Assert.Equal(1260, AdmissionSchedule.Admitted(slower, change.AddMinutes(1)));
        // Places admitted before the change keep their turn's start; the next ones follow the new rate.
        for (var p = 1; p <= 1200; p += 37) Assert.Equal(AdmissionSchedule.TurnStart(first, p), AdmissionSchedule.TurnStart(slower, p));
        Assert.Equal(change.AddSeconds(1), AdmissionSchedule.TurnStart(slower, 1201));
        // Admitted and TurnStart agree everywhere: a place is admitted exactly from its turn's start.
        foreach (var p in new[] { 1, 600, 1200, 1201, 1230, 1260 })
        {
            var start = AdmissionSchedule.TurnStart(slower, p);
            Assert.True(AdmissionSchedule.Admitted(slower, start.AddMilliseconds(1)) >= p, $"place {p}");
            Assert.True(AdmissionSchedule.Admitted(slower, start.AddMilliseconds(-50)) < p, $"place {p}");
        }
    }

    [Fact]
    public void TheScheduleRoundTripsThroughItsText_AndOldSegmentsArePruned()
    {
        var schedule = AdmissionSchedule.Of(new PerformanceQueue { OpensAt = Opening, AdmitPerMinute = 100 });
        for (var i = 1; i <= 200; i++)
            schedule = AdmissionSchedule.WithRate(schedule, Opening.AddSeconds(30 * i), 50 + i % 7, Opening.AddSeconds(30 * i).AddMinutes(-20));
        Assert.InRange(schedule.Count, 2, AdmissionSchedule.MaxSegments);
        Assert.True(schedule[1].At >= Opening.AddSeconds(30 * 200).AddMinutes(-20));
        var text = AdmissionSchedule.Format(schedule);
        Assert.True(text.Length <= 4000, $"{text.Length} characters");
        Assert.Equal(schedule, AdmissionSchedule.Parse(text));
        Assert.Empty(AdmissionSchedule.Parse("garbage;1:x:3;2:5:0"));
    }

    [Fact]
    public void BeforeTheOpening_ANewRateReplacesTheOpeningsRate()
    {
        var schedule = AdmissionSchedule.Of(new PerformanceQueue { OpensAt = Opening, AdmitPerMinute = 100 });
        var changed = AdmissionSchedule.WithRate(schedule, Opening.AddMinutes(-5), 40, Opening.AddMinutes(-25));
        Assert.Equal([new AdmissionSegment(0, Opening, 40)], changed);
    }

    [Theory]
    [InlineData(0, 600, 60)]    // nothing sold: a tenth of the most
    [InlineData(30, 600, 60)]   // 10 a minute × 1.5 = 15, below the floor
    [InlineData(300, 600, 150)] // 100 a minute × 1.5
    [InlineData(3000, 600, 600)] // never above the most
    [InlineData(0, 5, 1)]       // at least 1 a minute
    public void TheAutomaticRate_IsOneAndAHalfTimesThePurchasesPerMinute_BetweenATenthOfTheMostAndTheMost(int paid, int most, int expected) =>
        Assert.Equal(expected, WaitingRoomService.AutomaticRate(paid, most));
}
