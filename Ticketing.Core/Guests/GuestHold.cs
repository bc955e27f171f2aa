using Ticketing.Core.Orders;

namespace Ticketing.Core.Guests;

/// <summary>
/// What makes a hold a guest's (<see cref="OrderService.PlaceAsync"/>): the buyer written with the order, the name on the
/// tickets, and whose allowance it spends (<see cref="HoldRequest.Subject"/>: the account of the same address, if any).
/// </summary>
public sealed record GuestHold(string Email, string NormalizedEmail, string DisplayName, string Language, Guid? Subject)
{
    internal void Apply(Order order)
    {
        order.BuyerName = DisplayName;
        order.Guest = new GuestBuyer { OrderId = order.Id, Email = Email, NormalizedEmail = NormalizedEmail, Language = Language };
    }
}
