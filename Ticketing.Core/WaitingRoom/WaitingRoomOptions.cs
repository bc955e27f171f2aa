namespace Ticketing.Core.WaitingRoom;

/// <summary>Bound from "WaitingRoom".</summary>
public sealed class WaitingRoomOptions
{
    public const string Section = "WaitingRoom";
    /// <summary>How long an admitted fan's turn (and admission token) lasts; an unused turn is lost.</summary>
    public int TurnMinutes { get; set; } = 10;
    /// <summary>How long a status answer (and a queue's settings) may be served from memory; 0 reads the database every time.</summary>
    public int CacheMilliseconds { get; set; } = 500;
    /// <summary>The admission token's key (base64 of 32 bytes); generated once and kept encrypted in the database when unset.</summary>
    public string? TokenKey { get; set; }
}
