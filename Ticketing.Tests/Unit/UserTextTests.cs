using Ticketing.Core.Common;
using Ticketing.Web.Features.Account;

namespace Ticketing.Tests.Unit;

public sealed class UserTextTests
{
    [Theory]
    [InlineData("Rock & <Roll>")]
    [InlineData("Tom & Jerry <3")]
    [InlineData("a < b > c")]
    [InlineData("Théâtre du Châtelet 🎭")]
    [InlineData("Ordinary text")]
    public void OrdinaryText_WithAngleBracketsOrAmpersands_IsAccepted(string text) => Assert.Equal(TextProblem.None, UserText.Check(text));

    [Theory]
    [InlineData("a\0b")]
    [InlineData("\u0001")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    [InlineData("c1\u0085")]
    public void ControlCharacters_AreRefusedInSingleLineText(string text) => Assert.Equal(TextProblem.ControlCharacter, UserText.Check(text));

    [Fact]
    public void NewlinesAndTabs_AreAcceptedOnlyInMultiLineText()
    {
        Assert.Equal(TextProblem.None, UserText.Check("Line one\r\nline two\tindented", multiLine: true));
        Assert.Equal(TextProblem.ControlCharacter, UserText.Check("Line one\0", multiLine: true));
    }

    [Theory]
    [InlineData("x", 0xD800, "y")]
    [InlineData("", 0xDC00, "")]
    [InlineData("end", 0xD83C, "")]
    [InlineData("", 0xDE00, "\U0001F600")]
    public void UnpairedSurrogates_AreRefused(string before, int surrogate, string after) =>
        Assert.Equal(TextProblem.UnpairedSurrogate, UserText.Check(before + (char)surrogate + after)); // built here: attributes cannot hold one

    [Theory]
    [InlineData("<b></b>")]
    [InlineData("<script>  </script>")]
    [InlineData(" <img src=x onerror=alert(1)> ")]
    public void TextThatIsOnlyMarkup_IsRefused(string text) => Assert.Equal(TextProblem.MarkupOnly, UserText.Check(text));

    [Theory]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    [InlineData("/events/1?x=2#top", "/events/1?x=2#top")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("/a\\..\\\\evil.example", "/")]
    [InlineData("javascript:alert(1)", "/")]
    [InlineData("/\r\nSet-Cookie: x=1", "/")]
    [InlineData("/\t/evil.example", "/")]
    [InlineData("/a\0b", "/")]
    [InlineData("/événements?q=é", "/%C3%A9v%C3%A9nements?q=%C3%A9")]
    public void ReturnUrls_StayOnThisSiteAndAreValidLocationHeaders(string? url, string expected) => Assert.Equal(expected, LocalUrls.SafeOrRoot(url));

    [Theory]
    [InlineData(int.MaxValue, int.MaxValue)]
    [InlineData(int.MinValue, int.MinValue)]
    [InlineData(null, null)]
    public void Paging_NeverOverflowsTheOffset(int? page, int? pageSize)
    {
        var request = PageRequest.Create(page, pageSize);
        Assert.InRange(request.Skip, 0, int.MaxValue);
        Assert.InRange(request.Page, 1, PageRequest.MaxPage);
        Assert.InRange(request.PageSize, 1, PageRequest.MaxPageSize);
    }
}
