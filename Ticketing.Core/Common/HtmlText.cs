using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Ticketing.Core.Common;

/// <summary>
/// The one place that turns user-entered text (titles, names, venues, descriptions...) into something safe to place
/// inside markup that we write as a string ourselves: mail HTML, SVG or HTML handed to a component as raw markup,
/// CSS values. Razor's <c>@value</c> already encodes; everything that bypasses it goes through here.
/// </summary>
public static class HtmlText
{
    // Letters of every script stay readable (no &#xE9; for "é"); markup characters, quotes and controls are encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Text for an HTML/SVG/XML element body or a quoted attribute value: <c>&lt; &gt; &amp; " '</c> and controls are encoded.</summary>
    public static string Encode(string? text) => string.IsNullOrEmpty(text) ? string.Empty : Encoder.Encode(text);

    /// <summary>
    /// A localized composite format (<c>"{0} sold of {1}"</c>) as markup: the format's own text is encoded, the arguments
    /// are inserted as they are, so they must already be markup built from <see cref="Encode"/>d values.
    /// </summary>
    public static string Format(string format, params object[] encodedArguments) =>
        string.Format(System.Globalization.CultureInfo.CurrentCulture, Encode(format), encodedArguments);

    /// <summary>
    /// A CSS <c>url("...")</c> for a URL that a user supplied (already checked to be http(s) or a local path): quotes,
    /// parentheses, backslashes, whitespace and controls are percent-encoded, so the value can never close the string
    /// or the declaration.
    /// </summary>
    public static string CssUrl(string url)
    {
        var sb = new StringBuilder(url.Length + 8).Append("url(\"");
        foreach (var c in url)
        {
            if (c is '"' or '\'' or '(' or ')' or '\\' or '<' or '>' or ';' or '{' or '}' || char.IsWhiteSpace(c) || char.IsControl(c))
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString())) sb.Append('%').Append(b.ToString("X2"));
            else sb.Append(c);
        }
        return sb.Append("\")").ToString();
    }
}
