using Ticketing.Core;
using Ticketing.Core.Persistence;
using Ticketing.Web.Features.Backups;
using Ticketing.Web.Hosting;

// `dotnet Ticketing.Web.dll backup now|list|verify <file>|restore <file> [--force]`: no web server, no jobs, no migrations.
if (args.Length > 0 && string.Equals(args[0], "backup", StringComparison.OrdinalIgnoreCase))
    return await BackupCli.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);

builder.AddTicketingLogging();
builder.Services.AddTicketingCore(builder.Configuration, builder.Environment.ContentRootPath);
builder.AddTicketingWeb();
builder.AddTicketingJobs();

var app = builder.Build();

await app.Services.InitializeDatabaseAsync();

app.UseTicketingPipeline();
app.MapTicketingEndpoints();

app.Run();
return 0;

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
