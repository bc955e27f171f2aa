using System.Globalization;
using System.Text.RegularExpressions;

namespace Ticketing.Core.Backups;

/// <summary>Backup file names: <c>yyyy-MM-ddTHH-mm-ssZ.tbak</c>, optionally with a "-N" suffix when two backups share a second.</summary>
public static partial class BackupFileName
{
    public const string Extension = ".tbak";
    private const string TimeFormat = "yyyy-MM-dd'T'HH-mm-ss'Z'";

    [GeneratedRegex(@"^(?<time>\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:-(?<seq>\d{1,4}))?\.tbak$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static string Format(DateTimeOffset createdAtUtc, int sequence = 0)
    {
        string time = createdAtUtc.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        return sequence == 0 ? time + Extension : $"{time}-{sequence}{Extension}";
    }

    /// <summary>Parses the creation time (and same-second sequence) from a file name (not a path); false if it is not ours.</summary>
    public static bool TryParse(string fileName, out DateTimeOffset createdAtUtc, out int sequence)
    {
        createdAtUtc = default;
        sequence = 0;
        var match = NamePattern().Match(fileName ?? string.Empty);
        if (!match.Success)
            return false;
        if (!DateTime.TryParseExact(match.Groups["time"].Value, TimeFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
            return false;
        createdAtUtc = new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
        if (match.Groups["seq"].Success)
            sequence = int.Parse(match.Groups["seq"].Value, CultureInfo.InvariantCulture);
        return true;
    }

    public static bool TryParse(string fileName, out DateTimeOffset createdAtUtc) => TryParse(fileName, out createdAtUtc, out _);
}

/// <summary>
/// Retention policy: keep the <c>keep</c> most recent backups plus the newest backup of each UTC day for the last
/// 30 days (today and the 29 days before); everything else that has a parseable name is deleted. Files whose name
/// cannot be parsed are never deleted.
/// </summary>
public static class BackupRetention
{
    public const int DailyDays = 30;

    /// <summary>Pure function: returns the file names (as given) that should be deleted.</summary>
    public static IReadOnlyList<string> SelectForDeletion(IEnumerable<string> fileNames, int keep, DateTimeOffset nowUtc)
    {
        ArgumentNullException.ThrowIfNull(fileNames);
        var parsed = new List<(string Name, DateTimeOffset Time, int Seq)>();
        foreach (var name in fileNames)
        {
            if (BackupFileName.TryParse(Path.GetFileName(name), out var time, out var seq))
                parsed.Add((name, time, seq));
        }

        var ordered = parsed
            .OrderByDescending(p => p.Time)
            .ThenByDescending(p => p.Seq)
            .ThenByDescending(p => p.Name, StringComparer.Ordinal)
            .ToList();

        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in ordered.Take(Math.Max(0, keep)))
            kept.Add(p.Name);

        DateTime firstDay = nowUtc.UtcDateTime.Date.AddDays(-(DailyDays - 1));
        foreach (var day in ordered.Where(p => p.Time.UtcDateTime.Date >= firstDay).GroupBy(p => p.Time.UtcDateTime.Date))
            kept.Add(day.First().Name); // ordered newest first, GroupBy keeps order

        return ordered.Where(p => !kept.Contains(p.Name)).Select(p => p.Name).ToList();
    }
}
