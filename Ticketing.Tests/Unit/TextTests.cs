using System.Globalization;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;

namespace Ticketing.Tests.Unit;

public sealed class TextTests
{
    [Theory]
    [InlineData("Théâtre", "theatre")]
    [InlineData("LYON", "lyon")]
    [InlineData("  Cœur  Défense ", "cœur  defense")]
    [InlineData(null, "")]
    public void SearchText_FoldsCaseAndAccents(string? input, string expected) => Assert.Equal(expected, SearchText.Normalize(input));

    [Theory]
    [InlineData("+33612345678", true)]
    [InlineData("+14155552671", true)]
    [InlineData("0612345678", false)]
    [InlineData("+0612345678", false)]
    [InlineData("+33 6 12 34 56 78", false)]
    public void PhoneNumbers_AreE164(string phone, bool valid) => Assert.Equal(valid, Ticketing.Core.Accounts.PhoneNumbers.IsE164(phone));

    [Theory]
    [InlineData("06 12 34 56 78", "+33612345678")]
    [InlineData("06.12.34.56.78", "+33612345678")]
    [InlineData("+33 6 12 34 56 78", "+33612345678")]
    [InlineData("0033 6 12 34 56 78", "+33612345678")]
    [InlineData("+1 415 555 2671", "+14155552671")]
    [InlineData("12", null)]
    [InlineData("call me", null)]
    [InlineData("", null)]
    public void PhoneNumbers_NationalAndInternationalForms_AreStoredAsE164(string input, string? expected) =>
        Assert.Equal(expected, Ticketing.Core.Accounts.PhoneNumbers.ToE164(input));

    [Fact]
    public void Money_IsFormattedInTheCulture()
    {
        Assert.Equal("45,00 €", Money.Format(4500, "EUR", new CultureInfo("fr")).Replace('\u202f', ' ').Replace('\u00a0', ' '));
        Assert.Equal("€45.00", Money.Format(4500, "EUR", new CultureInfo("en")));
    }
}
