namespace Ticketing.Web.Features.Door;

/// <summary>Marks the API endpoints a door device's token may call.</summary>
public sealed class DoorDeviceAllowedMetadata;

/// <summary>
/// A request under <c>/api</c> with a door device's token (<c>Authorization: Device …</c>) reaches only the endpoints marked
/// <see cref="DoorDeviceAllowedMetadata"/>; anywhere else it is answered 403, whether the token is valid or not (the
/// event-level check is the endpoint's own).
/// </summary>
public sealed class DoorDeviceFence(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/api") && DoorDeviceAuthentication.IsDeviceRequest(http.Request)
            && http.GetEndpoint()?.Metadata.GetMetadata<DoorDeviceAllowedMetadata>() is null)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        }
        return next(http);
    }
}
