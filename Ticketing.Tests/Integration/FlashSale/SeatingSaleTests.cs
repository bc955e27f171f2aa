using Microsoft.Extensions.DependencyInjection;
using Ticketing.Bench.FlashSale;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.FlashSale;

/// <summary>
/// The reserved-seating benchmark (bench/seating.sh, <see cref="SeatingRunner"/>) shrunk to a correctness test: a
/// 2,500-seat plan generated and imported through the API, 600 fans picking seats on a one-second-old map (a third of
/// them aiming at the same 250 seats) or asking for best available, paying, releasing or leaving their hold open,
/// through the real API and database. Then the SQL checks: no seat sold twice, every category's counters equal its seat
/// rows and its tickets + open holds, nothing oversold, no 5xx. No timing assertion.
/// </summary>
public abstract class SeatingSaleTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SixHundredFansPickingSeats_NoSeatSoldTwiceCountersMatchTheSeatRowsAndNo5xx()
    {
        var options = new FlashSaleOptions
        {
            Database = app.Provider == DatabaseProvider.Postgres ? DatabaseKind.Postgres : DatabaseKind.Sqlite,
            ConnectionString = app.Services.GetRequiredService<DatabaseConnectionInfo>().ConnectionString,
            JwtSigningKey = app.Services.GetRequiredService<JwtKeyProvider>().Key.Key,
            AdminEmail = TicketingApp.AdminEmail,
            AdminPassword = TicketingApp.AdminPassword,
            Concurrency = 32,
        };
        using var http = app.Server.CreateClient();

        var line = await new SeatingRunner(http, options, new SeatingOptions { Seats = 2500, Fans = 600, HotShare = 0.35 }).RunAsync();

        var json = line.ToJsonString();
        Assert.True(line["violations"]!.AsArray().Count == 0, json);
        Assert.Equal(600, (int)line["fansServed"]!);
        Assert.Equal(250, (int)line["hotZoneSeats"]!);
        Assert.Equal(0, (int)line["doubleSold"]!);
        Assert.True((bool)line["heldEqualsSoldPlusOpen"]!, json);
        Assert.Equal(0, (int)line["oversold"]!);
        Assert.Equal(0, (int)line["errors5xx"]!);
        Assert.Equal(0, (int)line["transportErrors"]!);
        Assert.True((int)line["paid"]! > 0, json);
        Assert.Equal((int)line["holds"]!, (int)line["paid"]! + (int)line["released"]! + (int)line["leftOpen"]!);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSeatingSaleTests(SqliteApp app) : SeatingSaleTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSeatingSaleTests(PostgresApp app) : SeatingSaleTests(app);
