using Ticketing.Core.Tickets;

namespace Ticketing.Core.Orders;

/// <summary>Bound from "Orders".</summary>
public sealed class OrderOptions
{
    public const string Section = "Orders";
    /// <summary>How long a Reserved order holds its seats.</summary>
    public int HoldMinutes { get; set; } = 10;
    /// <summary>How long a category stays "known sold out" in memory (the flash-sale fast path; never decides correctness).</summary>
    public int SoldOutCacheMilliseconds { get; set; } = 1500;
    /// <summary>
    /// How long a hold may use what another hold read about the performance (event status, sales window, categories
    /// and prices; never the seats). 0 reads it on every hold. Changes made by this instance are seen at once.
    /// </summary>
    public int OnSaleCacheMilliseconds { get; set; } = 1000;
    /// <summary>
    /// Group commit: at most this many concurrent holds (or payments) share one transaction; 1 turns it off.
    /// Never decides correctness (the conditional updates do), only how many buyers one commit serves.
    /// </summary>
    public int GroupCommitMaxBatch { get; set; } = 64;
    /// <summary>Tickets (paid + held) one account may have for one event, unless the event sets its own.</summary>
    public int MaxTicketsPerAccount { get; set; } = 20;
    /// <summary>Tickets (paid + held) one account may have in one price category of an event, unless the event sets its own.</summary>
    public int MaxTicketsPerAccountPerCategory { get; set; } = 15;
    /// <summary>Reserved (unpaid) orders one account may have at once, all events together; 0 turns the cap off.</summary>
    public int MaxOpenHoldsPerAccount { get; set; } = 10;
    /// <summary>
    /// When the fan leaves for the hosted payment page the hold is extended to this many minutes from then (once: never past
    /// HoldMinutes + CheckoutHoldMinutes after the hold was taken). Stripe's shortest Checkout Session lasts 30 minutes.
    /// </summary>
    public int CheckoutHoldMinutes { get; set; } = 35;
    /// One running hold per account and performance: a second one is refused with 409 hold_already_active and the
    /// running order's id (the fan is taken back to it). Off only for load tests that hold many times from one account.
    /// </summary>
    public bool OneHoldPerPerformance { get; set; } = true;
}

/// <summary>
/// <c>POST /api/orders</c>: <c>items</c> (general admission, or best available in a seated category) and/or chosen
/// <c>seats</c>; <c>accessCode</c> opens a presale, <c>promoCode</c> takes a discount off (both case-insensitive).
/// </summary>
public sealed record PlaceOrderRequest(Guid PerformanceId, IReadOnlyList<PlaceOrderItem>? Items, IReadOnlyList<Guid>? Seats = null,
    string? AccessCode = null, string? PromoCode = null);

/// <summary>A line; in a seated category the seats are always picked for the buyer (<c>bestAvailable</c>, see docs/seating.md).</summary>
public sealed record PlaceOrderItem(Guid CategoryId, int Quantity, bool BestAvailable = false);

public sealed record OrderItemDto(Guid CategoryId, string CategoryName, int Quantity, decimal UnitPrice, decimal UnitFee = 0, decimal VatRate = 5.5m,
    decimal UnitDiscount = 0, Seating.SeatRefDto? Seat = null);

public sealed record OrderDto(
    Guid Id,
    string Status,
    DateTimeOffset ExpiresAt,
    decimal Total,
    string Currency,
    IReadOnlyList<OrderItemDto> Items,
    Guid UserId,
    Guid EventId,
    string EventTitle,
    Guid PerformanceId,
    DateTimeOffset StartsAt,
    string VenueName,
    string City,
    DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt,
    IReadOnlyList<IssuedTicketDto>? Tickets = null,
    IReadOnlyList<Receipts.VatLineDto>? Vat = null,
    string? ReceiptNumber = null,
    IReadOnlyList<string>? CreditNoteNumbers = null,
    decimal Discount = 0,
    string? PromoCode = null);

/// <summary>What the booking panel shows for one performance.</summary>
public sealed record BookingOptions(
    Guid PerformanceId,
    Guid EventId,
    string EventTitle,
    bool OnSale,
    string? NotOnSaleCode,
    DateTimeOffset StartsAt,
    DateTimeOffset? SalesOpenAt,
    int MaxTicketsPerOrder,
    IReadOnlyList<BookingCategory> Categories);

public sealed record BookingCategory(Guid Id, string Name, long PriceMinor, string Currency, int Available);
