using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Ticketing.Core;
using Ticketing.Core.Common;
using Ticketing.Web.Features.Backups;

namespace Ticketing.Tests.Unit;

/// <summary>Real plural forms, French typography and words instead of cron expressions and time-zone ids (issue 18, item 10).</summary>
public sealed partial class PluralsAndTypographyTests
{
    private static IStringLocalizer Localizer(string culture)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
        return new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider()
            .GetRequiredService<IStringLocalizer<SharedResource>>();
    }

    private static IEnumerable<(string Key, string Value)> Values(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "Resources"))) dir = dir.Parent;
        return XDocument.Load(Path.Combine(dir!.FullName, "Resources", file)).Root!.Elements("data")
            .Select(d => ((string)d.Attribute("name")!, (string?)d.Element("value") ?? ""));
    }

    [Theory]
    [InlineData("en", 0, false)]
    [InlineData("en", 1, true)]
    [InlineData("en", 2, false)]
    [InlineData("fr", 0, true)]
    [InlineData("fr", 1, true)]
    [InlineData("fr", 2, false)]
    public void PluralRule_FollowsTheLanguage(string culture, long count, bool one) =>
        Assert.Equal(one, Plurals.IsOne(count, new CultureInfo(culture)));

    [Theory]
    [InlineData("en", 1, "1 event")]
    [InlineData("en", 0, "0 events")]
    [InlineData("en", 12, "12 events")]
    [InlineData("fr", 1, "1 événement")]
    [InlineData("fr", 0, "0 événement")]
    [InlineData("fr", 12, "12 événements")]
    public void Plural_PicksTheOneOrOtherKey(string culture, long count, string expected) =>
        Assert.Equal(expected, Localizer(culture).Plural("Search.Count", count).Value);

    [Fact]
    public void Plural_WithSeveralArguments_ChoosesOnTheCount()
    {
        Assert.Equal("Only 1 seat is left in this category: adjust the quantity.", Localizer("en").Plural("Booking.OnlyLeft", 1).Value);
        Assert.Equal("Remboursements en cours\u202F: 2 commandes remboursées sur 5.",
            Localizer("fr").Plural("Sales.RefundsInProgress", 5, 2, 5).Value);
    }

    [Theory]
    [InlineData("SharedResource.resx")]
    [InlineData("SharedResource.fr.resx")]
    public void NoText_WritesPluralsAsParenthesisedS(string file) =>
        Assert.DoesNotContain(Values(file), v => v.Value.Contains("(s)") || v.Value.Contains("(e)"));

    [Fact]
    public void French_PutsANarrowNoBreakSpaceBeforeColonSemicolonQuestionAndExclamationMarks()
    {
        // "https://", "16:9" and configuration keys ("Backups:EncryptionKey") have no space before the colon: not prose.
        var wrong = Values("SharedResource.fr.resx").Where(v => SpaceBeforePunctuation().IsMatch(v.Value)).Select(v => v.Key).ToList();
        Assert.Empty(wrong);
        Assert.Contains(Values("SharedResource.fr.resx"), v => v.Value.Contains("\u202F:"));
    }

    [Fact]
    public void French_WritesKoAndMo_NotKbAndMb()
    {
        Assert.DoesNotContain(Values("SharedResource.fr.resx"), v => Regex.IsMatch(v.Value, @"\b[KMG]B\b"));
        var fr = Localizer("fr");
        Assert.Equal("2,0 Mo", ScheduleText.Size(fr, 2 * 1024 * 1024).Replace('\u202F', ' ').Replace('\u00A0', ' '));
        Assert.Equal("512 o", ScheduleText.Size(fr, 512));
        Assert.Equal("1.5 KB", ScheduleText.Size(Localizer("en"), 1536));
    }

    [Theory]
    [InlineData("en", "0 0 3 * * ?", "Every day at 3:00 AM")]
    [InlineData("fr", "0 0 3 * * ?", "Tous les jours à 03:00")]
    [InlineData("en", "0 0 * * * ?", "Every hour")]
    [InlineData("fr", "0 0 */6 * * ?", "Toutes les 6 heures")]
    [InlineData("en", "0 */15 * * * ?", "Every 15 minutes")]
    [InlineData("en", "0 30 2 ? * MON", "Every Monday at 2:30 AM")]
    [InlineData("en", "0 0 3 1 * ?", "On a custom schedule")]
    [InlineData("en", "not a cron", "On a custom schedule")]
    public void BackupSchedule_IsShownInWords_NotAsACronExpression(string culture, string cron, string expected)
    {
        var l = Localizer(culture);
        var text = ScheduleText.Describe(l, cron, new DateTimeOffset(2030, 1, 7, 12, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);
        Assert.Equal(expected, text.Replace('\u202F', ' '));
    }

    [Theory]
    [InlineData("en", "Europe/Paris", "Paris time")]
    [InlineData("fr", "Europe/Paris", "heure de Paris")]
    [InlineData("en", "America/New_York", "New York time")]
    [InlineData("fr", "Etc/UTC", "UTC")]
    public void TimeZones_AreNamedByTheirCity_NotByTheirId(string culture, string id, string expected) =>
        Assert.Equal(expected, ScheduleText.ZoneName(Localizer(culture), TimeZoneInfo.FindSystemTimeZoneById(id)));

    [GeneratedRegex(@"[ \u00A0][:;?!]")]
    private static partial Regex SpaceBeforePunctuation();
}
