namespace Ticketing.Core.Events;

/// <summary>
/// Told after an event's catalogue data changed on this instance (created, updated, published, deleted, cancelled,
/// new image). The web layer evicts its cached pages with it; other instances rely on the caches' short lifetime.
/// Never decides correctness: an observer's failure is logged by the caller and does not undo the change.
/// </summary>
public interface ICatalogChangeObserver
{
    Task EventChangedAsync(Guid eventId, CancellationToken ct);
}
