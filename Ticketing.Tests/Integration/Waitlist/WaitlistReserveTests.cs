using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Waitlist;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Waitlist;

/// <summary>
/// The line really comes first, enforced by the database: a category's <c>WaitlistSeats</c> (the sum of its Waiting
/// entries' quantities, moved with every entry) is subtracted from what the public may hold, so seats that come back
/// are never on public sale while the line wants them, whenever the offer job runs.
/// </summary>
public abstract class WaitlistReserveTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<HttpResponseMessage> JoinAsync(HttpClient fan, TestEvent ev, int quantity) =>
        fan.PostAsJsonAsync($"/api/performances/{ev.PerformanceId}/waitlist", new { categoryId = ev.Categories[0].Id, quantity });

    private Task<int> OfferAsync() => WithServiceAsync<WaitlistService, int>(app, s => s.OfferAsync());

    private Task<int> WaitingSumAsync(Guid categoryId) => QueryAsync(app, db =>
        db.WaitlistEntries.Where(e => e.CategoryId == categoryId && e.Status == WaitlistStatus.Waiting).SumAsync(e => e.Quantity));

    private async Task<List<HttpClient>> UsersAsync(int count)
    {
        var users = new List<HttpClient>(count);
        for (var i = 0; i < count; i++) users.Add((await app.CreateUserClientAsync()).Client);
        return users;
    }

    /// <summary>A category of <paramref name="capacity"/> sold out: <paramref name="paid"/> seats paid, the rest held by one unpaid order (its buyer and id).</summary>
    private async Task<(TestEvent Event, HttpClient Holder, Guid HeldOrder)> SoldOutAsync(int capacity, int paid)
    {
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, capacity).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var paidOrder = (await HoldAsync(buyer, ev, paid)).GetProperty("id").GetGuid();
        (await buyer.PostAsJsonAsync($"/api/orders/{paidOrder}/payment", Card())).EnsureSuccessStatusCode();
        var (holder, _, _) = await app.CreateUserClientAsync();
        var held = (await HoldAsync(holder, ev, capacity - paid)).GetProperty("id").GetGuid();
        return (ev, holder, held);
    }

    [Fact]
    public async Task ReturnedSeats_TheLineWants_AreRefusedToFiftyParallelPublicHolds_AndOfferedToTheFan()
    {
        var (ev, holder, held) = await SoldOutAsync(capacity: 4, paid: 2);
        var categoryId = ev.Categories[0].Id;
        var (fan, _, _) = await app.CreateUserClientAsync();
        var entry = (await (await JoinAsync(fan, ev, 2)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(2, (await CategoryAsync(app, categoryId)).WaitlistSeats);
        var publicBuyers = await UsersAsync(50);

        // Two seats come back (the hold is released): kept for the line, not on public sale.
        (await holder.DeleteAsync($"/api/orders/{held}")).EnsureSuccessStatusCode();
        var availability = await WithServiceAsync<CatalogService, IReadOnlyList<PerformanceAvailability>>(app, s => s.AvailabilityAsync([ev.PerformanceId]));
        Assert.Equal(0, availability[0].Categories[0].Available);

        // 50 parallel public holds of 1 and the offer job at the same time: no public buyer gets a seat, the fan gets both.
        var holds = publicBuyers.Select(b => b.PostAsJsonAsync("/api/orders", Hold(ev, 1))).ToList();
        var offer = OfferAsync();
        var answers = await Task.WhenAll(holds);
        Assert.Equal(1, await offer + await OfferAsync());
        foreach (var answer in answers)
        {
            Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
            var code = (await answer.ReadJsonAsync(HttpStatusCode.Conflict)).GetProperty("code").GetString();
            Assert.Contains(code, new[] { ErrorCodes.SoldOut, ErrorCodes.InsufficientAvailability });
        }
        var entryNow = await QueryAsync(app, db => db.WaitlistEntries.AsNoTracking().SingleAsync(e => e.Id == entry));
        Assert.Equal(WaitlistStatus.Offered, entryNow.Status);
        var category = await CategoryAsync(app, categoryId);
        Assert.Equal((2, 2, 0), (category.Sold, category.Held, category.WaitlistSeats));
        Assert.Equal(2, await QueryAsync(app, db => db.OrderItems.Where(i => i.OrderId == entryNow.OfferOrderId).SumAsync(i => i.Quantity)));
    }

    [Fact]
    public async Task MoreSeatsBackThanTheLineWants_TheSurplusIsSoldToThePublic_Once()
    {
        var (ev, _, _) = await SoldOutAsync(capacity: 5, paid: 2);
        var categoryId = ev.Categories[0].Id;
        var (fan, _, _) = await app.CreateUserClientAsync();
        (await JoinAsync(fan, ev, 2)).EnsureSuccessStatusCode();
        var publicBuyers = await UsersAsync(10);

        // The 3 held seats come back by expiry: 2 for the line, 1 for the public.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        var availability = await WithServiceAsync<CatalogService, IReadOnlyList<PerformanceAvailability>>(app, s => s.AvailabilityAsync([ev.PerformanceId]));
        Assert.Equal(1, availability[0].Categories[0].Available);

        var answers = await Task.WhenAll(publicBuyers.Select(b => b.PostAsJsonAsync("/api/orders", Hold(ev, 1))));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(9, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await OfferAsync());
        var category = await CategoryAsync(app, categoryId);
        Assert.Equal((2, 3, 0), (category.Sold, category.Held, category.WaitlistSeats));
    }

    [Fact]
    public async Task LeavingOrExpiring_GivesTheSeatsBackToThePublic()
    {
        var (ev, holder, held) = await SoldOutAsync(capacity: 3, paid: 1);
        var categoryId = ev.Categories[0].Id;
        var (leaver, _, _) = await app.CreateUserClientAsync();
        var leaving = (await (await JoinAsync(leaver, ev, 2)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await holder.DeleteAsync($"/api/orders/{held}")).EnsureSuccessStatusCode();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        await (await buyer.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.SoldOut);

        // The fan leaves: their 2 seats are the public's at once (the sold-out memory forgot the category).
        (await leaver.DeleteAsync($"/api/performances/{ev.PerformanceId}/waitlist/{leaving}")).EnsureSuccessStatusCode();
        Assert.Equal(0, (await CategoryAsync(app, categoryId)).WaitlistSeats);
        (await buyer.PostAsJsonAsync("/api/orders", Hold(ev, 2))).EnsureSuccessStatusCode();
        Assert.Equal((1, 2, 0), ((await CategoryAsync(app, categoryId)).Sold, (await CategoryAsync(app, categoryId)).Held, (await CategoryAsync(app, categoryId)).WaitlistSeats));

        // Entries expire when the date has started: the line's reservation goes with them.
        var (late, _, _) = await app.CreateUserClientAsync();
        (await JoinAsync(late, ev, 3)).EnsureSuccessStatusCode();
        Assert.Equal(3, (await CategoryAsync(app, categoryId)).WaitlistSeats);
        app.Clock.Advance(TimeSpan.FromDays(400));
        await OfferAsync();
        Assert.Equal(0, (await CategoryAsync(app, categoryId)).WaitlistSeats);
        Assert.Equal(0, await WaitingSumAsync(categoryId));
    }

    [Fact]
    public async Task TheCounter_EqualsTheWaitingQuantities_AfterParallelJoinsAndLeaves()
    {
        var (ev, _, _) = await SoldOutAsync(capacity: 2, paid: 1);
        var categoryId = ev.Categories[0].Id;
        var fans = await UsersAsync(24);
        // Each fan joins twice in parallel (one entry each), with quantities 1..4.
        var joins = await Task.WhenAll(fans.SelectMany((f, i) => new[] { JoinAsync(f, ev, 1 + i % 4), JoinAsync(f, ev, 1 + i % 4) }));
        Assert.All(joins, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        var entries = new List<(HttpClient Fan, Guid Entry)>();
        foreach (var f in fans)
            entries.Add((f, (await (await f.GetAsync($"/api/performances/{ev.PerformanceId}/waitlist")).ReadJsonAsync())[0].GetProperty("id").GetGuid()));
        Assert.Equal(fans.Select((_, i) => 1 + i % 4).Sum(), (await CategoryAsync(app, categoryId)).WaitlistSeats);

        // Half of them leave (twice each, in parallel) while new fans join.
        var newcomers = await UsersAsync(8);
        var leaves = entries.Where((_, i) => i % 2 == 0)
            .SelectMany(x => new[] { x.Fan.DeleteAsync($"/api/performances/{ev.PerformanceId}/waitlist/{x.Entry}"), x.Fan.DeleteAsync($"/api/performances/{ev.PerformanceId}/waitlist/{x.Entry}") });
        var more = newcomers.Select(f => JoinAsync(f, ev, 2));
        var all = await Task.WhenAll(leaves.Concat(more));
        Assert.All(all, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));

        var category = await CategoryAsync(app, categoryId);
        Assert.Equal(await WaitingSumAsync(categoryId), category.WaitlistSeats);
        Assert.Equal(fans.Select((_, i) => i % 2 == 0 ? 0 : 1 + i % 4).Sum() + 2 * newcomers.Count, category.WaitlistSeats);
    }

    [Fact]
    public async Task Joining_IsAllowedOnlyWhileThePublicCouldNotHoldTheQuantity()
    {
        var (ev, holder, held) = await SoldOutAsync(capacity: 4, paid: 1);
        var (first, _, _) = await app.CreateUserClientAsync();
        (await JoinAsync(first, ev, 1)).EnsureSuccessStatusCode();
        // 3 seats back: 1 kept for the line, 2 for the public.
        (await holder.DeleteAsync($"/api/orders/{held}")).EnsureSuccessStatusCode();
        var (second, _, _) = await app.CreateUserClientAsync();
        await (await JoinAsync(second, ev, 2)).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.WaitlistNotSoldOut);
        // Asking for more than the public can have: in the line, which now keeps those 2 seats too.
        (await (await JoinAsync(second, ev, 3)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("position").GetInt32();
        Assert.Equal(4, (await CategoryAsync(app, ev.Categories[0].Id)).WaitlistSeats);
        var (buyer, _, _) = await app.CreateUserClientAsync();
        await (await buyer.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.SoldOut);
    }

    [Fact]
    public async Task TheBoxOffice_IsTheOrganizers_AndIgnoresTheLine()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 2).SaveAsync();
        var (holder, _, _) = await app.CreateUserClientAsync();
        var held = (await HoldAsync(holder, ev, 2)).GetProperty("id").GetGuid();
        var (fan, _, _) = await app.CreateUserClientAsync();
        (await JoinAsync(fan, ev, 2)).EnsureSuccessStatusCode();
        (await holder.DeleteAsync($"/api/orders/{held}")).EnsureSuccessStatusCode();

        var (buyer, _, _) = await app.CreateUserClientAsync();
        await (await buyer.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.SoldOut);
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", new
        {
            performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 2 } }, method = "Cash",
            buyer = new { displayName = "Desk buyer" },
        })).EnsureSuccessStatusCode();
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0, 2), (category.Sold, category.Held, category.WaitlistSeats));
        // The fan still waits (nothing to offer now).
        Assert.Equal(0, await OfferAsync());
    }

    [Theory]
    [InlineData("en", "Seats wanted for Fosse", "3 seats", "you are number 1, for 3 seats")]
    [InlineData("fr", "Places souhaitées pour Fosse", "3 places", "vous êtes n° 1, pour 3 places")]
    public async Task TheEventPage_LetsTheFanChooseAQuantity_AndShowsTheirPlaceAndQuantity(string language, string label, string option, string place)
    {
        var (ev, _, _) = await SoldOutAsync(capacity: 2, paid: 1);
        var (_, fanId, _) = await app.CreateUserClientAsync();
        var booking = await WithServiceAsync<OrderService, BookingOptions?>(app, s => s.GetBookingOptionsAsync(ev.PerformanceId));
        var (before, beforeUi) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo(language);
        try
        {
            // The real app's services (database, services, localizer) behind a bUnit renderer, signed in as the fan.
            await using var scope = app.Services.CreateAsyncScope();
            await using var ctx = new BunitContext();
            ctx.JSInterop.Mode = JSRuntimeMode.Loose;
            ctx.Services.AddMudServices();
            ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
            ctx.AddAuthorization().SetAuthorized("fan").SetClaims(new Claim(ClaimTypes.NameIdentifier, fanId.ToString()));
            var cut = ctx.Render<Ticketing.Web.Features.Waitlist.ResaleAndWaitlistPanel>(p => p
                .Add(x => x.PerformanceId, ev.PerformanceId).Add(x => x.Categories, booking!.Categories));
            var select = cut.WaitForElement("[data-testid=waitlist-quantity]");
            Assert.Equal(label, cut.Find($"label[for={select.Id}]").TextContent);
            Assert.Equal(10, select.QuerySelectorAll("option").Length);
            Assert.Equal(option, select.QuerySelectorAll("option")[2].TextContent);
            select.Change("3");
            cut.Find("[data-testid=waitlist-join]").Click();
            cut.WaitForAssertion(() => Assert.Contains(place, cut.Find("[data-testid=waitlist-place]").TextContent));
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
        var entry = await QueryAsync(app, db => db.WaitlistEntries.AsNoTracking().SingleAsync(e => e.UserId == fanId));
        Assert.Equal(3, entry.Quantity);
        Assert.Equal(3, (await CategoryAsync(app, ev.Categories[0].Id)).WaitlistSeats);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class WaitlistReserveTests_Sqlite(SqliteApp app) : WaitlistReserveTests(app);

[Collection(PostgresCollection.Name)]
public sealed class WaitlistReserveTests_Postgres(PostgresApp app) : WaitlistReserveTests(app);
