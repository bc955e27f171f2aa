using System.Net.Http.Json;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Door;

/// <summary>Issue 18, item 9: the door accepts the printed ticket number typed by hand, for the event's own tickets only.</summary>
public abstract class TypedTicketNumberTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> ScanAsync(HttpClient door, string code, Guid? performanceId = null) =>
        (await (await door.PostAsJsonAsync("/api/checkin", new { code, performanceId })).ReadJsonAsync()).GetProperty("result").GetString()!;

    [Fact]
    public async Task TheNumberTypedByHand_InAnyCaseAndWithSpaces_AdmitsOnce_OnlyForTheOrganizersOwnEventAndDate()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        var otherEvent = await Event(app).OwnedBy(ownerId).Titled("Another night").WithCategory("Fosse", 4500, 10).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 2)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var number = paid.GetProperty("tickets")[0].GetProperty("number").GetString()!;
        var typed = " " + number.ToLowerInvariant().Replace("-", " - ", StringComparison.Ordinal) + " ";
        var (stranger, _, _) = await app.CreateUserClientAsync(Roles.Organizer);

        Assert.Equal("Invalid", await ScanAsync(stranger, number));
        Assert.Equal("Invalid", await ScanAsync(owner, number, otherEvent.PerformanceId));
        Assert.Equal("Invalid", await ScanAsync(owner, number + "9", ev.PerformanceId));
        Assert.Equal("Admitted", await ScanAsync(owner, typed, ev.PerformanceId));
        Assert.Equal("AlreadyUsed", await ScanAsync(owner, number));
        var second = paid.GetProperty("tickets")[1].GetProperty("number").GetString()!;
        Assert.Equal("Admitted", await ScanAsync(await app.AdminClientAsync(), second));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTypedTicketNumberTests(SqliteApp app) : TypedTicketNumberTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTypedTicketNumberTests(PostgresApp app) : TypedTicketNumberTests(app);
