namespace Ticketing.Core.Orders;

/// <summary>
/// When this instance last worked on a purchase (a hold that reached the database, a payment): the background work
/// that follows a sale (its confirmations: a PDF per order) paces itself while the sale is still selling, so that the
/// seats get the CPU first (docs/performance.md: the outbox loop took ~0.9 core during the sales it overlapped).
/// </summary>
public sealed class SaleActivity
{
    /// <summary>Selling = a purchase within this window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    private long _last = long.MinValue / 2;

    public void Touch() => Volatile.Write(ref _last, Environment.TickCount64);

    public bool IsSelling => Environment.TickCount64 - Volatile.Read(ref _last) < (long)Window.TotalMilliseconds;
}
