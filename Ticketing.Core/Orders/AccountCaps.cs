namespace Ticketing.Core.Orders;

/// <summary>
/// What one account may have at once: tickets of an event (paid + held), tickets of one price category of that event,
/// and open holds (Reserved orders, all events). <see cref="int.MaxValue"/> means no cap. With
/// <paramref name="OneHoldPerPerformance"/>, a second running hold of the same performance is refused
/// (<c>Orders:OneHoldPerPerformance</c>).
/// </summary>
public sealed record AccountCaps(int TicketsPerEvent, int TicketsPerCategory, int OpenHolds, bool OneHoldPerPerformance = false)
{
    public static readonly AccountCaps None = new(int.MaxValue, int.MaxValue, int.MaxValue);
}
