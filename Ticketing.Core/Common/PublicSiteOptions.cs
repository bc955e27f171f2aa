namespace Ticketing.Core.Common;

/// <summary>
/// The site as people reach it (<c>App:*</c>). <see cref="PublicBaseUrl"/> makes the links in mails, texts and PDFs
/// absolute (a mail is composed by a background job, with no request to take the host from). Required outside
/// Development; in Development a missing value falls back to the first address the app listens on.
/// </summary>
public sealed class PublicSiteOptions
{
    public const string Section = "App";

    public const string RequiredMessage =
        "App:PublicBaseUrl is required outside Development: the absolute http(s) address people use to reach the site, "
        + "e.g. https://tickets.example.com (environment variable App__PublicBaseUrl). Mails and texts link to it.";

    /// <summary>e.g. <c>https://tickets.example.com</c> (a path prefix is allowed, no query).</summary>
    public string? PublicBaseUrl { get; set; }

    public static bool IsValid(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment);

    /// <summary>The base with no trailing slash, to which a path starting with '/' is appended.</summary>
    public string Link(string path) => (PublicBaseUrl ?? "").TrimEnd('/') + path;
}
