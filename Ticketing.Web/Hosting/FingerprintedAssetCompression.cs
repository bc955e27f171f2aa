using System.Collections.Frozen;
using Microsoft.AspNetCore.StaticAssets.Infrastructure;

namespace Ticketing.Web.Hosting;

/// <summary>
/// Serves the compressed copy of a package's fingerprinted static assets. The SDK gives a NuGet package's assets
/// (<c>_content/MudBlazor/MudBlazor.min.css</c>, 627 KB; 42 KB as Brotli) Brotli/gzip endpoints under their plain
/// route only; the fingerprinted route that <c>@Assets[...]</c> writes into the pages
/// (<c>MudBlazor.min.k4r0it8844.css</c>) served the uncompressed file: 3 s of a 1.6 Mbps connection before the first
/// paint. A request for such a route is routed to the plain route (same file: the fingerprint is its content hash),
/// which negotiates the encoding, and keeps the fingerprinted route's year-long immutable caching.
/// Off with <c>Hosting:CompressFingerprintedPackageAssets=false</c>.
/// </summary>
public sealed class FingerprintedAssetCompression
{
    public const string ImmutableCacheControl = "max-age=31536000, immutable";
    private FrozenDictionary<string, string> _plainRouteOf = FrozenDictionary<string, string>.Empty;

    /// <summary>Fingerprinted routes (with a leading '/') that are served through their compressed plain route.</summary>
    public IReadOnlyDictionary<string, string> Routes => _plainRouteOf;

    /// <summary>After <c>MapStaticAssets()</c>: finds the fingerprinted routes that have no compressed variant while their plain route has.</summary>
    public void Learn(IEndpointRouteBuilder endpoints)
    {
        var descriptors = StaticAssetsEndpointDataSourceHelper.ResolveStaticAssetDescriptors(endpoints, null);
        var compressed = descriptors.Where(d => d.Selectors.Any(s => s.Name == "Content-Encoding")).Select(d => d.Route).ToHashSet();
        var plainOf = descriptors
            .Where(d => d.Selectors.Count == 0 && d.Properties.All(p => p.Name != "fingerprint") && compressed.Contains(d.Route))
            .GroupBy(d => d.AssetPath).ToDictionary(g => g.Key, g => g.First().Route);
        _plainRouteOf = descriptors
            .Where(d => d.Selectors.Count == 0 && d.Properties.Any(p => p.Name == "fingerprint") && !compressed.Contains(d.Route)
                && plainOf.ContainsKey(d.AssetPath))
            .GroupBy(d => d.Route)
            .ToFrozenDictionary(g => "/" + g.Key, g => "/" + plainOf[g.First().AssetPath]);
    }

    public RequestDelegate Middleware(RequestDelegate next) => http =>
    {
        if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && http.Request.Path.Value is { } path && _plainRouteOf.TryGetValue(path, out var plain))
        {
            http.Request.Path = plain;
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
                    http.Response.Headers.CacheControl = ImmutableCacheControl;
                return Task.CompletedTask;
            });
        }
        return next(http);
    };
}
