using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Tickets;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Door;

public sealed record CheckInRequest(string? Code, Guid? PerformanceId);

public static class CheckInEndpoints
{
    public static void MapCheckInEndpoints(this WebApplication app) =>
        app.MapPost("/api/checkin", async Task<Ok<CheckInResult>> (CheckInRequest request, ClaimsPrincipal user, CheckInService door, CancellationToken ct) =>
                TypedResults.Ok(DoorDeviceAuthentication.CallerOf(user) is { } device
                    ? await door.ScanAsync(request.Code, device, request.PerformanceId, ct)
                    : await door.ScanAsync(request.Code, Actor.From(user), request.PerformanceId, ct)))
            .WithTags("Tickets")
            // The organizer (their events), an Admin, or a door device (its event's tickets only).
            .RequireAuthorization(policy => policy.AddAuthenticationSchemes(ApiPolicies.ApiScheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.IsInRole(Roles.Organizer) || c.User.IsInRole(Roles.Admin) || DoorDeviceAuthentication.CallerOf(c.User) is not null))
            .WithMetadata(new DoorDeviceAllowedMetadata())
            .WithName("CheckIn")
            .WithSummary("Scan a ticket code at the door: Admitted, AlreadyUsed, Invalid, Voided or WrongPerformance; two scans admit once")
            .WithDescription("code is the signed code that the QR code carries, or the printed ticket number typed by hand (the caller's own "
                + "tickets only; with performanceId, only the tickets of that date's event).")
            .ProducesProblems(401, 403);
}
