namespace Ticketing.Core.Waitlist;

/// <summary>Bound from "Waitlist".</summary>
public sealed class WaitlistOptions
{
    public const string Section = "Waitlist";
    /// <summary>How long an offer holds the returned seats for the fan before they go to the next one.</summary>
    public int OfferMinutes { get; set; } = 30;
    /// <summary>How many seats one fan may wait for in one category.</summary>
    public int MaxQuantity { get; set; } = 10;
    /// <summary>Offer returned seats as soon as they come back (<see cref="WaitlistNudgeService"/>), not only at the 15-second job.</summary>
    public bool OfferOnReturn { get; set; } = true;
    /// <summary>How long after seats come back the offers are made (the release commits meanwhile; a burst becomes one run).</summary>
    public int OfferDelayMilliseconds { get; set; } = 500;
}

/// <summary><c>POST /api/performances/{id}/waitlist</c>.</summary>
public sealed record JoinWaitlistRequest(Guid CategoryId, int Quantity);

/// <summary>A fan's entry: their place in line while Waiting (1 = next), the held order while Offered.</summary>
public sealed record WaitlistEntryDto(Guid Id, Guid PerformanceId, Guid CategoryId, int Quantity, string Status, int? Position,
    Guid? OfferOrderId, DateTimeOffset? OfferExpiresAt, DateTimeOffset CreatedAt);
