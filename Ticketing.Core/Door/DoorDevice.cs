namespace Ticketing.Core.Door;

/// <summary>
/// A phone or scanner that the organizer lets in at the door of one event: its token scans that event's tickets and
/// reads its attendee list, nothing else. Only the token's SHA-256 hash is kept; revoking it refuses the token at once.
/// </summary>
public sealed class DoorDevice
{
    public const int NameMaxLength = 100, GateMaxLength = 100;

    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public string Name { get; set; } = "";
    public string? Gate { get; set; }
    /// <summary>Comma-separated performance ids this device is limited to; empty: every date of the event.</summary>
    public string PerformanceIds { get; set; } = "";
    /// <summary>Hex SHA-256 of the plain token (<c>tkd_…</c>), which is shown once and never stored.</summary>
    public string TokenHash { get; set; } = "";
    public Guid CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastSeenAt { get; set; }
    public DateTimeOffset? LastSyncAt { get; set; }
    /// <summary>Offline admissions this device synced after another scanner had admitted the ticket.</summary>
    public int ConflictCount { get; set; }

    public IReadOnlyList<Guid> Performances =>
        PerformanceIds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToList();
}
