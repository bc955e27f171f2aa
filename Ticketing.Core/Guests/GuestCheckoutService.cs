using System.Globalization;
using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Guests;

/// <summary>
/// Guest checkout: a fan buys with an email address and a name, no account. The hold is the signed-in one
/// (<see cref="OrderService.PlaceAsync"/>, same shape, sale window, seats and group commit), placed for the address's
/// <see cref="GuestKey"/>, its buyer written in the same transaction; the per-account caps apply to the address, and an
/// account with the same address shares them. Payment then goes through the usual paths with the guest's key as the
/// buyer, once the order's token (<see cref="GuestAccess"/>) is verified.
/// </summary>
public sealed class GuestCheckoutService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    OrderService orders,
    GuestAccess access,
    IStringLocalizer<SharedResource> localizer,
    ILogger<GuestCheckoutService> logger)
{
    public async Task<GuestOrderCreated> PlaceAsync(PlaceGuestOrderRequest? request, CancellationToken ct = default)
    {
        var (email, name, language) = Validate(request);
        var normalized = GuestKey.Normalize(email);
        var key = GuestKey.For(normalized);
        Guid? account;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            // An account of the same address: the guest order spends that account's allowance (and queues on its guard).
            account = await db.Users.AsNoTracking().Where(u => u.NormalizedEmail == normalized && u.DeletedAt == null)
                .Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
        }
        var order = await orders.PlaceAsync(key, new PlaceOrderRequest(request!.PerformanceId, request.Items, request.Seats, request.AccessCode, request.PromoCode), ct,
            new GuestHold(email, normalized, name, language, account));
        var token = await access.TokenAsync(order.Id, normalized, ct);
        logger.LogInformation("Guest order {OrderId} placed", order.Id);
        return new GuestOrderCreated(order, token, access.PageUrl(order.Id, token));
    }

    /// <summary>The guest's order with its tickets (the token's order only; anything else is 404).</summary>
    public async Task<OrderDto> GetAsync(Guid orderId, string? token, CancellationToken ct = default)
    {
        var key = await access.VerifyAsync(orderId, token, ct);
        return await orders.GetAsync(orderId, key, isAdmin: false, ct);
    }

    private (string Email, string DisplayName, string Language) Validate(PlaceGuestOrderRequest? request)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        var email = request.Email?.Trim() ?? "";
        if (email.Length == 0) v.Add("email", "Validation.Required");
        else if (email.Length > 256 || UserText.Check(email) != TextProblem.None || !MailAddress.TryCreate(email, out var parsed)
                 || parsed.Address != email || !email.Contains('.'))
            v.Add("email", "Validation.Email");
        var name = v.Text("displayName", request.DisplayName, 200, required: true);
        v.Require(request.PerformanceId != Guid.Empty, "performanceId", "Validation.Required");
        // Chosen seats have their own shape, checked by the hold (Seating/SeatHolds).
        if (request.Seats is not { Count: > 0 }) OrderShape.Check(v, request.Items);
        v.ThrowIfInvalid();
        var language = Languages.IsSupported(request.Language) ? request.Language!
            : Languages.IsSupported(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName) ? CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : "en";
        return (email, name!.Trim(), language);
    }
}
