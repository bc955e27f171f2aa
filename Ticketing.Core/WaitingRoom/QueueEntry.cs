namespace Ticketing.Core.WaitingRoom;

/// <summary>One account's place in one performance's waiting room (one entry per account: a unique index).</summary>
public sealed class QueueEntry
{
    public Guid Id { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    /// <summary>Joined before the opening: placed by the seeded shuffle.</summary>
    public bool PreQueue { get; set; }
    /// <summary>1-based place; null for a pre-queue entry until the opening ranks it.</summary>
    public int? Position { get; set; }
}
