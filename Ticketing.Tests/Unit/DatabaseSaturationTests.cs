using Npgsql;
using Ticketing.Web.Hosting;
using Ticketing.Web.Http;

namespace Ticketing.Tests.Unit;

/// <summary>A PostgreSQL at its connection limit answers 503 service_busy (with Retry-After), not a 500: found when a test run saturated it.</summary>
public sealed class DatabaseSaturationTests
{
    [Theory]
    [InlineData("53300", true)]  // too_many_connections: "sorry, too many clients already"
    [InlineData("57P03", true)]  // cannot_connect_now: starting up or shutting down
    [InlineData("23505", false)] // a unique violation is ours to handle
    [InlineData("40P01", false)] // a deadlock is retried where it can happen
    public void APostgresRefusal_IsSaturationOnlyForTheConnectionLimit(string sqlState, bool saturated)
    {
        var refusal = new PostgresException("refused", "FATAL", "FATAL", sqlState);
        Assert.Equal(saturated, DomainExceptionHandler.IsDatabaseSaturated(refusal));
        Assert.Equal(saturated, DomainExceptionHandler.IsDatabaseSaturated(new InvalidOperationException("wrapped", refusal)));
    }

    [Fact]
    public void AnExhaustedPool_IsSaturation_AnOrdinaryTimeoutIsNot()
    {
        Assert.True(DomainExceptionHandler.IsDatabaseSaturated(
            new NpgsqlException("The connection pool has been exhausted, either raise 'Max Pool Size' or 'Timeout'", new TimeoutException())));
        Assert.False(DomainExceptionHandler.IsDatabaseSaturated(new NpgsqlException("Exception while reading from stream", new TimeoutException())));
        Assert.False(DomainExceptionHandler.IsDatabaseSaturated(new InvalidOperationException("a bug")));
    }
}
