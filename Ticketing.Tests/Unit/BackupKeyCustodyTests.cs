using Ticketing.Core.Backups;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Unit;

public sealed class BackupKeyCustodyTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void DevelopmentKey_IsGeneratedOnce_PrivateToTheOwner_AndReusedAfterwards()
    {
        string file = Path.Combine(_dir.Path, "App_Data", "keys", "backup.key");

        var (key, created) = BackupKeyCustody.LoadOrCreateDevelopmentKey(file);
        var (again, createdAgain) = BackupKeyCustody.LoadOrCreateDevelopmentKey(file);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(key, again);
        Assert.Equal(32, BackupFileFormat.ParseKey(key).Length);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
    }

    [Fact]
    public void DamagedDevelopmentKeyFile_IsAnError_NeverSilentlyReplaced()
    {
        string file = Path.Combine(_dir.Path, "backup.key");
        File.WriteAllText(file, "not a key");
        Assert.Throws<BackupException>(() => BackupKeyCustody.LoadOrCreateDevelopmentKey(file));
        Assert.Equal("not a key", File.ReadAllText(file));
    }

    [Theory]
    [InlineData("0 0 * * * ?", 60)]
    [InlineData("0 0/15 * * * ?", 15)]
    [InlineData("0 30 2 * * ?", 24 * 60)]
    public void SchedulePeriod_IsTheTimeBetweenTwoRuns(string cron, int minutes)
    {
        Assert.True(BackupSchedule.IsValid(cron));
        Assert.Equal(TimeSpan.FromMinutes(minutes), BackupSchedule.Period(cron, new DateTimeOffset(2030, 1, 1, 10, 7, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void InvalidSchedule_IsRejected() => Assert.False(BackupSchedule.IsValid("every hour"));
}
