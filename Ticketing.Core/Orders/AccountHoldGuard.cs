namespace Ticketing.Core.Orders;

/// <summary>
/// One row per account that ever held seats: the hold transaction bumps it first (an upsert), which serializes that
/// account's holds on both databases, so the per-account caps are then checked with one read that no other hold of the
/// same account can race. It stores no allowance itself: what an account holds and bought is read from its orders, so
/// expiries, releases, refunds and cancellations give the allowance back without touching this row.
/// </summary>
public sealed class AccountHoldGuard
{
    public Guid UserId { get; set; }
    /// <summary>How many hold transactions went through this row (bumped by each; informative only).</summary>
    public long Holds { get; set; }
}
