namespace Ticketing.Core.WaitingRoom;

/// <summary>A performance's <c>waitingRoom</c> in PUT /api/events/{id} (the queue opens at the performance's salesOpenAt).</summary>
public sealed class QueueSettingsInput
{
    public bool Enabled { get; set; }
    public int AdmitPerMinute { get; set; }
    /// <summary>The rate follows the purchases completed, up to <see cref="AdmitPerMinute"/>.</summary>
    public bool Automatic { get; set; }
}
