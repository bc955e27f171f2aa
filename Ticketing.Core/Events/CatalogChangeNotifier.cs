using Microsoft.Extensions.Logging;

namespace Ticketing.Core.Events;

/// <summary>Tells every registered <see cref="ICatalogChangeObserver"/> that an event changed (none registered: nothing to do).</summary>
public sealed class CatalogChangeNotifier(IEnumerable<ICatalogChangeObserver> observers, ILogger<CatalogChangeNotifier> logger)
{
    public async Task EventChangedAsync(Guid eventId)
    {
        foreach (var observer in observers)
        {
            try
            {
                await observer.EventChangedAsync(eventId, CancellationToken.None);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Catalogue change observer {Observer} failed for event {EventId}", observer.GetType().Name, eventId);
            }
        }
    }
}
