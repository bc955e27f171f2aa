namespace Ticketing.Core.Orders;

/// <summary>
/// One hold for the <see cref="HoldCommitter"/>: the order to write and the caps of its buyer's account.
/// <paramref name="Subject"/> is whose allowance the order spends when it is not the order's own <c>UserId</c>: a guest
/// order of an address that has an account spends that account's (<see cref="Guests.GuestKey"/>).
/// </summary>
public sealed record HoldRequest(Order Order, AccountCaps Caps, Guid? Subject = null)
{
    /// <summary>The account (or guest address) whose caps this hold is measured against.</summary>
    public Guid Account => Subject ?? Order.UserId;

    /// <summary>The request's <c>Idempotency-Key</c>, recorded with the order when it is served (null without a key).</summary>
    public KeyedWrite? Keyed { get; init; }

    /// <summary>What the API answers for this order (the key's record replays it).</summary>
    public object? Answer { get; init; }

    /// <summary>The key's record of each served hold that has one.</summary>
    internal static List<(KeyedWrite, IdempotencyRecord)> RecordsOf(IEnumerable<HoldRequest> served, DateTimeOffset now) =>
        served.Where(h => h.Keyed is not null).Select(h => (h.Keyed!, h.Keyed!.RecordOf(h.Answer!, now))).ToList();
}
