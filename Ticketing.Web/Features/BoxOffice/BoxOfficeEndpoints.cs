using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.BoxOffice;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.BoxOffice;

/// <summary>Sales at the desk (cash, card terminal, bank transfer) by the event's owner or an Admin.</summary>
public static class BoxOfficeEndpoints
{
    public static void MapBoxOfficeEndpoints(this WebApplication app)
    {
        app.MapPost("/api/events/{id:guid}/box-office-sales", async Task<Created<OrderDto>> (Guid id, BoxOfficeSaleRequest request, ClaimsPrincipal user,
                BoxOfficeService service, CancellationToken ct) =>
            {
                var order = await service.SellAsync(id, Actor.From(user), request, ct);
                return TypedResults.Created($"/api/orders/{order.Id}", order);
            })
            .WithTags("Events").RequireApiAuth(Roles.Organizer, Roles.Admin)
            .WithName("SellAtBoxOffice")
            .WithSummary("Sell tickets at the desk: the order is Paid at once, with its tickets and receipt (event owner or Admin)")
            .WithDescription("method: Cash, CardTerminal or BankTransfer (the receipt's payment method); reference: the terminal's or the transfer's "
                + "reference. The same seat rules as online (the category's conditional update: never oversold); the sales window does not "
                + "apply at the desk, but the event must be published. With buyer.email the tickets are mailed. The sales report counts these "
                + "sales separately (boxOffice).")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblems(401, 403, 404, 409)
            .ProducesProblemCodes(ErrorCodes.SoldOut, ErrorCodes.InsufficientAvailability, ErrorCodes.PurchaseLimitExceeded,
                ErrorCodes.EventCancelled, ErrorCodes.EventNotPublished);
    }
}
