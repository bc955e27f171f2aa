using Microsoft.AspNetCore.Components;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// In-page links ("Skip to content", "Choose a date"): with <c>&lt;base href="/"&gt;</c> a bare <c>href="#id"</c> resolves
/// against the site root and sends the visitor home, so every in-page link carries the current path and query.
/// </summary>
public static class InPageLink
{
    /// <summary>"/events/…?date=…#dates" for the page being shown.</summary>
    public static string To(NavigationManager navigation, string id)
    {
        var relative = navigation.ToBaseRelativePath(navigation.Uri);
        var hash = relative.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0) relative = relative[..hash];
        return "/" + relative + "#" + id;
    }
}
