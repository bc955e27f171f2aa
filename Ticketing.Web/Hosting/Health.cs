using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ticketing.Core.Persistence;

namespace Ticketing.Web.Hosting;

public sealed class DatabaseHealthCheck(IDbContextFactory<TicketingDbContext> dbFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Database.CanConnectAsync(ct)
                ? HealthCheckResult.Healthy(db.Provider.ToString())
                : HealthCheckResult.Unhealthy("The database is unreachable.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.", ex);
        }
    }
}

public static class HealthResponseWriter
{
    public static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
