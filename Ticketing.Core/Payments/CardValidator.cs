namespace Ticketing.Core.Payments;

/// <summary>What can be told about a card before asking any gateway: Luhn, expiry, CVC, brand. Pure, no I/O.</summary>
public static class CardValidator
{
    /// <summary>The digits of a number typed with spaces or dashes; empty when anything else is in it.</summary>
    public static string Digits(string? number)
    {
        if (string.IsNullOrWhiteSpace(number)) return "";
        var chars = new char[number.Length];
        var n = 0;
        foreach (var ch in number)
        {
            if (char.IsAsciiDigit(ch)) chars[n++] = ch;
            else if (ch is not (' ' or '-')) return "";
        }
        return new string(chars, 0, n);
    }

    public static bool PassesLuhn(string digits)
    {
        if (digits.Length is < 12 or > 19) return false;
        var sum = 0;
        var doubleIt = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var d = digits[i] - '0';
            if (doubleIt && (d *= 2) > 9) d -= 9;
            sum += d;
            doubleIt = !doubleIt;
        }
        return sum % 10 == 0;
    }

    public static string Brand(string digits) => digits switch
    {
        ['4', ..] => "Visa",
        ['5', >= '1' and <= '5', ..] => "Mastercard",
        ['2', ..] when int.TryParse(digits.AsSpan(0, 4), out var p) && p is >= 2221 and <= 2720 => "Mastercard",
        ['3', '4' or '7', ..] => "Amex",
        _ => "Card",
    };

    public static string Last4(string digits) => digits.Length >= 4 ? digits[^4..] : digits;

    /// <summary>Two-digit years are this century's.</summary>
    public static int FullYear(int year) => year is >= 0 and < 100 ? 2000 + year : year;

    /// <summary>Null when the card may be sent to a gateway; else <c>invalid_card</c> or <c>card_expired</c>.</summary>
    public static string? Check(CardDetails? card, DateTimeOffset now)
    {
        if (card is null) return "invalid_card";
        var digits = Digits(card.Number);
        if (!PassesLuhn(digits)) return "invalid_card";
        if (card.Cvc is not { Length: 3 or 4 } cvc || !cvc.All(char.IsAsciiDigit)) return "invalid_card";
        if (card.ExpiryMonth is < 1 or > 12) return "invalid_card";
        var year = FullYear(card.ExpiryYear);
        if (year < 2000 || year > now.Year + 25) return "invalid_card";
        if (year < now.Year || (year == now.Year && card.ExpiryMonth < now.Month)) return "card_expired";
        if (string.IsNullOrWhiteSpace(card.CardholderName) || card.CardholderName.Length > 100) return "invalid_card";
        return null;
    }
}
