using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Reports;
using Ticketing.Core.Sales;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Reports;

/// <summary>Reports and exports of an event (owner or Admin) and the season across an organizer's events.</summary>
public static class ReportsEndpoints
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapReportsEndpoints(this WebApplication app)
    {
        var events = app.MapGroup("/api/events/{id:guid}").WithTags("Events").RequireApiAuth().ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        events.MapGet("/reports/sales", async Task<Ok<SalesReport>> (Guid id, Guid? performanceId, ClaimsPrincipal user, ReportService reports, CancellationToken ct) =>
                TypedResults.Ok(await reports.SalesAsync(id, Actor.From(user), performanceId, ct)))
            .WithName("GetSalesReport")
            .WithSummary("Tickets and revenue per channel (Online, BoxOffice, Comp, Resale), per day (UTC, day paid) and per category")
            .WithDescription("Counts the tickets that still count (valid or used). A comp is an order issued as complimentary tickets; a box-office "
                + "sale an order paid at the desk (Cash, CardTerminal, BankTransfer); an order that bought a resale listing is Resale; every other paid order is Online.");

        events.MapGet("/reports/checkin", async Task<Ok<IReadOnlyList<CheckInProgress>>> (Guid id, Guid? performanceId, ClaimsPrincipal user, ReportService reports,
                CancellationToken ct) => TypedResults.Ok(await reports.CheckInAsync(id, Actor.From(user), performanceId, ct)))
            .WithName("GetCheckInProgress")
            .WithSummary("Per performance: tickets expected, admitted, and admissions per gate (the door devices' gate; null: no gate)");

        events.MapGet("/attendees.xlsx", async Task<FileContentHttpResult> (Guid id, Guid? performanceId, ClaimsPrincipal user, SalesService sales, CancellationToken ct) =>
                TypedResults.File(ReportExports.AttendeesXlsx(await sales.GetAttendeesAsync(id, Actor.From(user), performanceId, ct)), Xlsx, $"attendees-{id:N}.xlsx"))
            .WithName("ExportEventAttendeesXlsx").WithSummary("The attendee list as an Excel workbook (XLSX)")
            .Produces(StatusCodes.Status200OK, contentType: Xlsx);

        events.MapGet("/orders.csv", async Task<FileContentHttpResult> (Guid id, Guid? performanceId, ClaimsPrincipal user, ReportService reports, CancellationToken ct) =>
                TypedResults.File(ReportExports.OrdersCsv(await reports.OrdersAsync(id, Actor.From(user), performanceId, ct)), "text/csv; charset=utf-8", $"orders-{id:N}.csv"))
            .WithName("ExportEventOrders").WithSummary("The event's paid orders (refunded ones with their status) as CSV (UTF-8 with BOM, formula-safe)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv");

        events.MapGet("/orders.xlsx", async Task<FileContentHttpResult> (Guid id, Guid? performanceId, ClaimsPrincipal user, ReportService reports, CancellationToken ct) =>
                TypedResults.File(ReportExports.OrdersXlsx(await reports.OrdersAsync(id, Actor.From(user), performanceId, ct)), Xlsx, $"orders-{id:N}.xlsx"))
            .WithName("ExportEventOrdersXlsx").WithSummary("The event's paid orders as an Excel workbook (XLSX)")
            .Produces(StatusCodes.Status200OK, contentType: Xlsx);

        app.MapGet("/api/reports/season", async Task<Ok<SeasonReport>> (Guid? ownerId, DateTimeOffset? from, DateTimeOffset? to, ClaimsPrincipal user,
                ReportService reports, CancellationToken ct) => TypedResults.Ok(await reports.SeasonAsync(Actor.From(user), ownerId, from, to, ct)))
            .WithTags("Events").RequireApiAuth(Roles.Organizer, Roles.Admin).ProducesProblem(401).ProducesProblem(403)
            .WithName("GetSeasonReport")
            .WithSummary("The organizer's events side by side (tickets, comps, check-ins, revenue) with totals; ownerId for Admins; from/to filter by dates");
    }
}
