using Ticketing.Core.Orders;

namespace Ticketing.Tests.Unit;

public sealed class OrderTransitionsTests
{
    [Theory]
    [InlineData(OrderStatus.Reserved, OrderStatus.Paid, true)]
    [InlineData(OrderStatus.Expired, OrderStatus.Paid, true)]
    [InlineData(OrderStatus.Cancelled, OrderStatus.Paid, true)]
    [InlineData(OrderStatus.Paid, OrderStatus.Paid, false)]
    [InlineData(OrderStatus.Refunded, OrderStatus.Paid, false)]
    [InlineData(OrderStatus.Reserved, OrderStatus.Expired, true)]
    [InlineData(OrderStatus.Paid, OrderStatus.Cancelled, false)]
    [InlineData(OrderStatus.Paid, OrderStatus.PartiallyRefunded, true)]
    [InlineData(OrderStatus.PartiallyRefunded, OrderStatus.Refunded, true)]
    [InlineData(OrderStatus.Reserved, OrderStatus.Refunded, false)]
    [InlineData(OrderStatus.Refunded, OrderStatus.Refunded, false)]
    [InlineData(OrderStatus.Paid, OrderStatus.Reserved, false)]
    public void Allows_FollowsTheLifecycle(OrderStatus from, OrderStatus to, bool allowed) =>
        Assert.Equal(allowed, OrderTransitions.Allows(from, to));

    [Fact]
    public void MarkPaid_FromAHold_MovesEverythingAPaymentWrites()
    {
        var now = DateTimeOffset.UtcNow;
        var order = new Order { Status = OrderStatus.Reserved, Version = 3, ClosedAt = now.AddMinutes(-1) };

        order.MarkPaid(now, "Léa Fan");

        Assert.Equal((OrderStatus.Paid, now, (DateTimeOffset?)null, "Léa Fan", 4), (order.Status, order.PaidAt!.Value, order.ClosedAt, order.BuyerName, order.Version));
    }

    [Fact]
    public void MarkPaid_OfAPaidOrRefundedOrder_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => new Order { Status = OrderStatus.Paid }.MarkPaid(DateTimeOffset.UtcNow, "x"));
        Assert.Throws<InvalidOperationException>(() => new Order { Status = OrderStatus.Refunded }.MarkPaid(DateTimeOffset.UtcNow, "x"));
    }
}
