using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

public abstract class PurchaseApiTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FlashSale_200ParallelBuyersFor50Seats_SellsExactly50NumberedTicketsAndEveryOtherBuyerGetsAClean409()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        using var gate = new SemaphoreSlim(8);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            await gate.WaitAsync();
            try { return (await app.CreateUserClientAsync()).Client; }
            finally { gate.Release(); }
        }));

        var outcomes = await Task.WhenAll(buyers.Select(async client =>
        {
            var hold = await client.PostAsJsonAsync("/api/orders", Hold(ev, 1));
            if (hold.StatusCode != HttpStatusCode.Created) return (Step: "hold", Status: (int)hold.StatusCode, Body: await hold.Content.ReadAsStringAsync());
            var order = await hold.ReadJsonAsync(HttpStatusCode.Created);
            var pay = await client.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", Card());
            return (Step: "pay", Status: (int)pay.StatusCode, Body: await pay.Content.ReadAsStringAsync());
        }));

        Assert.DoesNotContain(outcomes, o => o.Status >= 500);
        Assert.Equal(50, outcomes.Count(o => o is { Step: "pay", Status: 200 }));
        var losers = outcomes.Where(o => o.Step == "hold").ToList();
        Assert.Equal(150, losers.Count);
        foreach (var loser in losers)
        {
            Assert.Equal(409, loser.Status);
            var code = JsonDocument.Parse(loser.Body).RootElement.GetProperty("code").GetString();
            Assert.Contains(code, new[] { "sold_out", "insufficient_availability" });
        }

        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal(50, category.Sold);
        Assert.Equal(0, category.Held);
        var numbers = await QueryAsync(app, db => db.Tickets.Where(t => t.PerformanceId == ev.PerformanceId).Select(t => t.Number).ToListAsync());
        Assert.Equal(50, numbers.Count);
        Assert.Equal(50, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.Matches($"^{ev.TicketPrefix}-\\d{{6}}$", n));
        Assert.Equal(50, await QueryAsync(app, db => db.Payments.CountAsync(p => p.Status == PaymentStatus.Approved)));
        Assert.Equal(50, await QueryAsync(app, db => db.Notifications.CountAsync()));
    }

    [Fact]
    public async Task Place_HoldsSeatsAndAnswers201WithTheContractShape()
    {
        var ev = await Event(app).WithCategory("Carré Or", 8950, 10).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var response = await client.PostAsJsonAsync("/api/orders", new
        {
            performanceId = ev.PerformanceId,
            items = new[]
            {
                new { categoryId = ev.Categories[0].Id, quantity = 1 },
                new { categoryId = ev.Categories[1].Id, quantity = 2 },
                new { categoryId = ev.Categories[0].Id, quantity = 1 }, // merged with the first line
            },
        });
        var order = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Reserved", order.GetProperty("status").GetString());
        Assert.Equal(269m, order.GetProperty("total").GetDecimal());
        Assert.Equal("EUR", order.GetProperty("currency").GetString());
        Assert.Equal(2, order.GetProperty("items").GetArrayLength());
        Assert.True(order.GetProperty("expiresAt").GetDateTimeOffset() > app.Clock.GetUtcNow().AddMinutes(9));
        Assert.Equal($"/api/orders/{order.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[1].Id)).Held);
    }

    [Fact]
    public async Task Place_WithBadInput_IsRefusedWithTheContractCodesAndHoldsNothing()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 5).WithMaxTicketsPerOrder(4).SaveAsync();
        var other = await Event(app).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();

        async Task Expect(object body, HttpStatusCode status, string code) =>
            await (await client.PostAsJsonAsync("/api/orders", body)).AssertProblemAsync(status, code);

        await Expect(new { performanceId = Guid.NewGuid(), items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 1 } } }, HttpStatusCode.BadRequest, "validation_failed");
        await Expect(new { performanceId = ev.PerformanceId, items = new[] { new { categoryId = Guid.NewGuid(), quantity = 1 } } }, HttpStatusCode.BadRequest, "validation_failed");
        await Expect(new { performanceId = ev.PerformanceId, items = new[] { new { categoryId = other.Categories[0].Id, quantity = 1 } } }, HttpStatusCode.BadRequest, "validation_failed");
        foreach (var quantity in new[] { 0, -3, 1_000_000 })
            await Expect(Hold(ev, quantity), HttpStatusCode.BadRequest, "validation_failed");
        await Expect(new { performanceId = ev.PerformanceId, items = Array.Empty<object>() }, HttpStatusCode.BadRequest, "validation_failed");
        await Expect(Hold(ev, 5), HttpStatusCode.Conflict, "purchase_limit_exceeded");
        await (await client.PostAsync("/api/orders", new StringContent("{ nope", System.Text.Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.Equal(0, await QueryAsync(app, db => db.Orders.CountAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/orders", Hold(ev, 1))).StatusCode);
    }

    [Fact]
    public async Task Place_OutsideTheSale_IsRefusedWithNotPublishedSalesNotOpenOrSalesClosed()
    {
        var draft = await Event(app).WithStatus(EventStatus.Draft).SaveAsync();
        var cancelled = await Event(app).WithStatus(EventStatus.Cancelled).SaveAsync();
        var notOpen = await Event(app).WithSalesWindow(TimeSpan.FromDays(2), null).SaveAsync();
        var closed = await Event(app).WithSalesWindow(TimeSpan.FromDays(-5), TimeSpan.FromHours(-1)).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();

        await (await client.PostAsJsonAsync("/api/orders", Hold(draft, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "event_not_published");
        await (await client.PostAsJsonAsync("/api/orders", Hold(cancelled, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "event_cancelled");
        await (await client.PostAsJsonAsync("/api/orders", Hold(notOpen, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sales_not_open");
        await (await client.PostAsJsonAsync("/api/orders", Hold(closed, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sales_closed");
    }

    [Fact]
    public async Task Place_AfterTheOrganizerPublishesOrCancels_SeesTheChangeAtOnce_ThoughHoldsRememberTheirPerformance()
    {
        var (organizer, organizerId, _) = await app.CreateUserClientAsync(Ticketing.Core.Accounts.Roles.Organizer);
        var ev = await Event(app).WithStatus(EventStatus.Draft).OwnedBy(organizerId).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();

        // The refusal is remembered with the performance (Orders:OnSaleCacheMilliseconds): the publication forgets it.
        await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "event_not_published");
        (await organizer.PostAsync($"/api/events/{ev.EventId}/publish", null)).EnsureSuccessStatusCode();
        await HoldAsync(client, ev, 1);
        await HoldAsync(client, ev, 1);

        (await organizer.PostAsync($"/api/events/{ev.EventId}/cancel", null)).EnsureSuccessStatusCode();
        await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "event_cancelled");
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((0, 0), (category.Sold, category.Held));
    }

    [Fact]
    public async Task Pay_AHoldWhoseEventWasCancelledMeanwhile_IsRefused_ReleasesTheSeats_AndChargesNothing()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        // The race the cancellation cannot close: a hold written just after the event's open holds were released.
        await QueryAsync(app, db => db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EventStatus.Cancelled)));

        var problem = await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_payable");
        Assert.Contains("cancelled", problem.GetProperty("detail").GetString());
        Assert.Equal(OrderStatus.Cancelled, await QueryAsync(app, db => db.Orders.Where(o => o.Id == id).Select(o => o.Status).SingleAsync()));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((0, 0), (category.Sold, category.Held));
        Assert.Equal(0, await QueryAsync(app, db => db.SimulatedCharges.CountAsync()));
        Assert.Equal(0, await QueryAsync(app, db => db.Payments.CountAsync()));
        Assert.Equal(0, await QueryAsync(app, db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task Place_WhenNotEnoughSeatsAreLeft_SaysHowManyAreAvailableThenSoldOut()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 3).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(client, ev, 2);
        var problem = await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 2))).AssertProblemAsync(HttpStatusCode.Conflict, "insufficient_availability");
        Assert.Equal(1, problem.GetProperty("available").GetInt32());
        await HoldAsync(client, ev, 1);
        var soldOut = await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        Assert.Equal(0, soldOut.GetProperty("available").GetInt32());
        Assert.Equal(3, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
    }

    [Fact]
    public async Task HoldExpiry_GivesTheSeatsBackOnceAndALatePaymentIs409HoldExpired()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 2).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var order = await HoldAsync(client, ev, 2);
        await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        var expired = await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        var again = await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal(1, expired);
        Assert.Equal(0, again);
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Held);

        var id = order.GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, "hold_expired");
        var status = await (await client.GetAsync($"/api/orders/{id}")).ReadJsonAsync();
        Assert.Equal("Expired", status.GetProperty("status").GetString());
        // The seats are on sale again, at once (the sold-out fast path forgot the category).
        await HoldAsync(client, ev, 2);
    }

    [Fact]
    public async Task Pay_OnAHoldPastItsExpiryBeforeTheSweep_ExpiresItOnTheSpotAndIs409()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 4).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 3)).GetProperty("id").GetGuid();
        app.Clock.Advance(TimeSpan.FromMinutes(10).Add(TimeSpan.FromSeconds(1)));
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, "hold_expired");
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.Equal(0, await QueryAsync(app, db => db.SimulatedCharges.CountAsync()));
    }

    [Fact]
    public async Task Release_GivesTheSeatsBackOnce_AndOnlyTheBuyerCanReleaseIt()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 5).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var (stranger, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 3)).GetProperty("id").GetGuid();

        await (await stranger.DeleteAsync($"/api/orders/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/orders/{id}")).StatusCode);
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_payable");
    }

    [Fact]
    public async Task Pay_WithDeclinedCard_KeepsTheHoldAndAnswers402_ThenARetryWithAnotherCardIssuesTheTickets()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 5).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync(displayName: "Léa Fan");
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();

        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("4000 0000 0000 0002"))).AssertProblemAsync(HttpStatusCode.PaymentRequired, "card_declined");
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("4000000000009995"))).AssertProblemAsync(HttpStatusCode.PaymentRequired, "insufficient_funds");
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("4000000000000069"))).AssertProblemAsync(HttpStatusCode.PaymentRequired, "card_expired");
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Held);

        var paid = await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("5555 5555 5555 4444"))).ReadJsonAsync();
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        var tickets = paid.GetProperty("tickets").EnumerateArray().ToList();
        Assert.Equal(2, tickets.Count);
        Assert.All(tickets, t => Assert.Equal("Léa Fan", t.GetProperty("holderName").GetString()));
        Assert.All(tickets, t => Assert.Equal(ev.PerformanceId, t.GetProperty("performanceId").GetGuid()));
        Assert.Equal($"{ev.TicketPrefix}-000001", tickets[0].GetProperty("number").GetString());

        var payments = await QueryAsync(app, db => db.Payments.Where(p => p.OrderId == id).ToListAsync());
        Assert.Equal(3, payments.Count(p => p.Status == PaymentStatus.Declined));
        var approved = Assert.Single(payments, p => p.Status == PaymentStatus.Approved);
        Assert.Equal(("Mastercard", "4444"), (approved.CardBrand, approved.CardLast4));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held));
    }

    [Fact]
    public async Task Pay_WithAnInvalidCard_Is400WithoutCallingTheGateway()
    {
        var ev = await Event(app).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card("4242 4242 4242 4241"))).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_card");
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card(cvc: "12"))).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_card");
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card(month: 13))).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_card");
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card(year: 2020))).AssertProblemAsync(HttpStatusCode.PaymentRequired, "card_expired");
        Assert.Equal(0, await QueryAsync(app, db => db.SimulatedCharges.CountAsync()));
        Assert.Equal(0, await QueryAsync(app, db => db.Payments.CountAsync()));
    }

    [Fact]
    public async Task Pay_SomeoneElsesOrder_Is404_AndPayingTwiceIs409OrderNotPayable()
    {
        var ev = await Event(app).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var (stranger, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();

        await (await stranger.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await stranger.GetAsync($"/api/orders/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_payable");
        Assert.Equal(1, await QueryAsync(app, db => db.SimulatedCharges.CountAsync()));
        Assert.Equal(1, await QueryAsync(app, db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task Place_ReplayedWithTheSameIdempotencyKey_AnswersTheSameOrderAndHoldsOnce_EvenConcurrently()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 50).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendAsync(client, "/api/orders", Hold(ev, 3), "hold-key-1")));
        var bodies = new List<string>();
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.Created, r.StatusCode);
            bodies.Add(await r.Content.ReadAsStringAsync());
        }
        var ids = bodies.Select(b => JsonDocument.Parse(b).RootElement.GetProperty("id").GetGuid()).Distinct().ToList();
        Assert.Single(ids);
        var replay = await SendAsync(client, "/api/orders", Hold(ev, 3), "hold-key-1");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(ids[0], (await replay.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        Assert.Equal(3, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.Equal(1, await QueryAsync(app, db => db.Orders.CountAsync()));

        await (await SendAsync(client, "/api/orders", Hold(ev, 4), "hold-key-1")).AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_key_reused");
        // Keys are per user: another fan's same key is another request.
        var (other, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(other, "/api/orders", Hold(ev, 1), "hold-key-1")).StatusCode);
    }

    [Fact]
    public async Task Pay_ReplayedWithTheSameIdempotencyKey_ChargesOnceAndAnswersTheSameTickets_EvenConcurrently()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(client, $"/api/orders/{id}/payment", Card(), "pay-key-1")));
        var bodies = new HashSet<string>();
        foreach (var r in responses)
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            bodies.Add(JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("tickets").GetRawText());
        }
        Assert.Single(bodies);
        Assert.Equal(1, await QueryAsync(app, db => db.SimulatedCharges.CountAsync()));
        Assert.Equal(1, await QueryAsync(app, db => db.Payments.CountAsync()));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync()));
        await (await SendAsync(client, $"/api/orders/{id}/payment", Card("5555 5555 5555 4444"), "pay-key-1"))
            .AssertProblemAsync(HttpStatusCode.Conflict, "idempotency_key_reused");
    }

    [Fact]
    public async Task Pay_ConcurrentlyWithoutAKey_ChargesTheOrderOnlyOnce()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await QueryAsync(app, db => db.SimulatedCharges.CountAsync(c => c.Approved)));
        Assert.Equal(1, await QueryAsync(app, db => db.Tickets.CountAsync()));
    }

    [Fact]
    public async Task Recovery_OfAnApprovedChargeLeftPending_IssuesTheTicketsExactlyOnce()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 5).SaveAsync();
        var (client, userId, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        await SimulateCrashAfterApprovalAsync(id);

        // Too young: a payment in flight is left alone.
        Assert.Equal(0, await WithServiceAsync<PaymentService, int>(app, s => s.RecoverPendingPaymentsAsync()));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => WithServiceAsync<PaymentService, int>(app, s => s.RecoverPendingPaymentsAsync())));
        Assert.Equal(1, runs.Sum());
        Assert.Equal(0, await WithServiceAsync<PaymentService, int>(app, s => s.RecoverPendingPaymentsAsync()));

        var order = await (await client.GetAsync($"/api/orders/{id}")).ReadJsonAsync();
        Assert.Equal("Paid", order.GetProperty("status").GetString());
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == id && t.UserId == userId)));
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == id)));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held));
    }

    [Fact]
    public async Task Recovery_OfAnApprovedChargeWhoseSeatsWereResold_RefundsAndIssuesNothing()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 2).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        await SimulateCrashAfterApprovalAsync(id);
        // The hold ended meanwhile and another fan took the seats.
        await ForceExpireAsync(id, 2, ev.Categories[0].Id);
        var (other, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(other, ev, 2);

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await WithServiceAsync<PaymentService, int>(app, s => s.RecoverPendingPaymentsAsync()));
        var payment = await QueryAsync(app, db => db.Payments.SingleAsync(p => p.OrderId == id));
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.NotNull(payment.RefundReference);
        Assert.True(await QueryAsync(app, db => db.SimulatedCharges.Where(c => c.OrderId == id).Select(c => c.Refunded).SingleAsync()));
        Assert.Equal(0, await QueryAsync(app, db => db.Tickets.CountAsync()));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((0, 2), (category.Sold, category.Held));
    }

    [Fact]
    public async Task Recovery_OfAnApprovedChargeWhoseHoldEndedButSeatsAreFree_ReacquiresThemAndIssuesTheTickets()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 5).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        await SimulateCrashAfterApprovalAsync(id);
        await ForceExpireAsync(id, 2, ev.Categories[0].Id);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await WithServiceAsync<PaymentService, int>(app, s => s.RecoverPendingPaymentsAsync()));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == id)));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held));
    }

    [Fact]
    public async Task Recovery_OfAPendingPaymentTheGatewayNeverSaw_VoidsItAndTheHoldCanBePaidAgain()
    {
        var ev = await Event(app).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        await InsertPendingPaymentAsync(id);
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, "payment_in_progress");
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await WithServiceAsync<PaymentService, int>(app, s => s.RecoverPendingPaymentsAsync()));
        Assert.Equal(PaymentStatus.Voided, await QueryAsync(app, db => db.Payments.Select(p => p.Status).SingleAsync()));
        (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Tickets_AreVisibleToTheHolderTheOwnerAndAdminsWithAVerifiableCodeAndAQrImage()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Ticketing.Core.Accounts.Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var (stranger, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        var ticketId = (await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).ReadJsonAsync())
            .GetProperty("tickets")[0].GetProperty("id").GetGuid();

        var list = await (await client.GetAsync("/api/tickets")).ReadJsonAsync();
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal("Valid", list.GetProperty("items")[0].GetProperty("status").GetString());
        var ticket = await (await client.GetAsync($"/api/tickets/{ticketId}")).ReadJsonAsync();
        var code = ticket.GetProperty("code").GetString();
        var signer = PurchaseTestDataSigner(app);
        await signer.InitializeAsync();
        Assert.True(signer.TryVerify(code, out var verifiedTicket, out var verifiedPerformance));
        Assert.Equal((ticketId, ev.PerformanceId), (verifiedTicket, verifiedPerformance));

        (await owner.GetAsync($"/api/tickets/{ticketId}")).EnsureSuccessStatusCode();
        (await owner.GetAsync($"/api/orders/{id}")).EnsureSuccessStatusCode();
        (await (await app.AdminClientAsync()).GetAsync($"/api/tickets/{ticketId}")).EnsureSuccessStatusCode();
        await (await stranger.GetAsync($"/api/tickets/{ticketId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await stranger.GetAsync($"/api/tickets/{ticketId}/qr")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, (await (await stranger.GetAsync("/api/tickets")).ReadJsonAsync()).GetProperty("totalCount").GetInt32());

        var qr = await client.GetAsync($"/api/tickets/{ticketId}/qr");
        Assert.Equal("image/png", qr.Content.Headers.ContentType?.MediaType);
        var png = await qr.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
    }

    [Fact]
    public async Task Orders_ListsOwnOrders_AndAnAdminSeesAnyUsersOrders()
    {
        var ev = await Event(app).SaveAsync();
        var (client, userId, _) = await app.CreateUserClientAsync();
        var (other, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(client, ev, 1);
        await HoldAsync(client, ev, 2);
        await HoldAsync(other, ev, 1);
        var own = await (await client.GetAsync("/api/orders?page=1&pageSize=1")).ReadJsonAsync();
        Assert.Equal(2, own.GetProperty("totalCount").GetInt32());
        Assert.Equal(1, own.GetProperty("items").GetArrayLength());
        var admin = await app.AdminClientAsync();
        Assert.Equal(3, (await (await admin.GetAsync("/api/orders")).ReadJsonAsync()).GetProperty("totalCount").GetInt32());
        Assert.Equal(2, (await (await admin.GetAsync($"/api/orders?userId={userId}")).ReadJsonAsync()).GetProperty("totalCount").GetInt32());
        // A fan's ?userId= is ignored: never someone else's orders.
        Assert.Equal(1, (await (await other.GetAsync($"/api/orders?userId={userId}")).ReadJsonAsync()).GetProperty("totalCount").GetInt32());
    }

    private static Ticketing.Core.Tickets.TicketCodeSigner PurchaseTestDataSigner(TicketingApp app) =>
        (Ticketing.Core.Tickets.TicketCodeSigner)app.Services.GetService(typeof(Ticketing.Core.Tickets.TicketCodeSigner))!;

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string url, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    private async Task<Guid> InsertPendingPaymentAsync(Guid orderId)
    {
        var order = await QueryAsync(app, db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), OrderId = orderId, Provider = "simulated", Status = PaymentStatus.Pending,
            AmountMinor = order.TotalMinor, Currency = order.Currency, CardBrand = "Visa", CardLast4 = "4242", CreatedAt = app.Clock.GetUtcNow(),
        };
        await QueryAsync(app, async db => { db.Payments.Add(payment); return await db.SaveChangesAsync(); });
        return payment.Id;
    }

    /// <summary>The state a crash leaves between the gateway's approval and our transaction: a Pending payment, an approved charge.</summary>
    private async Task SimulateCrashAfterApprovalAsync(Guid orderId)
    {
        var paymentId = await InsertPendingPaymentAsync(orderId);
        var order = await QueryAsync(app, db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));
        var charge = await WithServiceAsync<IPaymentGateway, ChargeResult>(app, g => g.ChargeAsync(new ChargeRequest(orderId, order.TotalMinor, order.Currency,
            new CardDetails("4242424242424242", 12, DateTime.UtcNow.Year + 1, "123", "Léa Fan"), "test", paymentId.ToString("N")), CancellationToken.None));
        Assert.True(charge.Approved);
    }

    /// <summary>What the expiry does (in this process: the seats are back at once, the sold-out memory forgets the category).</summary>
    private async Task<int> ForceExpireAsync(Guid orderId, int quantity, Guid categoryId)
    {
        var changed = await QueryAsync(app, async db =>
        {
            await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Expired).SetProperty(o => o.Version, o => o.Version + 1));
            return await db.PriceCategories.Where(c => c.Id == categoryId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Held, c => c.Held - quantity));
        });
        app.Services.GetRequiredService<SoldOutCache>().Forget(categoryId);
        return changed;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePurchaseApiTests(SqliteApp app) : PurchaseApiTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPurchaseApiTests(PostgresApp app) : PurchaseApiTests(app);
