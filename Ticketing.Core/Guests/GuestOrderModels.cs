using Ticketing.Core.Orders;

namespace Ticketing.Core.Guests;

/// <summary><c>POST /api/guest/orders</c>: a hold like <c>POST /api/orders</c>, by an email address and a name instead of an account.</summary>
public sealed record PlaceGuestOrderRequest(Guid PerformanceId, IReadOnlyList<PlaceOrderItem>? Items, string? Email, string? DisplayName,
    string? Language = null, IReadOnlyList<Guid>? Seats = null, string? AccessCode = null, string? PromoCode = null);

/// <summary>
/// The guest's hold: the order, the token that authorises the guest on it (header <c>Guest-Token</c>), and the order's
/// page (the same signed link the confirmation mail carries).
/// </summary>
public sealed record GuestOrderCreated(OrderDto Order, string AccessToken, string OrderUrl);
