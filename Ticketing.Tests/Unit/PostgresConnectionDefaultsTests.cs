using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ticketing.Core.Persistence;

namespace Ticketing.Tests.Unit;

/// <summary>What the app adds to an operator's PostgreSQL connection string, and what it leaves alone.</summary>
public sealed class PostgresConnectionDefaultsTests
{
    private static NpgsqlConnectionStringBuilder Effective(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Ticketing"] = connectionString,
        }).Build();
        using var services = new ServiceCollection().AddLogging().AddTicketingPersistence(configuration, Path.GetTempPath()).BuildServiceProvider();
        using var db = services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContext();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
    }

    [Fact]
    public void Unsaid_ThePoolIsSizedToTheBoxAndTheHotStatementsArePrepared()
    {
        var cs = Effective("Host=db.internal;Database=ticketing;Username=app");
        Assert.Equal(32, cs.MaxPoolSize);
        Assert.Equal(64, cs.MaxAutoPrepare);
        Assert.Equal("db.internal", cs.Host);
    }

    [Fact]
    public void WhatTheOperatorSays_Wins()
    {
        var cs = Effective("Host=db.internal;Database=ticketing;Username=app;Maximum Pool Size=90;max auto prepare=0");
        Assert.Equal(90, cs.MaxPoolSize);
        Assert.Equal(0, cs.MaxAutoPrepare);
    }
}
