namespace Ticketing.Core.WaitingRoom;

/// <summary>
/// The waiting room of one performance, switched on by its organizer. Fans who join before <see cref="OpensAt"/> are the
/// pre-queue: at the opening each gets the rank of SHA-256(seed ‖ entry id) among them; later fans follow in arrival order.
/// The seed stays secret until the opening (only its SHA-256, the commitment, is published).
/// </summary>
public sealed class PerformanceQueue
{
    public Guid PerformanceId { get; set; }
    public Guid EventId { get; set; }
    public bool Enabled { get; set; }
    /// <summary>Fans admitted per minute after the opening (the admitted count is minutes since opening × this).</summary>
    public int AdmitPerMinute { get; set; }
    public DateTimeOffset OpensAt { get; set; }
    /// <summary>Hex of the 32 random seed bytes; revealed only after <see cref="OpensAt"/>.</summary>
    public string Seed { get; set; } = "";
    /// <summary>Hex SHA-256 of the seed bytes, public from the start.</summary>
    public string Commitment { get; set; } = "";
    /// <summary>Set once, by the one request that ranked the pre-queue at the opening (a conditional update).</summary>
    public bool PlacesAssigned { get; set; }
    public int PreQueueCount { get; set; }
    /// <summary>Fans who joined after the opening: the last one's place is PreQueueCount + LateCount.</summary>
    public int LateCount { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The rate follows the purchases completed (<see cref="AdmitPerMinute"/> is then the most it admits).</summary>
    public bool AutoRate { get; set; }
    /// <summary>The admission schedule once the rate changed after the opening (<see cref="AdmissionSchedule"/>); null: one rate from the opening.</summary>
    public string? RateSchedule { get; set; }
    /// <summary>Parsed once per loaded row (rows are cached in memory and read by every status poll).</summary>
    internal IReadOnlyList<AdmissionSegment>? ParsedSchedule { get; set; }
}
