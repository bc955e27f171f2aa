using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Web.Features.Door;

namespace Ticketing.Tests.Components;

public sealed class CheckInResultViewTests
{
    private static BunitContext NewContext()
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        return ctx;
    }

    [Theory]
    [InlineData("Admitted", "tk-door-admitted", "Admitted")]
    [InlineData("AlreadyUsed", "tk-door-alreadyused", "Already used")]
    [InlineData("Voided", "tk-door-voided", "Voided ticket")]
    [InlineData("Invalid", "tk-door-invalid", "Invalid ticket")]
    [InlineData("WrongPerformance", "tk-door-wrongperformance", "Wrong date or venue")]
    public async Task EachResult_HasItsColourAndWords(string result, string cssClass, string words)
    {
        await using var ctx = NewContext();
        var view = ctx.Render<CheckInResultView>(p => p.Add(v => v.Result, result).Add(v => v.TicketNumber, "PAR-0612-000123"));
        var panel = view.Find("[data-testid=door-result]");
        Assert.Contains(cssClass, panel.ClassName);
        Assert.Contains(words, panel.TextContent);
        Assert.Equal("assertive", panel.GetAttribute("aria-live"));
    }

    [Fact]
    public async Task AlreadyUsed_ShowsTheTimeOfFirstEntryInParisTime()
    {
        await using var ctx = NewContext();
        var used = new DateTimeOffset(2030, 6, 12, 18, 45, 0, TimeSpan.Zero);
        var view = ctx.Render<CheckInResultView>(p => p.Add(v => v.Result, "AlreadyUsed").Add(v => v.UsedAt, used));
        Assert.Contains("20:45", view.Find("[data-testid=door-first-entry]").TextContent);
    }

    [Fact]
    public async Task NoResult_RendersNothing_AndATapDismisses()
    {
        await using var ctx = NewContext();
        Assert.Empty(ctx.Render<CheckInResultView>().Markup.Trim());
        var dismissed = false;
        var view = ctx.Render<CheckInResultView>(p => p.Add(v => v.Result, "Invalid").Add(v => v.OnDismiss, () => { dismissed = true; }));
        view.Find("[data-testid=door-result]").Click();
        Assert.True(dismissed);
    }
}
