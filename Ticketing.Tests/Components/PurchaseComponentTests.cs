using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Payments;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Orders;

namespace Ticketing.Tests.Components;

public sealed class PurchaseComponentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 20, 0, 0, TimeSpan.Zero);

    private static BunitContext NewContext(ManualTimeProvider? clock = null)
    {
        var ctx = new BunitContext();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Services.AddMudServices();
        ctx.Services.AddLocalization();
        ctx.Services.AddSingleton<TimeProvider>(clock ?? new ManualTimeProvider(Now));
        return ctx;
    }

    [Fact]
    public async Task QuantityPicker_CountsUpToItsMaxAndDownToZero()
    {
        await using var ctx = NewContext();
        var value = 0;
        var cut = ctx.Render<QuantityPicker>(p => p
            .Add(x => x.Value, 0).Add(x => x.Max, 2).Add(x => x.Label, "Cat 1")
            .Add(x => x.ValueChanged, v => value = v));
        var minus = () => cut.FindAll("button")[0];
        var plus = () => cut.FindAll("button")[1];

        Assert.True(minus().HasAttribute("disabled"));
        plus().Click();
        plus().Click();
        Assert.Equal(2, value);
        Assert.Equal("2", cut.Find("output").TextContent);
        Assert.True(plus().HasAttribute("disabled"));
        minus().Click();
        Assert.Equal(1, value);
        Assert.False(plus().HasAttribute("disabled"));
    }

    [Fact]
    public async Task QuantityPicker_WhenDisabledOrWithNothingLeft_OffersNoButton()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<QuantityPicker>(p => p.Add(x => x.Value, 1).Add(x => x.Max, 0).Add(x => x.Disabled, true));
        Assert.All(cut.FindAll("button"), b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public async Task HoldCountdown_ShowsTheTimeLeftAndTellsThePageOnceWhenItIsOver()
    {
        var clock = new ManualTimeProvider(Now);
        await using var ctx = NewContext(clock);
        var expired = 0;
        var cut = ctx.Render<HoldCountdown>(p => p
            .Add(x => x.ExpiresAt, Now.AddMinutes(9).AddSeconds(5))
            .Add(x => x.OnExpired, () => expired++));
        Assert.Equal("09:05", cut.Find(".tk-countdown-time").TextContent);
        Assert.Equal("timer", cut.Find(".tk-countdown").GetAttribute("role"));

        clock.Advance(TimeSpan.FromMinutes(8));
        await cut.InvokeAsync(() => cut.Instance.TickAsync());
        Assert.Equal("01:05", cut.Find(".tk-countdown-time").TextContent);
        Assert.Contains("tk-countdown-soon", cut.Find(".tk-countdown").ClassName);
        Assert.Equal(0, expired);

        clock.Advance(TimeSpan.FromMinutes(2));
        await cut.InvokeAsync(() => cut.Instance.TickAsync());
        await cut.InvokeAsync(() => cut.Instance.TickAsync());
        Assert.Equal(1, expired);
        Assert.Empty(cut.FindAll(".tk-countdown-time"));
        Assert.Contains("tk-countdown-over", cut.Find(".tk-countdown").ClassName);
    }

    [Fact]
    public async Task HoldCountdown_ForAHoldAlreadyOver_TellsThePageAtOnce()
    {
        await using var ctx = NewContext();
        var expired = 0;
        ctx.Render<HoldCountdown>(p => p.Add(x => x.ExpiresAt, Now.AddSeconds(-1)).Add(x => x.OnExpired, () => expired++));
        Assert.Equal(1, expired);
    }

    [Fact]
    public async Task CardForm_FormatsTheNumberAndExpiryWhenLeftAndSubmitsTheCard()
    {
        await using var ctx = NewContext();
        CardDetails? submitted = null;
        var cut = ctx.Render<CardForm>(p => p.Add(x => x.AmountText, "€89.50").Add(x => x.OnSubmit, c => submitted = c));

        cut.Find("#cc-number").Change("4242424242424242");
        Assert.Equal("4242 4242 4242 4242", cut.Find("#cc-number").GetAttribute("value"));
        cut.Find("#cc-exp").Change("1230");
        Assert.Equal("12/30", cut.Find("#cc-exp").GetAttribute("value"));
        cut.Find("#cc-csc").Change("12a3");
        Assert.Equal("123", cut.Find("#cc-csc").GetAttribute("value"));
        cut.Find("#cc-name").Change("Léa Fan");
        Assert.Equal("numeric", cut.Find("#cc-number").GetAttribute("inputmode"));
        Assert.Equal("cc-number", cut.Find("#cc-number").GetAttribute("autocomplete"));

        cut.Find("form").Submit();
        Assert.NotNull(submitted);
        Assert.Equal(new CardDetails("4242424242424242", 12, 2030, "123", "Léa Fan"), submitted);
    }

    [Fact]
    public async Task CardForm_WithABadNumberExpiredDateAndNoCvc_ShowsTheErrorsAndSubmitsNothing()
    {
        await using var ctx = NewContext();
        var submits = 0;
        var cut = ctx.Render<CardForm>(p => p.Add(x => x.OnSubmit, _ => submits++));
        cut.Find("#cc-number").Change("4242 4242 4242 4241");
        cut.Find("#cc-exp").Change("0124");
        cut.Find("form").Submit();
        Assert.Equal(0, submits);
        Assert.Equal(4, cut.FindAll(".tk-field-error").Count); // number, expiry, cvc, name
        Assert.Equal("true", cut.Find("#cc-number").GetAttribute("aria-invalid"));
    }

    [Fact]
    public async Task CardForm_WhilePaying_DisablesEverythingAndShowsProgress()
    {
        await using var ctx = NewContext();
        var cut = ctx.Render<CardForm>(p => p.Add(x => x.Busy, true));
        Assert.All(cut.FindAll("input"), i => Assert.True(i.HasAttribute("disabled")));
        var button = cut.Find("button[type=submit]");
        Assert.True(button.HasAttribute("disabled"));
        Assert.Equal("true", button.GetAttribute("aria-busy"));
        Assert.NotNull(cut.Find(".tk-spinner"));
    }

    [Theory]
    [InlineData("4242-4242 4242 4242 9999", "4242 4242 4242 4242 999")]
    [InlineData("", "")]
    public void CardForm_FormatNumber_GroupsByFourAndStopsAt19Digits(string raw, string expected) =>
        Assert.Equal(expected, CardForm.FormatNumber(raw));
}
