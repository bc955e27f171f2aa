using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ticketing.Core.Persistence;
using Ticketing.Web.Http;

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

/// <summary>
/// Anonymous callers (load balancers, probes) get the overall status only; an Admin (cookie or bearer) also gets each
/// check with its description (database provider, backup errors, scheduler state), which tells an attacker too much.
/// </summary>
public static class HealthResponseWriter
{
    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        var auth = await http.AuthenticateAsync(ApiPolicies.ApiScheme);
        bool admin = auth.Succeeded && auth.Principal.IsInRole(Ticketing.Core.Accounts.Roles.Admin);
        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        object body = admin
            ? new
            {
                status = report.Status.ToString(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
            }
            : new { status = report.Status.ToString() };
        await http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}
