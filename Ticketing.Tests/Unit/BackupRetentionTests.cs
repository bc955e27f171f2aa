using Ticketing.Core.Backups;
using Xunit;

namespace Ticketing.Tests.Unit;

public sealed class BackupRetentionTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 30, 0, TimeSpan.Zero);

    private static string Name(DateTimeOffset t) => BackupFileName.Format(t);

    [Fact]
    public void File_names_round_trip()
    {
        var t = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        Assert.Equal("2025-01-02T03-04-05Z.tbak", BackupFileName.Format(t));
        Assert.Equal("2025-01-02T03-04-05Z-2.tbak", BackupFileName.Format(t, 2));
        Assert.True(BackupFileName.TryParse("2025-01-02T03-04-05Z.tbak", out var parsed));
        Assert.Equal(t, parsed);
        Assert.True(BackupFileName.TryParse("2025-01-02T03-04-05Z-2.tbak", out _, out int seq));
        Assert.Equal(2, seq);
        Assert.False(BackupFileName.TryParse("2025-13-02T03-04-05Z.tbak", out _));
        Assert.False(BackupFileName.TryParse("manual-copy.tbak", out _));
        Assert.False(BackupFileName.TryParse("2025-01-02T03-04-05Z.tbak.tmp", out _));
    }

    [Fact]
    public void Keeps_the_most_recent_and_deletes_older_same_day_files()
    {
        // 10 hourly backups today (00:00 .. 09:00)
        var names = Enumerable.Range(0, 10).Select(h => Name(Now.Date.AddHours(h))).ToList();

        var doomed = BackupRetention.SelectForDeletion(names, keep: 3, Now);

        Assert.Equal(names.Take(7).OrderByDescending(n => n), doomed);
    }

    [Fact]
    public void Keeps_newest_of_each_day_for_30_days_and_prunes_older_days()
    {
        var names = new List<string>();
        for (int day = 0; day < 40; day++)
        {
            var date = new DateTimeOffset(Now.Date.AddDays(-day), TimeSpan.Zero);
            names.Add(Name(date.AddHours(1)));
            names.Add(Name(date.AddHours(23)));
        }

        var doomed = BackupRetention.SelectForDeletion(names, keep: 2, Now).ToHashSet();
        var kept = names.Where(n => !doomed.Contains(n)).ToList();

        // keep=2 -> today's two; plus newest (23:00) of each of the 29 previous days in the 30-day window
        Assert.Equal(2 + 29, kept.Count);
        for (int day = 1; day < 30; day++)
            Assert.Contains(Name(new DateTimeOffset(Now.Date.AddDays(-day), TimeSpan.Zero).AddHours(23)), kept);
        Assert.DoesNotContain(Name(new DateTimeOffset(Now.Date.AddDays(-30), TimeSpan.Zero).AddHours(23)), kept);
        Assert.DoesNotContain(Name(new DateTimeOffset(Now.Date.AddDays(-5), TimeSpan.Zero).AddHours(1)), kept);
    }

    [Fact]
    public void Keep_covers_old_files_when_there_are_few()
    {
        var old = new[] { Name(Now.AddDays(-100)), Name(Now.AddDays(-200)) };
        Assert.Empty(BackupRetention.SelectForDeletion(old, keep: 24, Now));
        Assert.Equal([old[1]], BackupRetention.SelectForDeletion(old, keep: 1, Now));
    }

    [Fact]
    public void Never_deletes_unparseable_names()
    {
        var names = new[] { "manual.tbak", "notes.txt", "2025-01-01T00-00-00Z.tbak.tmp", Name(Now.AddDays(-300)), Name(Now) };
        var doomed = BackupRetention.SelectForDeletion(names, keep: 1, Now);
        Assert.Equal([Name(Now.AddDays(-300))], doomed);
    }

    [Fact]
    public void Works_with_full_paths_and_same_second_sequence()
    {
        var t = Now.AddMinutes(-1);
        var names = new[] { "/b/" + BackupFileName.Format(t), "/b/" + BackupFileName.Format(t, 1) };
        Assert.Equal(["/b/" + BackupFileName.Format(t)], BackupRetention.SelectForDeletion(names, keep: 1, Now));
    }

    [Fact]
    public void Keep_zero_still_keeps_daily_newest()
    {
        var names = new[] { Name(Now.AddHours(-1)), Name(Now.AddHours(-2)) };
        Assert.Equal([Name(Now.AddHours(-2))], BackupRetention.SelectForDeletion(names, keep: 0, Now));
    }
}
