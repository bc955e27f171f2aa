using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Door;

/// <summary>
/// The organizer's door devices (the event's owner or an Admin): create one (its token is answered once), list them
/// with their last activity, revoke one. <see cref="AuthenticateAsync"/> is the only way a token becomes a caller, and
/// it reads the database every time: a revoked token is refused on its very next request, on every instance.
/// </summary>
public sealed class DoorDeviceService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<DoorDeviceService> logger)
{
    public const string TokenPrefix = "tkd_";
    /// <summary>The scanner's address; the token travels in the fragment, which browsers never send to a server.</summary>
    public const string ScannerPath = "/door/device";
    public const int MaxDevicesPerEvent = 200;

    public async Task<CreatedDoorDeviceDto> CreateAsync(Guid eventId, CreateDoorDeviceRequest request, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var v = new Validator(localizer);
        var name = v.Text("name", request.Name, DoorDevice.NameMaxLength, required: true);
        var gate = v.Text("gate", request.Gate, DoorDevice.GateMaxLength);
        var performances = (request.PerformanceIds ?? []).Distinct().ToList();
        if (performances.Count > 0)
        {
            var known = await db.Performances.CountAsync(p => p.EventId == eventId && performances.Contains(p.Id), ct);
            v.Require(known == performances.Count && performances.Count <= 50, "performanceIds", "Validation.DoorPerformances");
        }
        v.ThrowIfInvalid();
        if (await db.DoorDevices.CountAsync(d => d.EventId == eventId && d.RevokedAt == null, ct) >= MaxDevicesPerEvent)
            throw new DomainException(ErrorCodes.DoorDeviceLimit, localizer["Error.door_device_limit", MaxDevicesPerEvent]);

        var token = TokenPrefix + Base64UrlToken();
        var device = new DoorDevice
        {
            Id = Guid.CreateVersion7(), EventId = eventId, Name = name!, Gate = gate, PerformanceIds = string.Join(',', performances),
            TokenHash = Hash(token), CreatedBy = actor.UserId, CreatedAt = clock.GetUtcNow(),
        };
        db.DoorDevices.Add(device);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Door device {DeviceId} created for event {EventId} by {UserId}", device.Id, eventId, actor.UserId);
        return new CreatedDoorDeviceDto(device.Id, device.Name, device.Gate, performances, token, ScannerPath + "#token=" + token);
    }

    public async Task<IReadOnlyList<DoorDeviceDto>> ListAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var devices = await db.DoorDevices.AsNoTracking().Where(d => d.EventId == eventId).OrderBy(d => d.CreatedAt).ToListAsync(ct);
        var ids = devices.Select(d => d.Id).ToList();
        var admitted = await db.Tickets.Where(t => t.AdmittedByDeviceId != null && ids.Contains(t.AdmittedByDeviceId.Value))
            .GroupBy(t => t.AdmittedByDeviceId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return devices.Select(d => new DoorDeviceDto(d.Id, d.Name, d.Gate, d.Performances, d.CreatedAt, d.LastSeenAt, d.LastSyncAt,
            d.RevokedAt, admitted.FirstOrDefault(a => a.Key == d.Id)?.Count ?? 0, d.ConflictCount)).ToList();
    }

    /// <summary>Revokes the device: its token is refused from the next request on. Revoking twice is harmless.</summary>
    public async Task RevokeAsync(Guid eventId, Guid deviceId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var now = clock.GetUtcNow();
        var found = await db.DoorDevices.AnyAsync(d => d.Id == deviceId && d.EventId == eventId, ct);
        if (!found) throw new NotFoundException(localizer["Error.not_found"]);
        await db.DoorDevices.Where(d => d.Id == deviceId && d.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RevokedAt, now), ct);
        logger.LogInformation("Door device {DeviceId} of event {EventId} revoked by {UserId}", deviceId, eventId, actor.UserId);
    }

    /// <summary>The caller a token stands for, or null (unknown, malformed or revoked). Notes the device's last activity (at most once a minute).</summary>
    public async Task<DoorDeviceCaller?> AuthenticateAsync(string? token, CancellationToken ct = default)
    {
        if (token is null || !token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length is < 20 or > 100) return null;
        var hash = Hash(token);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var device = await db.DoorDevices.AsNoTracking().FirstOrDefaultAsync(d => d.TokenHash == hash && d.RevokedAt == null, ct);
        if (device is null) return null;
        var now = clock.GetUtcNow();
        var before = now.AddMinutes(-1);
        if (device.LastSeenAt is null || device.LastSeenAt < before)
            await db.DoorDevices.Where(d => d.Id == device.Id && (d.LastSeenAt == null || d.LastSeenAt < before))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastSeenAt, now), ct);
        return new DoorDeviceCaller(device.Id, device.EventId, device.Performances);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
