using System.Xml.Linq;
using Ticketing.Core.Notifications;

namespace Ticketing.Tests.Unit;

/// <summary>The Admins' message list names every kind of notification, in both languages (a new kind without a label showed its key).</summary>
public sealed class NotificationKindLabelTests
{
    [Theory]
    [InlineData("SharedResource.resx")]
    [InlineData("SharedResource.fr.resx")]
    public void EveryNotificationKind_HasALabel(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "Resources"))) dir = dir.Parent;
        var keys = XDocument.Load(Path.Combine(dir!.FullName, "Resources", file)).Root!.Elements("data")
            .Select(d => (string)d.Attribute("name")!).ToHashSet();
        var missing = Enum.GetNames<NotificationKind>().Where(kind => !keys.Contains($"Notification.Kind.{kind}")).ToList();
        Assert.True(missing.Count == 0, "no label for " + string.Join(", ", missing));
    }
}
