namespace Ticketing.Core.Door;

/// <summary><c>POST /api/events/{id}/door-devices</c>.</summary>
public sealed record CreateDoorDeviceRequest(string? Name, string? Gate = null, IReadOnlyList<Guid>? PerformanceIds = null);

/// <summary>The new device: its <see cref="Token"/> is shown this once; <see cref="Url"/> opens the scanner with it.</summary>
public sealed record CreatedDoorDeviceDto(Guid Id, string Name, string? Gate, IReadOnlyList<Guid> PerformanceIds, string Token, string Url);

/// <summary>A device as the organizer lists it (never its token).</summary>
public sealed record DoorDeviceDto(Guid Id, string Name, string? Gate, IReadOnlyList<Guid> PerformanceIds, DateTimeOffset CreatedAt,
    DateTimeOffset? LastSeenAt, DateTimeOffset? LastSyncAt, DateTimeOffset? RevokedAt, int Admitted, int Conflicts);

/// <summary>Who a device token is: set by the device authentication handler.</summary>
public sealed record DoorDeviceCaller(Guid DeviceId, Guid EventId, IReadOnlyList<Guid> PerformanceIds)
{
    public bool Covers(Guid performanceId) => PerformanceIds.Count == 0 || PerformanceIds.Contains(performanceId);
}

/// <summary>One ticket of the device's offline list: its status is the revocation list (Voided).</summary>
public sealed record DoorBundleTicket(Guid Id, string Number, Guid PerformanceId, string CategoryName, string Status);

public sealed record DoorBundlePerformance(Guid Id, DateTimeOffset StartsAt, string VenueName, string City);

/// <summary>
/// <c>GET /api/door/device/bundle</c>: what a device needs to scan with no network — the Ed25519 public key (base64url,
/// raw 32 bytes) that <c>TK2.</c> codes are checked with, the event's dates and tickets (Voided ones are the revocation
/// list), and <see cref="GeneratedAt"/>, how fresh the list is.
/// </summary>
public sealed record DoorBundleDto(Guid DeviceId, string DeviceName, string? Gate, Guid EventId, string EventTitle, string PublicKey,
    DateTimeOffset GeneratedAt, IReadOnlyList<DoorBundlePerformance> Performances, IReadOnlyList<DoorBundleTicket> Tickets);

/// <summary>
/// One scan the device admitted after checking the code's signature (or the printed number) against its list, and when.
/// <see cref="Offline"/> false: made online and synced at once, so a lost race is just <c>AlreadyUsed</c>, not a conflict.
/// </summary>
public sealed record OfflineScan(Guid TicketId, DateTimeOffset? ScannedAt, bool Offline = true);

/// <summary><c>POST /api/door/device/sync</c>.</summary>
public sealed record DoorSyncRequest(IReadOnlyList<OfflineScan>? Scans);

public enum OfflineScanOutcome { Admitted, Duplicate, Conflict, AlreadyUsed, Voided, Invalid }

/// <summary>
/// Per scan: <c>Admitted</c> (this scan let the holder in first), <c>Duplicate</c> (this device's own earlier sync of it),
/// <c>Conflict</c> (admitted offline after another scanner had admitted it: counted on the device), <c>AlreadyUsed</c> (the same,
/// for a scan made online), <c>Voided</c>, <c>Invalid</c> (not this device's ticket).
/// </summary>
public sealed record OfflineScanResult(Guid TicketId, OfflineScanOutcome Result);

public sealed record DoorSyncResult(int Admitted, int Conflicts, IReadOnlyList<OfflineScanResult> Results);
