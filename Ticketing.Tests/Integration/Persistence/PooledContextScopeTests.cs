using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Persistence;

/// <summary>
/// The request's <see cref="TicketingDbContext"/> comes from EF Core's context pool. A scope must give it back exactly once:
/// a context registered under two service types is disposed twice by the scope, and a context rented by another request
/// between the two disposals is taken from under it (stop 29's CI: one 500 "Cannot access a disposed context instance" in
/// 200 parallel GET /api/me). Many scopes at once, each using its context, must never see another's.
/// </summary>
public abstract class PooledContextScopeTests(TicketingApp app)
{
    [Fact]
    public async Task ManyScopesAtOnce_EachKeepsItsOwnContextUntilItEnds()
    {
        var failures = 0;
        var seen = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 4000), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (_, ct) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
            try
            {
                await db.Users.AsNoTracking().AnyAsync(ct);
                await Task.Yield();
                await db.Users.AsNoTracking().CountAsync(ct);
                Interlocked.Increment(ref seen);
            }
            catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
        Assert.Equal(4000, seen);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PooledContextScopeTests_Sqlite(SqliteApp app) : PooledContextScopeTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PooledContextScopeTests_Postgres(PostgresApp app) : PooledContextScopeTests(app);
