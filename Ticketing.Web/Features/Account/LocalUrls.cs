using Ticketing.Core.Common;

namespace Ticketing.Web.Features.Account;

/// <summary>
/// The one check of every <c>returnUrl</c>/<c>redirectUri</c>: a path of this site (never another host, never
/// <c>//host</c> or <c>/\host</c>), no control characters, escaped so that it is a valid <c>Location</c> header
/// (Kestrel refuses non-ASCII and control characters there, which used to answer 500). Anything else is "/".
/// </summary>
public static class LocalUrls
{
    public const int MaxLength = 2048;
    private static readonly Uri Origin = new("http://local.invalid");

    public static string SafeOrRoot(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/') return "/";
        if (url.Length > 1 && url[1] is '/' or '\\') return "/";
        if (url.Contains('\\') || UserText.Check(url) != TextProblem.None) return "/";
        if (!Uri.TryCreate(Origin, url, out var absolute) || absolute.Scheme != Origin.Scheme || absolute.Authority != Origin.Authority)
            return "/";
        var local = absolute.PathAndQuery + absolute.Fragment;
        return local.StartsWith('/') && !local.StartsWith("//") && local.All(char.IsAscii) ? local : "/";
    }
}
