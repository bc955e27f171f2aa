namespace Ticketing.Core.Orders;

/// <summary>
/// What one account may have at once: tickets of an event (paid + held), tickets of one price category of that event,
/// and open holds (Reserved orders, all events). <see cref="int.MaxValue"/> means no cap.
/// </summary>
public sealed record AccountCaps(int TicketsPerEvent, int TicketsPerCategory, int OpenHolds)
{
    public static readonly AccountCaps None = new(int.MaxValue, int.MaxValue, int.MaxValue);
}
