using Microsoft.AspNetCore.OutputCaching;
using Ticketing.Core.Events;

namespace Ticketing.Web.Features.Catalog;

/// <summary>An event changed on this instance: its cached pages and lists go at once (home and search show it too).</summary>
public sealed class CatalogCacheEviction(IOutputCacheStore store, ILogger<CatalogCacheEviction> logger) : ICatalogChangeObserver
{
    public async Task EventChangedAsync(Guid eventId, CancellationToken ct)
    {
        await store.EvictByTagAsync(CatalogCache.Tag, ct);
        logger.LogDebug("Catalogue cache evicted after event {EventId} changed", eventId);
    }
}
