using System.Globalization;
using Ticketing.Core.Common;

namespace Ticketing.Tests.Unit;

public sealed class HtmlTextTests
{
    [Theory]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("\"'><img src=x onerror=alert(1)>", "&quot;&#x27;&gt;&lt;img src=x onerror=alert(1)&gt;")]
    [InlineData("Tom & Jerry", "Tom &amp; Jerry")]
    [InlineData("Théâtre du Châtelet — 東京", "Théâtre du Châtelet — 東京")]
    [InlineData(null, "")]
    public void Encode_TurnsMarkupIntoTextAndKeepsLettersReadable(string? input, string expected) => Assert.Equal(expected, HtmlText.Encode(input));

    [Fact]
    public void Format_EncodesTheTemplateButInsertsTheArgumentsAsMarkup()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var markup = HtmlText.Format("{0} sold <of> {1}", "<strong>2</strong>", HtmlText.Encode("<10>"));
        Assert.Equal("<strong>2</strong> sold &lt;of&gt; &lt;10&gt;", markup);
    }

    [Theory]
    [InlineData("/img/events/a.svg", "url(\"/img/events/a.svg\")")]
    [InlineData("https://cdn.example/a.png');background:url(https://evil.example/x", "url(\"https://cdn.example/a.png%27%29%3Bbackground:url%28https://evil.example/x\")")]
    [InlineData("https://cdn.example/a\".png\\ x", "url(\"https://cdn.example/a%22.png%5C%20x\")")]
    public void CssUrl_NeverLetsTheUrlCloseTheStringOrTheDeclaration(string url, string expected) => Assert.Equal(expected, HtmlText.CssUrl(url));
}
