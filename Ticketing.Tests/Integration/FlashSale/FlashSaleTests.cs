using Microsoft.Extensions.DependencyInjection;
using Ticketing.Bench.FlashSale;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.FlashSale;

/// <summary>
/// The flash-sale benchmark (bench/FlashSale) shrunk to a correctness test: 2,000 fans press "Book" together for 200
/// seats, through the real API and database. Exactly 200 sell, once each; no timing assertion.
/// </summary>
public abstract class FlashSaleTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoThousandBuyersForTwoHundredSeats_SellEverySeatExactlyOnceWithNoOversellAndNo5xx()
    {
        var options = new FlashSaleOptions
        {
            Database = app.Provider == DatabaseProvider.Postgres ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            ConnectionString = app.Services.GetRequiredService<DatabaseConnectionInfo>().ConnectionString,
            JwtSigningKey = app.Services.GetRequiredService<JwtKeyProvider>().Key.Key,
            AdminEmail = TicketingApp.AdminEmail,
            AdminPassword = TicketingApp.AdminPassword,
            Seats = 200,
            Buyers = 2000,
            Concurrency = 32,
            SoldOutPhase = TimeSpan.Zero,
            PingPhase = TimeSpan.Zero,
        };
        using var http = app.Server.CreateClient();

        var result = await new FlashSaleRunner(http, options).RunAsync();

        Assert.True(result.Ok, string.Join("; ", result.Violations) + "\n" + result.ToJsonLine());
        Assert.Equal(2000, result.Attempts);
        Assert.Equal(200, result.Sold);
        Assert.Equal(1800, result.SoldOutAnswers);
        Assert.Equal(0, result.Duplicates);
        Assert.Equal(0, result.Oversold);
        Assert.Equal(0, result.Errors5xx);
        Assert.Equal(0, result.TransportErrors);
        Assert.Empty(result.OtherAnswers);
        Assert.Equal(new Verification.DbFigures(200, 200, 0, 200, 200, 200, 0), result.Db_);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteFlashSaleTests(SqliteApp app) : FlashSaleTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresFlashSaleTests(PostgresApp app) : FlashSaleTests(app);
