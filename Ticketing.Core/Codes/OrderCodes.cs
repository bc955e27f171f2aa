using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Codes;

/// <summary>
/// The codes of <c>POST /api/orders</c>: checks the access code (hidden categories, buying before the sale opens) and the
/// promo code (the discount of each ticket), then counts their uses with the hold (<see cref="CodeUses"/>). An order that
/// needs no code and carries none costs nothing here (no database read: the on-sale's hot path).
/// </summary>
public sealed class OrderCodes(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    ILogger<OrderCodes> logger)
{
    /// <summary>
    /// The codes that apply to this order, or a refusal: 409 <c>access_code_invalid</c> (a hidden category, or a purchase
    /// before the opening, without a valid code of this event; a code unknown, disabled, outside its window or not for these
    /// categories), 409 <c>promo_invalid</c> / <c>promo_expired</c>. A hidden category answers the same as no code.
    /// </summary>
    public async Task<AppliedCodes> CheckAsync(Performance performance, IReadOnlyList<PlaceOrderItem> items, string? accessCode, string? promoCode,
        DateTimeOffset now, CancellationToken ct = default)
    {
        var hidden = items.Where(i => performance.Categories.First(c => c.Id == i.CategoryId).PresaleOnly).Select(i => i.CategoryId).ToList();
        var early = performance.SalesOpenAt is { } open && now < open;
        var access = CodeText.Normalize(accessCode);
        var promo = CodeText.Normalize(promoCode);
        if (access.Length == 0 && promo.Length == 0)
        {
            if (hidden.Count > 0) throw AccessCodeInvalid("required");
            return AppliedCodes.None; // before the opening: EnsureOnSale answers sales_not_open
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var wanted = new[] { access, promo }.Where(c => c.Length > 0).ToList();
        var codes = await db.EventCodes.AsNoTracking()
            .Where(c => c.EventId == performance.EventId && wanted.Contains(c.NormalizedCode)).ToListAsync(ct);

        EventCode? accessFound = null;
        if (access.Length > 0)
        {
            accessFound = codes.FirstOrDefault(c => c.Kind == EventCodeKind.Access && c.NormalizedCode == access);
            if (accessFound is null || accessFound.DisabledAt is not null) throw AccessCodeInvalid("unknown");
            if (accessFound.ValidFrom is { } from && now < from) throw AccessCodeInvalid("not_yet_valid");
            if (accessFound.ValidTo is { } to && now >= to) throw AccessCodeInvalid("expired");
            if (items.Any(i => !accessFound.Covers(i.CategoryId))) throw AccessCodeInvalid("category");
            if (accessFound.Uses >= accessFound.MaxUses) throw AccessCodeInvalid("exhausted");
        }
        else if (hidden.Count > 0) throw AccessCodeInvalid("required");

        EventCode? promoFound = null;
        if (promo.Length > 0)
        {
            promoFound = codes.FirstOrDefault(c => c.Kind == EventCodeKind.Promo && c.NormalizedCode == promo);
            if (promoFound is null || promoFound.DisabledAt is not null) throw PromoProblem(ErrorCodes.PromoInvalid);
            if (promoFound.ValidFrom is { } from && now < from)
                throw PromoProblem(ErrorCodes.PromoInvalid, new() { ["validFrom"] = from });
            if (promoFound.ValidTo is { } to && now >= to) throw PromoProblem(ErrorCodes.PromoExpired, new() { ["validTo"] = to });
            if (!items.Any(i => promoFound.Covers(i.CategoryId))) throw PromoProblem(ErrorCodes.PromoInvalid);
            if (promoFound.Discount == DiscountKind.Amount
                && promoFound.Currency != performance.Categories.First(c => c.Id == items[0].CategoryId).Currency)
                throw PromoProblem(ErrorCodes.PromoInvalid);
            if (promoFound.Uses >= promoFound.MaxUses) throw PromoProblem(ErrorCodes.PromoExhausted);
        }
        return new AppliedCodes(accessFound, promoFound);
    }

    /// <summary>An access code of the event usable now (any category), for the booking panel; else 409 access_code_invalid.</summary>
    public async Task<EventCode> FindAccessCodeAsync(Guid eventId, string accessCode, DateTimeOffset now, CancellationToken ct = default)
    {
        var access = CodeText.Normalize(accessCode);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var code = await db.EventCodes.AsNoTracking()
            .FirstOrDefaultAsync(c => c.EventId == eventId && c.Kind == EventCodeKind.Access && c.NormalizedCode == access, ct);
        if (code is null || code.DisabledAt is not null) throw AccessCodeInvalid("unknown");
        if (code.ValidFrom is { } from && now < from) throw AccessCodeInvalid("not_yet_valid");
        if (code.ValidTo is { } to && now >= to) throw AccessCodeInvalid("expired");
        if (code.Uses >= code.MaxUses) throw AccessCodeInvalid("exhausted");
        return code;
    }

    /// <summary>The discount of one ticket of <paramref name="item"/>: at most its price (never below 0), rounded to the currency's unit.</summary>
    public static long UnitDiscount(EventCode? promo, Guid categoryId, long unitPriceMinor, string currency)
    {
        if (promo is null || !promo.Covers(categoryId) || unitPriceMinor <= 0) return 0;
        long discount;
        if (promo.Discount == DiscountKind.Percent)
        {
            var step = Currencies.DecimalsOf(currency) == 0 ? 100m : 1m; // hundredths of a currency without cents
            discount = (long)(Math.Round(unitPriceMinor * (promo.PercentBasisPoints ?? 0) / 10_000m / step, MidpointRounding.AwayFromZero) * step);
        }
        else discount = promo.AmountMinor ?? 0;
        return Math.Clamp(discount, 0, unitPriceMinor);
    }

    /// <summary>Counts the order's code uses (one per code), or refuses: 409 <c>promo_exhausted</c> / <c>access_code_invalid</c>.</summary>
    public async Task ClaimAsync(AppliedCodes codes, Order order, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!codes.Any) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (code, refusal) = await CodeUses.ClaimAsync(db, codes.ToClaim, order.Id, order.UserId, now, ct);
        if (code is null) return;
        logger.LogInformation("Code {CodeId} refused to account {UserId}: {Refusal}", code.Id, order.UserId, refusal);
        if (code.Kind == EventCodeKind.Access) throw AccessCodeInvalid(refusal == ClaimRefusal.AccountLimit ? "account_limit" : "exhausted");
        throw PromoProblem(ErrorCodes.PromoExhausted, refusal == ClaimRefusal.AccountLimit
            ? new() { ["maxUsesPerAccount"] = code.MaxUsesPerAccount }
            : new() { ["maxUses"] = code.MaxUses });
    }

    /// <summary>The uses of an order whose hold was not written (refused, or failed): given back.</summary>
    public async Task GiveBackAsync(Guid orderId)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        await CodeUses.GiveBackAsync(db, orderId);
        await tx.CommitAsync();
    }

    private DomainException AccessCodeInvalid(string reason) =>
        new(ErrorCodes.AccessCodeInvalid, localizer["Error.access_code_invalid"], new Dictionary<string, object?> { ["reason"] = reason });

    private DomainException PromoProblem(string code, Dictionary<string, object?>? data = null) =>
        new(code, localizer[$"Error.{code}"], data);
}
