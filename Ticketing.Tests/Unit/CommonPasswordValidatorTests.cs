using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Unit;

public sealed class CommonPasswordValidatorTests
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("PASSWORD")]
    [InlineData("qwertyuiop")]
    [InlineData("Baseball2026!")]
    [InlineData("  iloveyou  ")]
    public void CommonPasswords_AreRecognised_WhateverTheirCaseOrTrailingDigits(string password) =>
        Assert.True(CommonPasswordValidator.IsCommon(password));

    [Theory]
    [InlineData(TicketingApp.Password)]
    [InlineData(TicketingApp.AdminPassword)]
    [InlineData("Demo-Organizer-2026")]
    [InlineData("Admin-Box-Office-2026")]
    public void TheAppsOwnTestAndDemoPasswords_AreNotCommon(string password) =>
        Assert.False(CommonPasswordValidator.IsCommon(password));

    [Fact]
    public void TheShippedList_HoldsTensOfThousandsOfPasswords() =>
        Assert.InRange(CommonPasswordValidator.Count, 40_000, 60_000);
}
