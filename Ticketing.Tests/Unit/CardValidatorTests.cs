using Ticketing.Core.Payments;

namespace Ticketing.Tests.Unit;

public sealed class CardValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static CardDetails Card(string number = "4242 4242 4242 4242", int month = 12, int year = 2028, string cvc = "123", string name = "Léa Fan") =>
        new(number, month, year, cvc, name);

    [Theory]
    [InlineData("4242 4242 4242 4242", "Visa")]
    [InlineData("5555-5555-5555-4444", "Mastercard")]
    [InlineData("4000000000000002", "Visa")]
    public void Check_TheContractsTestCards_PassAndHaveABrand(string number, string brand)
    {
        Assert.Null(CardValidator.Check(Card(number), Now));
        Assert.Equal(brand, CardValidator.Brand(CardValidator.Digits(number)));
    }

    [Theory]
    [InlineData("4242 4242 4242 4241")]
    [InlineData("4242")]
    [InlineData("4242 4242 4242 424x")]
    [InlineData("")]
    public void Check_ANumberFailingLuhnOrMalformed_IsInvalidCard(string number) =>
        Assert.Equal("invalid_card", CardValidator.Check(Card(number), Now));

    [Theory]
    [InlineData("12")]
    [InlineData("12a")]
    [InlineData("")]
    public void Check_ABadCvc_IsInvalidCard(string cvc) => Assert.Equal("invalid_card", CardValidator.Check(Card(cvc: cvc), Now));

    [Fact]
    public void Check_Expiry_PastMonthIsExpiredAndThisMonthIsStillValid()
    {
        Assert.Equal("card_expired", CardValidator.Check(Card(month: 10, year: 2026), Now));
        Assert.Null(CardValidator.Check(Card(month: 11, year: 26), Now));
        Assert.Equal("invalid_card", CardValidator.Check(Card(month: 13), Now));
    }
}
