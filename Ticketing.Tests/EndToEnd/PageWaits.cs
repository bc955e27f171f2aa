using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Waiting for a URL without ever waiting for the "load" event. Playwright's <c>WaitForURLAsync</c> waits for "load" when the
/// URL already matches, even with <c>WaitUntil = Commit</c>, and after Blazor's enhanced navigation or a sign-out that
/// "load" was sometimes never reported for a page that was there (two CI runs lost a journey to it). The page's URL is
/// polled instead (Playwright updates it at each commit); the callers then wait for what they need on the page
/// (<see cref="Journey.WaitForBlazorAsync"/>, locators), which survives navigations.
/// </summary>
public static class PageWaits
{
    public static Task WaitForUrlCommittedAsync(this IPage page, string glob, float timeoutMs = 20_000)
    {
        var regex = GlobToRegex(glob);
        return page.WaitForUrlCommittedAsync(url => regex.IsMatch(url), timeoutMs, glob);
    }

    public static async Task WaitForUrlCommittedAsync(this IPage page, Func<string, bool> matches, float timeoutMs = 20_000, string? what = null)
    {
        var clock = Stopwatch.StartNew();
        while (!matches(page.Url))
        {
            if (clock.ElapsedMilliseconds > timeoutMs)
                throw new TimeoutException($"Timeout {timeoutMs} ms exceeded waiting for the URL {what ?? "predicate"}; the page is at {page.Url}");
            await Task.Delay(25);
        }
    }

    /// <summary>Playwright's URL globs as our tests use them: <c>**</c> any characters, <c>*</c> any but '/', the rest literal.</summary>
    public static Regex GlobToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*')
            {
                if (i + 1 < glob.Length && glob[i + 1] == '*') { sb.Append(".*"); i++; }
                else sb.Append("[^/]*");
            }
            else sb.Append(Regex.Escape(glob[i].ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
