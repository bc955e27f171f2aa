using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Orders;

namespace Ticketing.Tests.Integration.Security;

/// <summary>Idempotency records are purged by their job once older than <c>Idempotency:RetentionHours</c> (24 by default), and only those.</summary>
public abstract class IdempotencyPurgeTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task PurgeJob_DeletesOnlyTheRecordsOlderThanTheirRetention()
    {
        var now = app.Clock.GetUtcNow();
        var ages = new Dictionary<string, TimeSpan>
        {
            ["expired-long-ago"] = TimeSpan.FromDays(30),
            ["expired-just"] = TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1),
            ["kept-just"] = TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1),
            ["kept-fresh"] = TimeSpan.FromMinutes(5),
        };
        await PurchaseTestData.QueryAsync(app, async db =>
        {
            foreach (var (key, age) in ages)
                db.IdempotencyRecords.Add(new IdempotencyRecord
                {
                    Id = Guid.CreateVersion7(), UserId = Guid.NewGuid(), Scope = "orders.pay", Key = key, RequestHash = new string('a', 64),
                    StatusCode = 200, ResponseJson = "{}", CreatedAt = now - age,
                });
            return await db.SaveChangesAsync();
        });

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = ActivatorUtilities.CreateInstance<IdempotencyPurgeJob>(scope.ServiceProvider);
            await job.Execute(null!, CancellationToken.None);
        }

        var left = await PurchaseTestData.QueryAsync(app, db => db.IdempotencyRecords.AsNoTracking().Select(r => r.Key).OrderBy(k => k).ToListAsync());
        Assert.Equal(["kept-fresh", "kept-just"], left);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class IdempotencyPurgeTests_Sqlite(SqliteApp app) : IdempotencyPurgeTests(app);

[Collection(PostgresCollection.Name)]
public sealed class IdempotencyPurgeTests_Postgres(PostgresApp app) : IdempotencyPurgeTests(app);
