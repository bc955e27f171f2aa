using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Codes;
using Ticketing.Core.Common;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Codes;

/// <summary>Access codes (presales) and promo codes of an event (event owner or Admin); fans type them at checkout (POST /api/orders).</summary>
public static class CodesEndpoints
{
    public static void MapCodesEndpoints(this WebApplication app)
    {
        var events = app.MapGroup("/api/events/{id:guid}").WithTags("Codes").RequireApiAuth(Roles.Organizer, Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        events.MapPost("/access-codes", async Task<Created<AccessCodeDto>> (Guid id, CreateAccessCodeRequest request, ClaimsPrincipal user,
                EventCodeService service, CancellationToken ct) =>
            {
                var code = await service.CreateAccessCodeAsync(id, Actor.From(user), request, ct);
                return TypedResults.Created($"/api/events/{id}/access-codes/{code.Id}", code);
            })
            .WithName("CreateAccessCode")
            .WithSummary("Create a presale access code: it opens the event's hidden categories and buying before the sale opens")
            .WithDescription("`{code, maxUses, categoryIds?, validFrom?, validTo?, maxUsesPerAccount?}`. Codes are case-insensitive (spaces and dashes "
                + "ignored), 3-40 letters, digits or '_', unique per event. A code is valid from validFrom (inclusive) to validTo (exclusive); "
                + "during that window POST /api/orders with `accessCode` may buy before the performance's salesOpenAt and buy the categories "
                + "flagged `presaleOnly` (categoryIds limits the code to those categories; absent: every category of the event). Each order "
                + "uses the code once; uses are counted exactly (never above maxUses, even in parallel) and given back when the hold ends unpaid.")
            .Produces<AccessCodeDto>(StatusCodes.Status201Created).ProducesValidationProblem();

        events.MapGet("/access-codes", async Task<Ok<PagedResult<AccessCodeDto>>> (Guid id, int? page, int? pageSize, ClaimsPrincipal user,
                EventCodeService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAccessCodesAsync(id, Actor.From(user), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListAccessCodes").WithSummary("The event's access codes with their uses, newest first (paged)");

        events.MapPost("/access-codes/{codeId:guid}/disable", async Task<Ok<AccessCodeDto>> (Guid id, Guid codeId, ClaimsPrincipal user,
                EventCodeService service, CancellationToken ct) =>
                TypedResults.Ok(await service.DisableAccessCodeAsync(id, codeId, Actor.From(user), ct)))
            .WithName("DisableAccessCode").WithSummary("Disable an access code: refused from now on (holds already taken keep it)");

        events.MapPost("/promo-codes", async Task<Created<PromoCodeDto>> (Guid id, CreatePromoCodeRequest request, ClaimsPrincipal user,
                EventCodeService service, CancellationToken ct) =>
            {
                var code = await service.CreatePromoCodeAsync(id, Actor.From(user), request, ct);
                return TypedResults.Created($"/api/events/{id}/promo-codes/{code.Id}", code);
            })
            .WithName("CreatePromoCode")
            .WithSummary("Create a promo code: a percentage or a fixed amount off each ticket, for the event or some of its categories")
            .WithDescription("`{code, maxUses, percent? | amount?, categoryIds?, validFrom?, validTo?, maxUsesPerAccount?}`: exactly one of percent "
                + "(0 < p <= 100, at most 2 decimals) and amount (off each ticket, in the event's currency, at most its decimals). The discount "
                + "applies to the ticket prices (not the booking fee), never takes a ticket below 0, and is rounded to the currency's unit "
                + "(half away from zero). POST /api/orders takes `promoCode`; the order shows `discount` and `promoCode`, each item its "
                + "`unitDiscount`, and the receipt and VAT lines are computed on the discounted prices. Each order uses the code once: at most "
                + "maxUses orders, and maxUsesPerAccount per account; a hold that ends unpaid gives its use back, a paid order keeps it (also "
                + "when refunded).")
            .Produces<PromoCodeDto>(StatusCodes.Status201Created).ProducesValidationProblem();

        events.MapGet("/promo-codes", async Task<Ok<PagedResult<PromoCodeDto>>> (Guid id, int? page, int? pageSize, ClaimsPrincipal user,
                EventCodeService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListPromoCodesAsync(id, Actor.From(user), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListPromoCodes").WithSummary("The event's promo codes with their uses, newest first (paged)");

        events.MapPost("/promo-codes/{codeId:guid}/disable", async Task<Ok<PromoCodeDto>> (Guid id, Guid codeId, ClaimsPrincipal user,
                EventCodeService service, CancellationToken ct) =>
                TypedResults.Ok(await service.DisablePromoCodeAsync(id, codeId, Actor.From(user), ct)))
            .WithName("DisablePromoCode").WithSummary("Disable a promo code: refused from now on (holds already taken keep their discount)");
    }
}
