using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Ticketing.Core.Door;

namespace Ticketing.Web.Features.Door;

/// <summary>
/// <c>Authorization: Device tkd_…</c>: a door device's token (selected by the API scheme's forwarder). Checked against the
/// database on every request (<see cref="DoorDeviceService.AuthenticateAsync"/>), so a revoked device is refused at once.
/// The principal carries no user id and no role: only the door endpoints of its event accept it
/// (<see cref="DoorDeviceFence"/> answers 403 anywhere else).
/// </summary>
public sealed class DoorDeviceAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Device";
    public const string HeaderPrefix = "Device ";
    public const string DeviceClaim = "door_device", EventClaim = "door_event", PerformancesClaim = "door_performances";
    /// <summary>The policy of the endpoints a device may call.</summary>
    public const string Policy = "DoorDevice";

    public static bool IsDeviceRequest(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith(HeaderPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!IsDeviceRequest(Request)) return AuthenticateResult.NoResult();
        var token = Request.Headers.Authorization.ToString()[HeaderPrefix.Length..].Trim();
        var devices = Context.RequestServices.GetRequiredService<DoorDeviceService>();
        var device = await devices.AuthenticateAsync(token, Context.RequestAborted);
        if (device is null) return AuthenticateResult.Fail("Unknown or revoked door device token.");
        var identity = new ClaimsIdentity(
        [
            new Claim(DeviceClaim, device.DeviceId.ToString()),
            new Claim(EventClaim, device.EventId.ToString()),
            new Claim(PerformancesClaim, string.Join(',', device.PerformanceIds)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The device a principal stands for, or null when it is a person.</summary>
    public static DoorDeviceCaller? CallerOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(DeviceClaim), out var device) && Guid.TryParse(user.FindFirstValue(EventClaim), out var ev)
            ? new DoorDeviceCaller(device, ev, (user.FindFirstValue(PerformancesClaim) ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList())
            : null;
}
