namespace Ticketing.Core.Orders;

/// <summary>
/// What the accounts of a hold batch hold and bought, read under their <see cref="AccountHoldGuard"/> rows, and the
/// test of one more order against <see cref="AccountCaps"/> (pure, no I/O).
/// </summary>
internal sealed class AccountUsage
{
    private readonly Dictionary<(Guid User, Guid Event), int> _perEvent = [];
    private readonly Dictionary<(Guid User, Guid Event, Guid Category), int> _perCategory = [];
    private readonly Dictionary<Guid, HashSet<Guid>> _openHolds = [];
    private readonly Dictionary<(Guid User, Guid Performance), Dictionary<Guid, DateTimeOffset>> _running = [];

    public AccountUsage(IEnumerable<AccountUsageRow> rows)
    {
        foreach (var r in rows)
        {
            if (r.Status == OrderStatus.Reserved)
            {
                OpenHolds(r.UserId).Add(r.OrderId);
                Running(r.UserId, r.PerformanceId)[r.OrderId] = r.ExpiresAt;
            }
            Add(r.UserId, r.EventId, r.CategoryId, r.Quantity);
        }
    }

    /// <summary>
    /// Another hold of the same account and performance that still runs when <paramref name="order"/> is placed (its
    /// expiry after the order's creation), when the caps allow one hold per performance only; else null.
    /// </summary>
    public Guid? RunningHold(HoldRequest hold)
    {
        var (order, caps) = (hold.Order, hold.Caps);
        if (!caps.OneHoldPerPerformance) return null;
        foreach (var (id, expiresAt) in Running(hold.Account, order.PerformanceId).OrderBy(h => h.Key))
        {
            if (id != order.Id && expiresAt > order.CreatedAt) return id;
        }
        return null;
    }

    /// <summary>True when the account can take <paramref name="order"/> on top of what it has.</summary>
    public bool Allows(HoldRequest hold)
    {
        var (order, caps, account) = (hold.Order, hold.Caps, hold.Account);
        var holds = OpenHolds(account);
        if (!holds.Contains(order.Id) && holds.Count + 1 > caps.OpenHolds) return false;
        if (_perEvent.GetValueOrDefault((account, order.EventId)) + order.TotalQuantity > caps.TicketsPerEvent) return false;
        return order.Items.GroupBy(i => i.CategoryId).All(g =>
            _perCategory.GetValueOrDefault((account, order.EventId, g.Key)) + g.Sum(i => i.Quantity) <= caps.TicketsPerCategory);
    }

    /// <summary>True when what is recorded (the batch's orders included) is within every order's caps.</summary>
    public bool WithinCaps(IEnumerable<HoldRequest> holds) => holds.All(h =>
        RunningHold(h) is null
        && OpenHolds(h.Account).Count <= h.Caps.OpenHolds
        && _perEvent.GetValueOrDefault((h.Account, h.Order.EventId)) <= h.Caps.TicketsPerEvent
        && h.Order.Items.All(i => _perCategory.GetValueOrDefault((h.Account, h.Order.EventId, i.CategoryId)) <= h.Caps.TicketsPerCategory));

    public void Record(HoldRequest hold)
    {
        var (order, account) = (hold.Order, hold.Account);
        OpenHolds(account).Add(order.Id);
        Running(account, order.PerformanceId)[order.Id] = order.ExpiresAt;
        foreach (var i in order.Items) Add(account, order.EventId, i.CategoryId, i.Quantity);
    }

    private void Add(Guid user, Guid ev, Guid category, int quantity)
    {
        _perEvent[(user, ev)] = _perEvent.GetValueOrDefault((user, ev)) + quantity;
        _perCategory[(user, ev, category)] = _perCategory.GetValueOrDefault((user, ev, category)) + quantity;
    }

    private Dictionary<Guid, DateTimeOffset> Running(Guid user, Guid performance)
    {
        if (!_running.TryGetValue((user, performance), out var holds)) _running[(user, performance)] = holds = [];
        return holds;
    }

    private HashSet<Guid> OpenHolds(Guid user)
    {
        if (!_openHolds.TryGetValue(user, out var set)) _openHolds[user] = set = [];
        return set;
    }
}
