using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Contract;

/// <summary>
/// A partner's purchase journey through the client Kiota generates from the live document (<see cref="GeneratedClient"/>):
/// register, sign in, list events, hold, pay with the simulated card, read the tickets, and a sold_out problem details
/// read through the generated error type.
/// </summary>
public abstract class GeneratedClientJourneyTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AKiotaClientGeneratedFromTheLiveDocument_BuysTheLastTwoSeatsThenReadsSoldOutAsProblemDetails()
    {
        var title = "Partner gala " + Guid.NewGuid().ToString("N")[..6];
        var ev = await PurchaseTestData.Event(app).Titled(title).WithCategory("Balcony", 4500, 2).SaveAsync();
        var journey = await GeneratedClient.GetJourneyAsync(app.CreateClient());
        var email = $"partner-{Guid.NewGuid():N}@test.local";

        var seen = await journey(app.CreateClient(), title, "Balcony", email, TicketingApp.Password, CancellationToken.None);

        Assert.Equal(email, seen["register.email"]);
        Assert.Equal("Customer", seen["register.roles"]);
        Assert.Equal("Bearer", seen["token.type"]);
        Assert.Equal(email, seen["me.email"]);
        Assert.Equal(title, seen["events.found"]);
        Assert.Equal("2", seen["category.available"]);
        Assert.Equal("Reserved", seen["hold.status"]);
        Assert.Equal("90.00", seen["hold.total"]);
        Assert.Equal("Paid", seen["pay.status"]);
        Assert.Equal("2", seen["pay.tickets"]);
        Assert.Equal("2", seen["tickets.count"]);
        Assert.Equal("Valid", seen["ticket.status"]);
        Assert.Equal("True", seen["ticket.hasCode"]);
        Assert.False(seen.ContainsKey("soldOut"), "the third seat was held");
        Assert.Equal("409", seen["soldOut.status"]);
        Assert.Equal("sold_out", seen["soldOut.code"]);
        Assert.Equal("True", seen["soldOut.hasTitle"]);
        var category = await PurchaseTestData.CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal(2, category.Sold);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteGeneratedClientJourneyTests(SqliteApp app) : GeneratedClientJourneyTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresGeneratedClientJourneyTests(PostgresApp app) : GeneratedClientJourneyTests(app);
