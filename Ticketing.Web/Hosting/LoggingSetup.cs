using Microsoft.Extensions.Logging.Console;

namespace Ticketing.Web.Hosting;

public static class LoggingSetup
{
    /// <summary>Structured logs carrying the trace id; JSON lines outside Development (for log shippers).</summary>
    public static WebApplicationBuilder AddTicketingLogging(this WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment() && builder.Configuration["Logging:Format"] != "json")
            builder.Logging.AddSimpleConsole(o => { o.IncludeScopes = true; o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        else
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        return builder;
    }
}
