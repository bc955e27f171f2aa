using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Door;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Door;

public static class DoorDeviceEndpoints
{
    public static void MapDoorDeviceEndpoints(this WebApplication app)
    {
        var manage = app.MapGroup("/api/events/{id:guid}/door-devices").WithTags("Door devices")
            .RequireApiAuth(Roles.Organizer, Roles.Admin).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        manage.MapPost("", async Task<Created<CreatedDoorDeviceDto>> (Guid id, CreateDoorDeviceRequest request, ClaimsPrincipal user,
                DoorDeviceService devices, HttpContext http, CancellationToken ct) =>
            {
                var created = await devices.CreateAsync(id, request, Actor.From(user), ct);
                var absolute = created with { Url = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}{created.Url}" };
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Created($"/api/events/{id}/door-devices/{created.Id}", absolute);
            })
            .WithName("CreateDoorDevice")
            .WithSummary("Create a door device for the event (owner, Admin)")
            .WithDescription("Answers the device's token once (only its hash is kept) and the scanner's link with the token in its fragment. " +
                "The token scans this event's tickets and reads its attendee list, nothing else.")
            .ProducesValidationProblem().ProducesProblemCodes(ErrorCodes.DoorDeviceLimit);

        manage.MapGet("", async Task<Ok<IReadOnlyList<DoorDeviceDto>>> (Guid id, ClaimsPrincipal user, DoorDeviceService devices, CancellationToken ct) =>
                TypedResults.Ok(await devices.ListAsync(id, Actor.From(user), ct)))
            .WithName("ListDoorDevices")
            .WithSummary("The event's door devices with their last activity (owner, Admin)")
            .WithDescription("Never the tokens: their last request, last sync, admissions and offline conflicts, and when they were revoked.");

        manage.MapDelete("/{deviceId:guid}", async Task<NoContent> (Guid id, Guid deviceId, ClaimsPrincipal user, DoorDeviceService devices, CancellationToken ct) =>
            {
                await devices.RevokeAsync(id, deviceId, Actor.From(user), ct);
                return TypedResults.NoContent();
            })
            .WithName("RevokeDoorDevice")
            .WithSummary("Revoke a door device (owner, Admin)")
            .WithDescription("The device's token is refused from its next request on (401), on every instance.");

        var device = app.MapGroup("/api/door/device").WithTags("Door devices")
            .RequireAuthorization(DoorDeviceAuthentication.Policy).WithMetadata(new DoorDeviceAllowedMetadata()).ProducesProblem(401).ProducesProblem(403);

        device.MapGet("/bundle", async Task<Ok<DoorBundleDto>> (ClaimsPrincipal user, OfflineDoorService door, HttpContext http, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "no-store";
                return TypedResults.Ok(await door.GetBundleAsync(DoorDeviceAuthentication.CallerOf(user)!, ct));
            })
            .WithName("GetDoorBundle")
            .WithSummary("What a door device needs to scan offline (device token)")
            .WithDescription("The Ed25519 public key that TK2 codes are checked with, the event's dates, and its tickets with their status " +
                "(Voided ones are the revocation list); generatedAt tells how fresh the list is.");

        device.MapPost("/sync", async Task<Ok<DoorSyncResult>> (DoorSyncRequest request, ClaimsPrincipal user, OfflineDoorService door, CancellationToken ct) =>
                TypedResults.Ok(await door.SyncAsync(DoorDeviceAuthentication.CallerOf(user)!, request.Scans ?? [], ct)))
            .WithName("SyncDoorScans")
            .WithSummary("Send the scans a door device made (device token)")
            .WithDescription("Each scan is one conditional admission: the first scanner wins; a ticket another scanner admitted first is " +
                "a Conflict (counted on the device), the same device's repeated sync a Duplicate, a voided ticket Voided.")
            .ProducesValidationProblem();
    }
}
