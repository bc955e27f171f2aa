using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Resale;

/// <summary>
/// Face-value resale. A holder lists a Valid ticket of their own purchase at most at what they paid; another fan holds the
/// listing (one conditional UPDATE Active -> Held: of any number of parallel buyers exactly one gets it) with an ordinary
/// Reserved order (<see cref="Order.ResaleListingId"/>, no seat counter moves: the seat is already sold) and pays it
/// through the normal payment paths; the sale itself is <see cref="ResaleSale"/>, the seller's refund
/// <see cref="ResaleSettlement"/>. An unpaid hold that ends puts the listing back on sale (<see cref="ReopenAsync"/>).
/// </summary>
public sealed class ResaleService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IOptions<OrderOptions> orderOptions,
    IOptions<Receipts.ReceiptOptions> receipts,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<ResaleService> logger)
{
    public async Task<ResaleSettingDto> GetSettingAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        return new ResaleSettingDto(ev.ResaleEnabled);
    }

    public async Task<ResaleSettingDto> SetSettingAsync(Guid eventId, Actor actor, ResaleSettingDto? setting, CancellationToken ct = default)
    {
        if (setting is null) throw new RequestValidationException(new Validator(localizer).Add("body", "Validation.Required").Errors);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        ev.ResaleEnabled = setting.Enabled;
        ev.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Event {EventId} resale enabled: {Enabled}", eventId, setting.Enabled);
        return new ResaleSettingDto(ev.ResaleEnabled);
    }

    /// <summary>The holder lists a ticket: Valid, bought by them (its order's buyer), at most its price, resale on for the event.</summary>
    public async Task<ResaleListingDto> ListAsync(Guid ticketId, Guid userId, ListTicketRequest? request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        if (request?.Price is not { } price) throw new RequestValidationException(v.Add("price", "Validation.Required").Errors);
        v.Require(price >= 0, "price", "Validation.NegativePrice");
        v.Require(decimal.Round(price, 2) == price, "price", "Validation.PriceDecimals");
        v.Require(price <= 1_000_000m, "price", "Validation.PriceTooHigh", 1_000_000);
        v.ThrowIfInvalid();
        var priceMinor = Money.ToMinor(price);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var holder = await TicketHolder.LoadAsync(db, userId, ct);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null || !holder.Holds(ticket)) throw new NotFoundException(localizer["Error.not_found"]);
        RefuseState(ticket);
        var ev = await db.Events.AsNoTracking().FirstAsync(e => e.Id == ticket.EventId, ct);
        if (!ev.ResaleEnabled || ev.Status != EventStatus.Published)
            throw new DomainException(ErrorCodes.ResaleDisabled, localizer["Error.resale_disabled"]);
        // The refund goes back through the payment of the order that bought the ticket: the holder must be its buyer.
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == ticket.OrderId, ct);
        if (order is null || order.UserId != userId || !OrderTransitions.IsRefundable(order.Status))
            throw new DomainException(ErrorCodes.TicketNotResellable, localizer["Error.ticket_not_resellable"]);
        var startsAt = await db.Performances.Where(p => p.Id == ticket.PerformanceId).Select(p => p.StartsAt).FirstAsync(ct);
        var now = clock.GetUtcNow();
        if (now >= startsAt) throw new DomainException(ErrorCodes.SalesClosed, localizer["Error.sales_closed"]);
        if (priceMinor > ticket.PriceMinor)
            throw new DomainException(ErrorCodes.ResaleAboveFaceValue, localizer["Error.resale_above_face_value", Money.Format(ticket.PriceMinor, ticket.Currency, System.Globalization.CultureInfo.CurrentCulture)],
                new Dictionary<string, object?> { ["faceValue"] = Money.ToDecimal(ticket.PriceMinor), ["currency"] = ticket.Currency });

        var listing = new ResaleListing
        {
            Id = Guid.CreateVersion7(), TicketId = ticket.Id, SellerId = userId, SellerOrderId = order.Id, EventId = ticket.EventId,
            PerformanceId = ticket.PerformanceId, CategoryId = ticket.CategoryId, CategoryName = ticket.CategoryName,
            PriceMinor = priceMinor, Currency = ticket.Currency, Status = ResaleListingStatus.Active, CreatedAt = now,
        };
        db.ResaleListings.Add(listing);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique filtered index: this ticket is already on sale.
            throw new DomainException(ErrorCodes.ResaleListingUnavailable, localizer["Error.resale_already_listed"]);
        }
        logger.LogInformation("Ticket {TicketId} listed for resale as {ListingId} at {PriceMinor}", ticket.Id, listing.Id, priceMinor);
        return ToDto(listing);
    }

    /// <summary>The seller withdraws an Active listing (a held one waits for its buyer's payment or expiry).</summary>
    public async Task WithdrawAsync(Guid listingId, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var listing = await db.ResaleListings.AsNoTracking().FirstOrDefaultAsync(l => l.Id == listingId && l.SellerId == userId, ct)
                      ?? throw new NotFoundException(localizer["Error.not_found"]);
        if (listing.Status == ResaleListingStatus.Withdrawn) return;
        var moved = await db.ResaleListings.Where(l => l.Id == listingId && l.Status == ResaleListingStatus.Active)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ResaleListingStatus.Withdrawn).SetProperty(l => l.WithdrawnAt, clock.GetUtcNow()), ct);
        if (moved == 0) throw new DomainException(ErrorCodes.ResaleListingUnavailable, localizer["Error.resale_listing_unavailable"]);
        logger.LogInformation("Resale listing {ListingId} withdrawn by its seller", listingId);
    }

    public async Task<IReadOnlyList<ResaleListingDto>> ListOwnAsync(Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.ResaleListings.AsNoTracking().Where(l => l.SellerId == userId).OrderByDescending(l => l.CreatedAt).Take(200).ToListAsync(ct);
        return rows.Select(ToDto).ToList();
    }

    /// <summary>The listings on sale for a performance (cheapest first), when its event allows resale.</summary>
    public async Task<IReadOnlyList<ResaleOfferDto>> OffersAsync(Guid performanceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Performances.AnyAsync(p => p.Id == performanceId, ct)) throw new NotFoundException(localizer["Error.not_found"]);
        var rows = await db.ResaleListings.AsNoTracking()
            .Where(l => l.PerformanceId == performanceId && l.Status == ResaleListingStatus.Active
                        && db.Events.Any(e => e.Id == l.EventId && e.ResaleEnabled && e.Status == EventStatus.Published))
            .OrderBy(l => l.PriceMinor).ThenBy(l => l.CreatedAt).Take(100).ToListAsync(ct);
        return rows.Select(l => new ResaleOfferDto(l.Id, l.PerformanceId, l.CategoryId, l.CategoryName, Money.ToDecimal(l.PriceMinor), l.Currency)).ToList();
    }

    /// <summary>
    /// A fan holds a listing: ONE conditional UPDATE Active -> Held (the first of parallel buyers wins; the others get 409
    /// <c>resale_listing_unavailable</c>) and the Reserved order, in one transaction. The order is paid like any other.
    /// </summary>
    public async Task<OrderDto> HoldAsync(Guid listingId, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var listing = await db.ResaleListings.AsNoTracking().FirstOrDefaultAsync(l => l.Id == listingId, ct)
                      ?? throw new NotFoundException(localizer["Error.not_found"]);
        var performance = await db.Performances.AsNoTracking().Include(p => p.Event).Include(p => p.Categories)
            .FirstAsync(p => p.Id == listing.PerformanceId, ct);
        var ev = performance.Event!;
        if (!ev.ResaleEnabled || ev.Status != EventStatus.Published)
            throw new DomainException(ErrorCodes.ResaleDisabled, localizer["Error.resale_disabled"]);
        var now = clock.GetUtcNow();
        if (now >= performance.StartsAt) throw new DomainException(ErrorCodes.SalesClosed, localizer["Error.sales_closed"]);
        if (listing.SellerId == userId || listing.Status != ResaleListingStatus.Active)
            throw new DomainException(ErrorCodes.ResaleListingUnavailable, localizer["Error.resale_listing_unavailable"]);

        var category = performance.Categories.FirstOrDefault(c => c.Id == listing.CategoryId);
        var order = new Order
        {
            Id = Guid.CreateVersion7(), UserId = userId, EventId = listing.EventId, PerformanceId = listing.PerformanceId,
            Status = OrderStatus.Reserved, Currency = listing.Currency, CreatedAt = now, ExpiresAt = now.AddMinutes(orderOptions.Value.HoldMinutes),
            TotalMinor = listing.PriceMinor, ResaleListingId = listing.Id,
            Items =
            [
                new OrderItem
                {
                    Id = Guid.CreateVersion7(), CategoryId = listing.CategoryId, CategoryName = listing.CategoryName, Quantity = 1,
                    UnitPriceMinor = listing.PriceMinor, UnitFeeMinor = 0,
                    VatRateBasisPoints = category?.VatRateBasisPoints ?? Receipts.VatRates.DefaultBasisPoints,
                },
            ],
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var held = await db.ResaleListings.Where(l => l.Id == listingId && l.Status == ResaleListingStatus.Active && l.SellerId != userId)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ResaleListingStatus.Held).SetProperty(l => l.BuyerOrderId, order.Id), ct);
            if (held == 0)
            {
                await tx.RollbackAsync(ct);
                throw new DomainException(ErrorCodes.ResaleListingUnavailable, localizer["Error.resale_listing_unavailable"]);
            }
            db.Orders.Add(order);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Resale listing {ListingId} held by order {OrderId} until {ExpiresAt}", listingId, order.Id, order.ExpiresAt);
        return OrderService.ToDto(order, ev.Title, performance, receipts.Value.BookingFeeBasisPoints);
    }

    /// <summary>
    /// An unpaid resale order ended (expired, cancelled): its listing goes back on sale, inside the caller's transaction
    /// (the one that closed the hold). Only a listing still Held by that order moves.
    /// </summary>
    public static Task<int> ReopenAsync(TicketingDbContext db, Guid listingId, Guid orderId, CancellationToken ct = default) =>
        db.ResaleListings.Where(l => l.Id == listingId && l.Status == ResaleListingStatus.Held && l.BuyerOrderId == orderId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ResaleListingStatus.Active).SetProperty(l => l.BuyerOrderId, (Guid?)null), ct);

    private void RefuseState(Ticket ticket)
    {
        if (ticket.Status == TicketStatus.Used) throw new DomainException(ErrorCodes.TicketUsed, localizer["Error.ticket_used"]);
        if (ticket.Status == TicketStatus.Voided) throw new DomainException(ErrorCodes.TicketVoided, localizer["Error.ticket_voided"]);
    }

    private static ResaleListingDto ToDto(ResaleListing l) => new(l.Id, l.TicketId, l.EventId, l.PerformanceId, l.CategoryId, l.CategoryName,
        Money.ToDecimal(l.PriceMinor), l.Currency, l.Status.ToString(), l.CreatedAt, l.SoldAt, l.SellerRefundedAt is not null);
}
