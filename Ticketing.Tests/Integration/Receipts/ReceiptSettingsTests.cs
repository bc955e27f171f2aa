using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Ticketing.Core.Accounts;
using Ticketing.Core.Receipts;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Receipts;

/// <summary>
/// Receipt numbers take their year in the performance's time zone, not UTC; the booking fees' VAT rate is
/// <c>Receipts:BookingFeeVatPercent</c> (20 by default), on its own line of the VAT breakdown.
/// </summary>
public abstract class ReceiptSettingsTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void TheYear_IsTheVenuesYear()
    {
        var newYearsEve = new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(2027, ReceiptIssuer.YearOf(newYearsEve, "Europe/Paris"));
        Assert.Equal(2026, ReceiptIssuer.YearOf(newYearsEve, "America/New_York"));
        Assert.Equal(2026, ReceiptIssuer.YearOf(newYearsEve, "Etc/UTC"));
        Assert.Equal(2026, ReceiptIssuer.YearOf(newYearsEve, "Not/AZone"));
    }

    [Fact]
    public async Task ADocumentIssuedAt2330UtcOnDecember31_IsNumberedInTheNextYearInParis_AndInTheSameYearInNewYork()
    {
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var paris = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        var newYork = await Event(app).OwnedBy(ownerId).WithCategory("Orchestra", 4500, 10).SaveAsync();
        await QueryAsync(app, db => db.Performances.Where(p => p.Id == newYork.PerformanceId).ExecuteUpdateAsync(s => s.SetProperty(p => p.TimeZoneId, "America/New_York")));
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var parisOrder = (await HoldAsync(buyer, paris, 1)).GetProperty("id").GetGuid();
        var newYorkOrder = (await HoldAsync(buyer, newYork, 1)).GetProperty("id").GetGuid();

        var newYearsEve = new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero);
        var numbers = await QueryAsync(app, async db =>
        {
            var orders = await db.Orders.AsNoTracking().Include(o => o.Items).Where(o => o.Id == parisOrder || o.Id == newYorkOrder).ToListAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            var issued = await ReceiptIssuer.IssueForSalesAsync(db, orders.Select(o => (o, "card", "Léa")).ToList(), VatRates.BookingFeeBasisPoints, newYearsEve);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            return issued.ToDictionary(r => r.OrderId, r => (r.Number, r.Year));
        });

        Assert.Equal(("R-2027-000001", 2027), numbers[parisOrder]);
        Assert.Equal(("R-2026-000001", 2026), numbers[newYorkOrder]);
        var counters = await QueryAsync(app, db => db.ReceiptCounters.AsNoTracking().Where(c => c.OrganizerId == ownerId).OrderBy(c => c.Year).ToListAsync());
        Assert.Equal([(2026, 1), (2027, 1)], counters.Select(c => (c.Year, c.Last)));
    }

    [Fact]
    public async Task TheBookingFeesVatRate_IsConfigurable_AndShownOnItsOwnLine()
    {
        await using var configured = app.WithWebHostBuilder(b => b.ConfigureAppConfiguration((_, c) =>
            c.AddInMemoryCollection(new Dictionary<string, string?> { ["Receipts:BookingFeeVatPercent"] = "10" })));
        var ev = await Event(app).WithCategory("Fosse", 4500, 10).SaveAsync();
        await QueryAsync(app, db => db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.BookingFeeMinor, 150)));
        var (fan, _, _) = await app.CreateUserClientAsync();
        var client = configured.CreateClient();
        client.DefaultRequestHeaders.Authorization = fan.DefaultRequestHeaders.Authorization;

        var held = await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 2))).ReadJsonAsync(HttpStatusCode.Created);
        var vat = held.GetProperty("vat").EnumerateArray().Select(v => (v.GetProperty("rate").GetDecimal(), v.GetProperty("base").GetDecimal(), v.GetProperty("amount").GetDecimal())).ToList();
        // 90.00 of tickets at 5.5 %: 85.31 + 4.69; 3.00 of fees at 10 %: 2.73 + 0.27.
        Assert.Equal([(5.5m, 85.31m, 4.69m), (10m, 2.73m, 0.27m)], vat);

        var orderId = held.GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();
        var receipt = await QueryAsync(app, db => db.Receipts.AsNoTracking().SingleAsync(r => r.OrderId == orderId));
        Assert.Equal([new VatLine(550, 8531, 469), new VatLine(1000, 273, 27)], receipt.VatLines());

        // The default: 20 %.
        var byDefault = await (await fan.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync();
        Assert.Contains(byDefault.GetProperty("vat").EnumerateArray(), v => v.GetProperty("rate").GetDecimal() == 20m);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ReceiptSettingsTests_Sqlite(SqliteApp app) : ReceiptSettingsTests(app);

[Collection(PostgresCollection.Name)]
public sealed class ReceiptSettingsTests_Postgres(PostgresApp app) : ReceiptSettingsTests(app);
