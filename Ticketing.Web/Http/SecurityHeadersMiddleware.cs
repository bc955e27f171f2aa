using System.Security.Cryptography;

namespace Ticketing.Web.Http;

/// <summary>
/// Baseline security headers on every answer (nginx adds the same in front; both are harmless together), and the
/// Content-Security-Policy: scripts only from our origin or carrying this request's nonce (the import map that
/// <c>App.razor</c> renders), never inline code, event-handler attributes, <c>javascript:</c> URLs or <c>eval</c>.
/// Styles keep <c>'unsafe-inline'</c>: MudBlazor writes <c>style</c> attributes and style elements at run time.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string NonceKey = "Ticketing.CspNonce";

    /// <summary>The <c>HttpContext.Items</c> key of the nonce.</summary>
    public const string NonceItem = NonceKey;

    /// <summary>The nonce of the current request (fresh random 128 bits each time), for the few script elements we render inline.</summary>
    public static string NonceOf(HttpContext context) =>
        context.Items.TryGetValue(NonceKey, out var nonce) && nonce is string s ? s : throw new InvalidOperationException(
            "No CSP nonce for this request: SecurityHeadersMiddleware must run before the page.");

    public static string PolicyFor(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; script-src-attr 'none'; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // A re-executed request (the 404 page, the error handler) runs through here again: one nonce, one header.
        if (context.Items.ContainsKey(NonceKey)) return next(context);
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var h = context.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "strict-origin-when-cross-origin";
            h["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()";
            // A page served from the output cache comes with the full CSP it was stored with (its import map carries that
            // nonce); anything else (Blazor's own frame-ancestors-only header) is replaced by ours.
            if (!h.ContentSecurityPolicy.ToString().Contains("'nonce-", StringComparison.Ordinal)) h.ContentSecurityPolicy = PolicyFor(nonce);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
