using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Seating;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Seating;

public static class SeatingEndpoints
{
    public static void MapSeatingEndpoints(this WebApplication app)
    {
        var plans = app.MapGroup("/api/seating-plans").WithTags("Seating").RequireApiAuth(Roles.Organizer, Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403);

        plans.MapPost("", async Task<Created<SeatingPlanCreated>> (SeatingPlanInput input, ClaimsPrincipal user, SeatingPlanService service,
                    CancellationToken ct) =>
            {
                var created = await service.CreateAsync(input, Actor.From(user), ct);
                return TypedResults.Created($"/api/seating-plans/{created.Id}", created);
            })
            .WithName("CreateSeatingPlan")
            .WithSummary("Create (or import) a seating plan: sections, rows, seats (label, x, y, category, flags) and standing zones")
            .WithDescription("The body has the shape GET /api/seating-plans/{id} answers (the JSON export; ids are ignored). At most 100,000 seats "
                + "(400 seating_plan_too_large); at least one seat or standing zone (400 seating_plan_empty); a seat's label is unique in its "
                + "section and row (400 seat_label_duplicate).")
            .ProducesValidationProblem().ProducesProblems(400)
            .ProducesProblemCodes(ErrorCodes.SeatingPlanEmpty, ErrorCodes.SeatingPlanTooLarge, ErrorCodes.SeatLabelDuplicate);

        plans.MapPost("/generate", Ok<SeatingPlanInput> (GeneratePlanInput input, Microsoft.Extensions.Localization.IStringLocalizer<Ticketing.Core.SharedResource> localizer) =>
                TypedResults.Ok(SeatBlockGenerator.Generate(input, localizer)))
            .WithName("GenerateSeatingPlan")
            .WithSummary("Draw blocks of rows × seats (straight or curved; numbering LeftToRight, RightToLeft or OddEven) into a plan body; nothing is stored")
            .WithDescription("Answers the body to POST to /api/seating-plans (edit it first if needed). Rows are lettered from firstRow (A…Z, AA…), "
                + "the first closest to the stage; OddEven numbers seats from the centre outward, odd on the left and even on the right.")
            .ProducesValidationProblem().ProducesProblems(400)
            .ProducesProblemCodes(ErrorCodes.SeatingPlanEmpty, ErrorCodes.SeatingPlanTooLarge);

        plans.MapGet("", async Task<Ok<IReadOnlyList<SeatingPlanSummary>>> (ClaimsPrincipal user, SeatingPlanService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(Actor.From(user), ct)))
            .WithName("ListSeatingPlans").WithSummary("The caller's seating plans (Admin: everyone's), newest first");

        plans.MapGet("/{id:guid}", async Task<Ok<SeatingPlanDto>> (Guid id, ClaimsPrincipal user, SeatingPlanService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(id, Actor.From(user), ct)))
            .WithName("GetSeatingPlan").WithSummary("One seating plan with its ids (the JSON export): its owner and Admins; 404 for anyone else")
            .ProducesProblems(404);

        app.MapGet("/api/performances/{id:guid}/seats", async Task<Results<Ok<PerformanceSeatsDto>, Ok<CompactSeatMapDto>>> (Guid id, string? format,
                string? ordinals, SeatingPlanService service, SeatMapService maps, CancellationToken ct) =>
            {
                if (string.Equals(format, "compact", StringComparison.OrdinalIgnoreCase)) return TypedResults.Ok(await maps.GetCompactAsync(id, ct));
                if (!string.IsNullOrWhiteSpace(ordinals))
                {
                    var wanted = ordinals.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(o => int.TryParse(o, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : int.MinValue)
                        .Where(n => n != int.MinValue).Distinct().ToList();
                    return TypedResults.Ok(new PerformanceSeatsDto(id, await maps.GetByOrdinalsAsync(id, wanted, ct)));
                }
                return TypedResults.Ok(await service.GetSeatsAsync(id, ct));
            })
            .WithTags("Seating")
            .WithName("GetPerformanceSeats")
            .WithSummary("The seats of one performance with their status (Available, Held, Sold, Blocked), in plan order; empty for general admission")
            .WithDescription("?format=compact answers the compact map (about 10 bytes a seat gzipped): rows as [section, label, count] runs, "
                + "per-seat arrays (labels, ordinal/x/y as differences, category index, sparse flags) and a status string (A, H, S, B) with its "
                + "version for GET /seats/changes. ?ordinals=3,4 answers only those seats of the plan (their ids, to book them).")
            .ProducesProblems(404);

        app.MapGet("/api/performances/{id:guid}/seats/changes", async Task<Ok<SeatChangesDto>> (Guid id, string? since, SeatMapService maps,
                CancellationToken ct) => TypedResults.Ok(await maps.GetChangesAsync(id, since, ct)))
            .WithTags("Seating")
            .WithName("GetPerformanceSeatChanges")
            .WithSummary("Availability delta: the seats whose status changed since a version of the compact map ([[index, status]]), and the new version")
            .WithDescription("Poll it every few seconds with the last version seen. full=true (with the whole status string) when that version is "
                + "unknown (too old, or made by another server). Snapshots are at most about a second old.")
            .ProducesProblems(404);
    }
}
