using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Catalog;

public static class AvailabilityEndpoints
{
    /// <summary>GET /api/performances/{id}/availability: small and cached, polled by the event page for its live badges.</summary>
    public static void MapAvailabilityEndpoints(this WebApplication app)
    {
        app.MapGroup("/api/performances").WithTags("Performances")
            .MapGet("/{id:guid}/availability", async Task<Ok<PerformanceAvailability>> (Guid id, CatalogService catalog, CancellationToken ct) =>
                TypedResults.Ok((await catalog.AvailabilityAsync([id], ct)).FirstOrDefault() ?? throw new NotFoundException()))
            .CacheOutput(CatalogCache.AvailabilityPolicy)
            .WithName("GetPerformanceAvailability")
            .WithSummary("Live availability of one date: Available, LastSeats, AllHeld (others hold the last seats) or SoldOut, per category too")
            .WithDescription("Anyone. Cached for `OutputCache:AvailabilitySeconds` (2 s by default): the event page polls it for its badges. " +
                             "`AllHeld` means no seat is free now but some are held by other fans and may come back when their holds expire. " +
                             "404 for an unknown date or a draft event's.")
            .ProducesProblems(404);
    }
}
