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

    public AccountUsage(IEnumerable<AccountUsageRow> rows)
    {
        foreach (var r in rows)
        {
            if (r.Status == OrderStatus.Reserved) OpenHolds(r.UserId).Add(r.OrderId);
            Add(r.UserId, r.EventId, r.CategoryId, r.Quantity);
        }
    }

    /// <summary>True when the account can take <paramref name="order"/> on top of what it has.</summary>
    public bool Allows(Order order, AccountCaps caps)
    {
        var holds = OpenHolds(order.UserId);
        if (!holds.Contains(order.Id) && holds.Count + 1 > caps.OpenHolds) return false;
        if (_perEvent.GetValueOrDefault((order.UserId, order.EventId)) + order.TotalQuantity > caps.TicketsPerEvent) return false;
        return order.Items.GroupBy(i => i.CategoryId).All(g =>
            _perCategory.GetValueOrDefault((order.UserId, order.EventId, g.Key)) + g.Sum(i => i.Quantity) <= caps.TicketsPerCategory);
    }

    /// <summary>True when what is recorded (the batch's orders included) is within every order's caps.</summary>
    public bool WithinCaps(IEnumerable<HoldRequest> holds) => holds.All(h =>
        OpenHolds(h.Order.UserId).Count <= h.Caps.OpenHolds
        && _perEvent.GetValueOrDefault((h.Order.UserId, h.Order.EventId)) <= h.Caps.TicketsPerEvent
        && h.Order.Items.All(i => _perCategory.GetValueOrDefault((h.Order.UserId, h.Order.EventId, i.CategoryId)) <= h.Caps.TicketsPerCategory));

    public void Record(Order order)
    {
        OpenHolds(order.UserId).Add(order.Id);
        foreach (var i in order.Items) Add(order.UserId, order.EventId, i.CategoryId, i.Quantity);
    }

    private void Add(Guid user, Guid ev, Guid category, int quantity)
    {
        _perEvent[(user, ev)] = _perEvent.GetValueOrDefault((user, ev)) + quantity;
        _perCategory[(user, ev, category)] = _perCategory.GetValueOrDefault((user, ev, category)) + quantity;
    }

    private HashSet<Guid> OpenHolds(Guid user)
    {
        if (!_openHolds.TryGetValue(user, out var set)) _openHolds[user] = set = [];
        return set;
    }
}
