using System.Globalization;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Catalog;

/// <summary>
/// Caches what every anonymous visitor sees alike: GET/HEAD without an Authorization header or a sign-in cookie, 200 only,
/// per language and query string, tagged <see cref="CatalogCache.Tag"/> for eviction. What a cached page must not
/// carry to the next visitor is removed (the antiforgery cookie of its first visitor); its CSP header is stored with it,
/// so that the nonce of the cached import map and the header's stay the same.
/// </summary>
public sealed class AnonymousCachePolicy(TimeSpan lifetime) : IOutputCachePolicy
{
    public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var request = context.HttpContext.Request;
        var cacheable = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
                        && !request.Headers.ContainsKey(HeaderNames.Authorization)
                        && !request.Cookies.ContainsKey(CatalogCache.AuthCookie);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = lifetime;
        context.Tags.Add(CatalogCache.Tag);
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.HeaderNames = new[] { HeaderNames.Accept };
        context.CacheVaryByRules.VaryByValues["culture"] = CultureInfo.CurrentUICulture.Name;
        if (cacheable)
        {
            // Registered after SecurityHeadersMiddleware's, so it runs before it (OnStarting runs in reverse order).
            var http = context.HttpContext;
            // Set now, before the page writes anything: the stored copy must carry the CSP whose nonce its import map has.
            if (http.Items.ContainsKey(SecurityHeadersMiddleware.NonceItem))
                http.Response.Headers.ContentSecurityPolicy = SecurityHeadersMiddleware.PolicyFor(SecurityHeadersMiddleware.NonceOf(http));
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode != StatusCodes.Status200OK) return Task.CompletedTask;
                var cookies = http.Response.Headers.SetCookie;
                if (cookies.Count > 0 && cookies.All(c => c is not null && c.StartsWith(CatalogCache.AntiforgeryCookiePrefix, StringComparison.Ordinal)))
                    http.Response.Headers.Remove(HeaderNames.SetCookie);
                return Task.CompletedTask;
            });
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        // Only a plain 200 without any cookie left (see the OnStarting above) is stored.
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
