using Ticketing.Core;
using Ticketing.Core.Persistence;
using Ticketing.Web.Hosting;

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

/// <summary>Entry point type, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
