using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Receipts;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Receipts;

/// <summary>Receipt and credit note PDFs of an order, and the organizer's accounting export.</summary>
public static class ReceiptsEndpoints
{
    public static void MapReceiptsEndpoints(this WebApplication app)
    {
        app.MapGet("/api/orders/{id:guid}/receipt", async Task<FileContentHttpResult> (Guid id, string? number, ClaimsPrincipal me, ReceiptDocuments docs,
                HttpContext http, CancellationToken ct) =>
            {
                var file = await docs.ForOrderAsync(id, Actor.From(me), CultureInfo.CurrentUICulture, number, ct);
                http.Response.Headers.CacheControl = "private, no-store";
                return TypedResults.File(file.Content, "application/pdf", file.FileName);
            })
            .WithTags("Receipts").WithName("GetOrderReceipt")
            .WithSummary("The order's receipt as PDF (buyer, event owner, Admin), or one of its credit notes with ?number=C-…")
            .WithDescription("A paid order's receipt carries its number (R-YYYY-NNNNNN, gapless per organizer and year) and the VAT breakdown. "
                + "404 when the order has no receipt (not paid) or is not yours.")
            .RequireApiAuth().Produces(200, contentType: "application/pdf").ProducesProblems(401, 404);

        app.MapGet("/api/receipts/export", async Task<FileContentHttpResult> (DateOnly from, DateOnly to, Guid? organizerId, ClaimsPrincipal me,
                ReceiptExport export, CancellationToken ct) =>
            {
                var receipts = await export.ListAsync(Actor.From(me), organizerId, from, to, ct);
                return TypedResults.File(ReceiptExport.ToCsv(receipts), "text/csv; charset=utf-8", $"receipts-{from:yyyyMMdd}-{to:yyyyMMdd}.csv");
            })
            .WithTags("Receipts").WithName("ExportReceipts")
            .WithSummary("Receipts and credit notes issued in a period (UTC days, both included) as CSV, for the accountant")
            .WithDescription("An Organizer exports its own; an Admin any organizer's with ?organizerId= (or everyone's). Credit notes have negative "
                + "amounts. Columns: number, type, issuedAtUtc, order, organizerId, buyer, method, currency, net, vat, total, vatBreakdown, corrects.")
            .RequireApiAuth(Roles.Organizer, Roles.Admin).Produces(200, contentType: "text/csv").ProducesValidationProblem().ProducesProblems(401, 403, 404);
    }
}
