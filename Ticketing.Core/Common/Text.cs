using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ticketing.Core.Common;

public static class SearchText
{
    /// <summary>Lower-case, accent-free form used for search on both SQLite and PostgreSQL ("Théâtre" -> "theatre").</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return string.Empty;
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsWhiteSpace(ch) ? ' ' : char.ToLowerInvariant(ch));
        }
        return sb.ToString().Normalize(NormalizationForm.FormC).Trim();
    }
}

/// <summary>What is wrong with a user-entered text, if anything (see <see cref="UserText.Check"/>).</summary>
public enum TextProblem
{
    None,
    /// <summary>A control character (NUL included: PostgreSQL refuses it in text); newline and tab only where a field allows lines.</summary>
    ControlCharacter,
    /// <summary>Half of a UTF-16 surrogate pair: no valid UTF-8, PostgreSQL and every encoder refuse it.</summary>
    UnpairedSurrogate,
    /// <summary>Nothing but markup tags (<c>&lt;b&gt;&lt;/b&gt;</c>): no field has a use for it. Text that merely contains <c>&lt;</c> or <c>&amp;</c> is fine.</summary>
    MarkupOnly,
}

/// <summary>
/// The one rule for every text a user enters (titles, names, descriptions, search terms): no control characters (except
/// newline and tab in multi-line fields), no unpaired surrogates, not markup only. Output encoding is a separate concern:
/// "Rock &amp; &lt;Roll&gt;" is accepted here and encoded wherever it is shown.
/// </summary>
public static partial class UserText
{
    public static TextProblem Check(string value, bool multiLine = false)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var ch = value[i];
            if (char.IsHighSurrogate(ch))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
                return TextProblem.UnpairedSurrogate;
            }
            if (char.IsLowSurrogate(ch)) return TextProblem.UnpairedSurrogate;
            if (char.IsControl(ch) && !(multiLine && ch is '\n' or '\r' or '\t')) return TextProblem.ControlCharacter;
        }
        return IsMarkupOnly(value) ? TextProblem.MarkupOnly : TextProblem.None;
    }

    /// <summary>True when the text has at least one tag and nothing else but white space once the tags are removed.</summary>
    public static bool IsMarkupOnly(string value) =>
        value.Contains('<') && TagRegex().IsMatch(value) && string.IsNullOrWhiteSpace(TagRegex().Replace(value, ""));

    /// <summary>The trimmed text, or null when there is none.</summary>
    public static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"<[^<>]*>")]
    private static partial Regex TagRegex();
}
