using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Receipts;
using Ticketing.Tests.Infrastructure;
using UglyToad.PdfPig;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;
using static Ticketing.Tests.Integration.Codes.CodeTestSupport;

namespace Ticketing.Tests.Integration.Codes;

/// <summary>
/// Issue 25 item 1, promo codes: a percentage or a fixed amount off each ticket (never below 0), per event or category,
/// in a validity window, with total and per-account use limits counted exactly in the database; the discount is on the
/// order, its VAT lines and its receipt.
/// </summary>
public abstract class PromoCodeTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestEvent Event, HttpClient Owner)> EventAsync(long bookingFeeMinor = 0)
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 200).WithCategory("Balcon", 3333, 200).SaveAsync();
        if (bookingFeeMinor > 0)
            await QueryAsync(app, db => db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.BookingFeeMinor, bookingFeeMinor)));
        return (ev, owner);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient owner, TestEvent ev, object body) =>
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/promo-codes", body)).ReadJsonAsync(HttpStatusCode.Created);

    private static long Minor(JsonElement e, string name) => (long)Math.Round(e.GetProperty(name).GetDecimal() * 100);

    [Fact]
    public async Task ThirtyParallelOrders_OnACodeOfFiveUses_HoldExactlyFive_AndTheCounterReadsFive()
    {
        var (ev, owner) = await EventAsync();
        var codeId = (await CreateAsync(owner, ev, new { code = "FLASH10", maxUses = 5, percent = 10 })).GetProperty("id").GetGuid();
        var fans = new List<HttpClient>();
        for (var i = 0; i < 10; i++) fans.Add((await app.CreateUserClientAsync()).Client);

        var answers = await ParallelAsync(fans, 30, _ => Order(ev, 1, promoCode: "flash10"));

        Assert.DoesNotContain(answers, a => a.Status >= 500);
        Assert.Equal(5, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal((409, "promo_exhausted"), (a.Status, a.Code)));
        Assert.Equal((5, 5), await UsesAsync(app, codeId));
        Assert.Equal(5, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
        Assert.All(answers.Where(a => a.Status == 201), a => Assert.Equal(40.50m, a.Body.GetProperty("total").GetDecimal()));
    }

    [Fact]
    public async Task TheLimitPerAccount_HoldsUnderParallelOrders_AndAReleasedHoldGivesItsUseBack()
    {
        var (ev, owner) = await EventAsync();
        var codeId = (await CreateAsync(owner, ev, new { code = "MEMBER", maxUses = 100, maxUsesPerAccount = 2, amount = 5 })).GetProperty("id").GetGuid();
        var (fan, _, _) = await app.CreateUserClientAsync();

        var answers = await ParallelAsync([fan], 12, _ => Order(ev, 1, promoCode: "member"));

        Assert.DoesNotContain(answers, a => a.Status >= 500);
        Assert.Equal(2, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal((409, "promo_exhausted", 2),
            (a.Status, a.Code, a.Body.GetProperty("maxUsesPerAccount").GetInt32())));
        Assert.Equal((2, 2), await UsesAsync(app, codeId));

        var held = answers.Where(a => a.Status == 201).Select(a => a.Body.GetProperty("id").GetGuid()).ToList();
        await (await fan.PostAsJsonAsync($"/api/orders/{held[0]}/payment", Card())).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await fan.DeleteAsync($"/api/orders/{held[1]}")).StatusCode);
        Assert.Equal((1, 1), await UsesAsync(app, codeId));
        Assert.Equal(201, (await PlaceAsync(fan, Order(ev, 1, promoCode: "MEMBER"))).Status);
        Assert.Equal("promo_exhausted", (await PlaceAsync(fan, Order(ev, 1, promoCode: "MEMBER"))).Code);
        // Another account has its own allowance.
        var (other, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(201, (await PlaceAsync(other, Order(ev, 1, promoCode: "member"))).Status);
    }

    [Fact]
    public async Task APercentage_IsTakenOffEachTicket_RoundedToTheCent_OnTheOrder_ItsVat_TheReceipt_AndTheRefund()
    {
        var (ev, owner) = await EventAsync(bookingFeeMinor: 150);
        await CreateAsync(owner, ev, new { code = "Spring-125", maxUses = 10, percent = 12.5m });
        var (fan, _, _) = await app.CreateUserClientAsync();

        // Fosse 45.00 -> 5.625 off, rounded half away from zero: 5.63; Balcon 33.33 -> 4.16625: 4.17.
        var answer = await PlaceAsync(fan, new
        {
            performanceId = ev.PerformanceId, promoCode = "spring 125",
            items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 3 }, new { categoryId = ev.Categories[1].Id, quantity = 2 } },
        });
        Assert.Equal(201, answer.Status);
        var order = answer.Body;
        var items = order.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("categoryName").GetString()!);
        Assert.Equal(5.63m, items["Fosse"].GetProperty("unitDiscount").GetDecimal());
        Assert.Equal(4.17m, items["Balcon"].GetProperty("unitDiscount").GetDecimal());
        var expectedDiscount = 3 * 563 + 2 * 417;
        var expectedTotal = 3 * (4500 - 563 + 150) + 2 * (3333 - 417 + 150);
        Assert.Equal(expectedDiscount, Minor(order, "discount"));
        Assert.Equal(expectedTotal, Minor(order, "total"));
        Assert.Equal("Spring-125", order.GetProperty("promoCode").GetString());
        // VAT: the tickets' base is computed on the discounted prices; the lines add up to the total paid.
        var vat = order.GetProperty("vat").EnumerateArray().ToList();
        Assert.Equal(expectedTotal, vat.Sum(v => Minor(v, "base") + Minor(v, "amount")));
        var tickets = VatBreakdown.Split(3 * (4500 - 563) + 2 * (3333 - 417), 550);
        var ticketLine = vat.Single(v => v.GetProperty("rate").GetDecimal() == 5.5m);
        Assert.Equal((tickets.BaseMinor, tickets.VatMinor), (Minor(ticketLine, "base"), Minor(ticketLine, "amount")));

        var orderId = order.GetProperty("id").GetGuid();
        await (await fan.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var receipt = await QueryAsync(app, db => db.Receipts.AsNoTracking().SingleAsync(r => r.OrderId == orderId && r.Kind == ReceiptKind.Receipt));
        Assert.Equal(expectedTotal, receipt.TotalMinor);
        Assert.Equal(vat.Sum(v => Minor(v, "amount")), receipt.VatMinor);
        var pdf = await (await fan.GetAsync($"/api/orders/{orderId}/receipt")).Content.ReadAsByteArrayAsync();
        File.WriteAllBytes(Path.Combine(AppContext.BaseDirectory, $"receipt-promo-{app.Provider}.pdf"), pdf);
        using (var document = PdfDocument.Open(pdf))
        {
            var text = string.Concat(document.GetPages().Select(p => p.Text));
            Assert.Contains("Spring-125", text);
            Assert.True(text.Contains("16.89") || text.Contains("16,89"), text); // 3 × 5.63 off the Fosse line
        }

        // A refund gives back what was paid, not the list price.
        var refund = await (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).ReadJsonAsync();
        Assert.Equal(expectedTotal, refund.GetProperty("amountMinor").GetInt64());
    }

    [Fact]
    public async Task AFixedAmount_NeverTakesATicketBelowZero_AndAFreeOrderIsPaidWithoutACard()
    {
        var (ev, owner) = await EventAsync();
        await CreateAsync(owner, ev, new { code = "TENOFF", maxUses = 10, amount = 10 });
        await CreateAsync(owner, ev, new { code = "GUEST", maxUses = 10, amount = 100, categoryIds = new[] { ev.Categories[1].Id } });
        var (fan, _, _) = await app.CreateUserClientAsync();

        var ten = (await PlaceAsync(fan, Order(ev, 2, promoCode: "tenoff"))).Body;
        Assert.Equal((2000, 7000), (Minor(ten, "discount"), Minor(ten, "total")));

        var free = (await PlaceAsync(fan, Order(ev, 2, category: 1, promoCode: "guest"))).Body;
        Assert.Equal((6666, 0), (Minor(free, "discount"), Minor(free, "total")));
        Assert.Empty(free.GetProperty("vat").EnumerateArray());
        var paid = await (await fan.PostAsJsonAsync($"/api/orders/{free.GetProperty("id").GetGuid()}/payment", new { })).ReadJsonAsync();
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        // A code for another category does not apply.
        Assert.Equal("promo_invalid", (await PlaceAsync(fan, Order(ev, 1, category: 0, promoCode: "guest"))).Code);
    }

    [Fact]
    public async Task ExpiredNotYetValidUnknownDisabledAndOtherEventsCodes_AreRefused_AndNothingIsHeld()
    {
        var (ev, owner) = await EventAsync();
        var now = app.Clock.GetUtcNow();
        await CreateAsync(owner, ev, new { code = "SOON", maxUses = 10, percent = 5, validFrom = now.AddDays(1) });
        await CreateAsync(owner, ev, new { code = "PAST", maxUses = 10, percent = 5, validTo = now.AddMinutes(1) });
        var off = await CreateAsync(owner, ev, new { code = "OFF", maxUses = 10, percent = 5 });
        await (await owner.PostAsync($"/api/events/{ev.EventId}/promo-codes/{off.GetProperty("id").GetGuid()}/disable", null)).ReadJsonAsync();
        var (otherOwner, otherOwnerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var other = await Event(app).OwnedBy(otherOwnerId).SaveAsync();
        await (await otherOwner.PostAsJsonAsync($"/api/events/{other.EventId}/promo-codes", new { code = "THEIRS", maxUses = 10, percent = 5 }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var (fan, _, _) = await app.CreateUserClientAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(2));

        foreach (var (code, expected) in new[] { ("soon", "promo_invalid"), ("past", "promo_expired"), ("off", "promo_invalid"), ("theirs", "promo_invalid"), ("nope", "promo_invalid") })
        {
            var answer = await PlaceAsync(fan, Order(ev, 1, promoCode: code));
            Assert.Equal((409, expected), (answer.Status, answer.Code));
        }
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Held);

        // Bad definitions are 400 with the field.
        var bad = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/promo-codes", new { code = "x", maxUses = 0, percent = 150, amount = 3 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("code", out _));
        var listed = await (await owner.GetAsync($"/api/events/{ev.EventId}/promo-codes")).ReadJsonAsync();
        Assert.Equal(3, listed.GetProperty("totalCount").GetInt32());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePromoCodeTests(SqliteApp app) : PromoCodeTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPromoCodeTests(PostgresApp app) : PromoCodeTests(app);
