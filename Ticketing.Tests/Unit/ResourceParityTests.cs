using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Ticketing.Tests.Unit;

public sealed partial class ResourceParityTests
{
    private static string ResourcesDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "Resources"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("Resources"), "Resources");
        }
    }

    private static Dictionary<string, string> Load(string file) =>
        XDocument.Load(Path.Combine(ResourcesDir, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [Fact]
    public void EnglishAndFrench_HaveTheSameKeys_AndNoEmptyValues()
    {
        var en = Load("SharedResource.resx");
        var fr = Load("SharedResource.fr.resx");
        Assert.NotEmpty(en);
        Assert.Empty(en.Keys.Except(fr.Keys));
        Assert.Empty(fr.Keys.Except(en.Keys));
        Assert.All(en, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"empty English value for {kv.Key}"));
        Assert.All(fr, kv => Assert.False(string.IsNullOrWhiteSpace(kv.Value), $"empty French value for {kv.Key}"));
    }

    [Fact]
    public void EnglishAndFrench_UseTheSamePlaceholders()
    {
        var en = Load("SharedResource.resx");
        var fr = Load("SharedResource.fr.resx");
        foreach (var (key, value) in en)
            Assert.True(Placeholders(value).SetEquals(Placeholders(fr[key])), $"placeholders differ for {key}");
    }

    [Fact]
    public void EveryErrorCodeOfTheContract_HasAMessage()
    {
        var en = Load("SharedResource.resx");
        var codes = typeof(Ticketing.Core.Common.ErrorCodes).GetFields().Select(f => (string)f.GetValue(null)!);
        Assert.All(codes, code => Assert.True(en.ContainsKey("Error." + code), $"no message for {code}"));
    }

    private static HashSet<string> Placeholders(string s) => PlaceholderRegex().Matches(s).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"\{\d+[^}]*\}")]
    private static partial Regex PlaceholderRegex();
}
