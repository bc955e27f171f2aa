namespace Ticketing.Web.Features.Seating;

/// <summary>The seats chosen on the map (their ids, for <c>PlaceOrderRequest.Seats</c>) and their total price in minor units.</summary>
public sealed record SeatSelection(IReadOnlyList<Guid> Ids, long TotalMinor)
{
    public static readonly SeatSelection None = new([], 0);
}
