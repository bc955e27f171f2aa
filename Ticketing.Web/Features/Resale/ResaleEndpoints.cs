using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Resale;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Resale;

public static class ResaleEndpoints
{
    public static void MapResaleEndpoints(this WebApplication app)
    {
        app.MapPost("/api/tickets/{id:guid}/resale", async Task<Created<ResaleListingDto>> (Guid id, ListTicketRequest request, ClaimsPrincipal me,
                ResaleService resale, CancellationToken ct) =>
            {
                var listing = await resale.ListAsync(id, me.UserId(), request, ct);
                return TypedResults.Created($"/api/resale-listings/{listing.Id}", listing);
            })
            .WithTags("Resale").RequireApiAuth().ProducesProblem(401)
            .WithName("ListTicketForResale").WithSummary("Sell a ticket at face value: list it at a price at most what the holder paid (its holder)")
            .WithDescription("`{price}` in the ticket's currency. The ticket must be Valid and bought by the caller (their order), and its "
                + "event must allow resale. 409 resale_above_face_value above the ticket's price (with `faceValue`), ticket_used for a "
                + "scanned ticket, ticket_voided for a voided or refunded one, resale_disabled when the organizer turned resale off, "
                + "ticket_not_resellable for a ticket received (transfer, comp), resale_listing_unavailable when it is already listed.")
            .ProducesValidationProblem().ProducesProblems(404, 409)
            .ProducesProblemCodes(ErrorCodes.ResaleAboveFaceValue, ErrorCodes.TicketUsed, ErrorCodes.TicketVoided, ErrorCodes.ResaleDisabled,
                ErrorCodes.TicketNotResellable, ErrorCodes.ResaleListingUnavailable);

        var listings = app.MapGroup("/api/resale-listings").WithTags("Resale");
        listings.MapGet("", async Task<Ok<IReadOnlyList<ResaleListingDto>>> (ClaimsPrincipal me, ResaleService resale, CancellationToken ct) =>
                TypedResults.Ok(await resale.ListOwnAsync(me.UserId(), ct)))
            .RequireApiAuth().ProducesProblem(401)
            .WithName("ListOwnResaleListings").WithSummary("The caller's listings (newest first) with their status and whether the seller was refunded");

        listings.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, ClaimsPrincipal me, ResaleService resale, CancellationToken ct) =>
            {
                await resale.WithdrawAsync(id, me.UserId(), ct);
                return TypedResults.NoContent();
            })
            .RequireApiAuth().ProducesProblem(401)
            .WithName("WithdrawResaleListing").WithSummary("Withdraw an Active listing (its seller); 409 resale_listing_unavailable while a buyer holds it or once sold")
            .ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.ResaleListingUnavailable);

        listings.MapPost("/{id:guid}/order", async Task<Created<OrderDto>> (Guid id, ClaimsPrincipal me, ResaleService resale, CancellationToken ct) =>
            {
                var order = await resale.HoldAsync(id, me.UserId(), ct);
                return TypedResults.Created($"/api/orders/{order.Id}", order);
            })
            .RequireApiAuth().ProducesProblem(401)
            .WithName("BuyResaleListing").WithSummary("Hold a listing: a Reserved order for its ticket, paid like any order")
            .WithDescription("Answers the Reserved order (one item, the listing's price, no booking fee, `expiresAt` as any hold). Pay it "
                + "with POST /api/orders/{id}/payment (simulated card, or `{}` when free) or POST /api/orders/{id}/checkout (hosted page). "
                + "Once paid the seller's ticket is Voided, a new ticket (new code and number) is issued to the buyer and the seller is "
                + "refunded the listed price (credit note on their order). Of parallel buyers one holds the listing; the others get 409 "
                + "resale_listing_unavailable. An unpaid hold that ends puts the listing back on sale.")
            .ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.ResaleListingUnavailable, ErrorCodes.ResaleDisabled, ErrorCodes.SalesClosed);

        app.MapGet("/api/performances/{id:guid}/resale-listings", async Task<Ok<IReadOnlyList<ResaleOfferDto>>> (Guid id, ResaleService resale, CancellationToken ct) =>
                TypedResults.Ok(await resale.OffersAsync(id, ct)))
            .WithTags("Resale").WithName("ListResaleOffers").WithSummary("The listings on sale for a performance, cheapest first (anyone)")
            .ProducesProblems(404);

        var setting = app.MapGroup("/api/events/{id:guid}/resale").WithTags("Resale")
            .RequireApiAuth(Roles.Organizer, Roles.Admin).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        setting.MapGet("", async Task<Ok<ResaleSettingDto>> (Guid id, ClaimsPrincipal me, ResaleService resale, CancellationToken ct) =>
                TypedResults.Ok(await resale.GetSettingAsync(id, Actor.From(me), ct)))
            .WithName("GetResaleSetting").WithSummary("Whether the event's tickets may be resold at face value (owner, Admin)");
        setting.MapPut("", async Task<Ok<ResaleSettingDto>> (Guid id, ResaleSettingDto request, ClaimsPrincipal me, ResaleService resale, CancellationToken ct) =>
                TypedResults.Ok(await resale.SetSettingAsync(id, Actor.From(me), request, ct)))
            .WithName("SetResaleSetting").WithSummary("Turn face-value resale on or off for the event (owner, Admin); off by default")
            .WithDescription("Turning it off stops new listings and purchases of listings; listings already sold stay sold.")
            .ProducesValidationProblem();
    }
}
