namespace Ticketing.Core.Codes;

/// <summary>Codes are case-insensitive and ignore spaces and dashes typed around or inside them: "fan-club 2026" = "FANCLUB2026".</summary>
public static class CodeText
{
    public static string Normalize(string? code) =>
        string.Concat((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();

    /// <summary>Letters, digits, '-', '_' and spaces only; 3 to 40 characters once normalized.</summary>
    public static bool IsValid(string? code)
    {
        var n = Normalize(code);
        return n.Length is >= 3 and <= EventCode.CodeMaxLength && (code ?? "").Trim().Length <= EventCode.CodeMaxLength
            && n.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
    }
}
