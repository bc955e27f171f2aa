using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Ticketing.Core;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Events;

public static class EventsEndpoints
{
    public static void MapEventsEndpoints(this WebApplication app)
    {
        var events = app.MapGroup("/api/events").WithTags("Events");

        events.MapGet("", async Task<Ok<PagedResult<EventListItem>>> (
                    string? q, string? city, string? category, DateTimeOffset? from, DateTimeOffset? to, decimal? maxPrice,
                    CatalogSort? sort, bool? featured, int? page, int? pageSize, CatalogService catalog, CancellationToken ct) =>
                TypedResults.Ok(await catalog.SearchAsync(new CatalogQuery
                {
                    Q = q, City = city, Category = category, From = from, To = to, MaxPrice = maxPrice,
                    Sort = sort ?? CatalogSort.Date, Featured = featured,
                }, PageRequest.Create(page, pageSize), ct)))
            .CacheOutput(Catalog.CatalogCache.ApiPolicy)
            .WithName("ListEvents")
            .WithSummary("Published events with a date to come: search (accent- and case-insensitive), city, category, dates, max price, sort (Date, Price, Title, Popular)")
            .ProducesValidationProblem();

        events.MapGet("/{id:guid}", async Task<Ok<EventDetail>> (Guid id, HttpContext http, EventService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(id, await ApiUserAsync(http), ct)))
            .CacheOutput(Catalog.CatalogCache.ApiPolicy)
            .WithName("GetEvent").WithSummary("One event with its performances and price categories (drafts: owner and Admin only)")
            .ProducesProblems(404);

        var write = events.MapGroup("").RequireApiAuth(Roles.Organizer, Roles.Admin).ProducesProblem(401).ProducesProblem(403);

        write.MapPost("", async Task<Created<EventDetail>> (EventInput input, ClaimsPrincipal user, EventService service, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(input, user, ct);
                return TypedResults.Created($"/api/events/{created.Id}", created);
            })
            .WithName("CreateEvent").WithSummary("Create an event (as a Draft) with its performances and price categories")
            .ProducesValidationProblem();

        write.MapPut("/{id:guid}", async Task<Ok<EventDetail>> (Guid id, EventInput input, ClaimsPrincipal user, EventService service,
                    Ticketing.Core.WaitingRoom.WaitingRoomService rooms, CancellationToken ct) =>
            {
                var updated = await service.UpdateAsync(id, input, user, ct);
                await rooms.ApplyEventInputAsync(input, updated, Actor.From(user), ct); // performances' waitingRoom (issue 23)
                return TypedResults.Ok(updated);
            })
            .WithName("UpdateEvent")
            .WithSummary("Replace details, performances and categories (matched by id); a capacity never goes below what is sold or held")
            .ProducesValidationProblem().ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.CapacityBelowSold, ErrorCodes.EventCancelled);

        write.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, ClaimsPrincipal user, EventService service, CancellationToken ct) =>
            {
                await service.DeleteAsync(id, user, ct);
                return TypedResults.NoContent();
            })
            .WithName("DeleteEvent").WithSummary("Delete an event that never sold anything; otherwise 409 event_has_sales (cancel it instead)")
            .ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.EventHasSales);

        write.MapPost("/{id:guid}/publish", async Task<Ok<EventDetail>> (Guid id, ClaimsPrincipal user, EventService service, CancellationToken ct) =>
                TypedResults.Ok(await service.PublishAsync(id, user, ct)))
            .WithName("PublishEvent").WithSummary("Draft -> Published: the event appears in the catalogue")
            .ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.EventCancelled);

        write.MapPost("/{id:guid}/image", async Task<Ok<EventImageResult>> (Guid id, HttpRequest request, ClaimsPrincipal user,
                    EventService service, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            {
                if (request.ContentLength > EventService.MaxImageBytes + 64 * 1024) throw ImageError(l, "Validation.ImageSize", 2);
                if (!request.HasFormContentType) throw ImageError(l, "Validation.Required");
                var form = await request.ReadFormAsync(ct);
                var file = form.Files.GetFile("image") ?? form.Files.FirstOrDefault();
                if (file is null) throw ImageError(l, "Validation.Required");
                if (file.Length > EventService.MaxImageBytes) throw ImageError(l, "Validation.ImageSize", 2);
                await using var stream = file.OpenReadStream();
                return TypedResults.Ok(new EventImageResult(await service.SetImageAsync(id, stream, user, ct)));
            })
            .Accepts<IFormFile>("multipart/form-data")
            .WithName("UploadEventImage")
            .WithSummary("Upload the event's poster (multipart field 'image'): PNG, JPEG, WebP or GIF, at most 2 MB")
            .ProducesValidationProblem().ProducesProblems(404);

        app.MapGet("/media/events/{file}", IResult (string file, HttpContext http, EventImageStore store) =>
            {
                if (store.Open(file) is not { } found) return TypedResults.NotFound();
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return TypedResults.PhysicalFile(found.Path, found.ContentType);
            })
            .ExcludeFromDescription();
    }

    /// <summary>The caller on an anonymous endpoint, by bearer token or cookie (an owner sees its own drafts).</summary>
    private static async Task<ClaimsPrincipal?> ApiUserAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(ApiPolicies.ApiScheme);
        return result.Succeeded ? result.Principal : null;
    }

    private static RequestValidationException ImageError(IStringLocalizer l, string key, params object[] args) =>
        new(new Validator(l).Add("image", key, args).Errors);
}

public sealed record EventImageResult(string ImageUrl);
