using Ticketing.Core.Persistence;
using Ticketing.Core.Backups;

namespace Ticketing.Web.Features.Backups;

/// <summary>
/// The <c>backup</c> verbs of the app's own executable. Builds the same configuration and services as the web app
/// (appsettings, environment variables, <c>--Key=Value</c> arguments) but starts nothing: no web server, no Quartz,
/// no hosted services, no migrations and no seeding, so a restore finds its target as empty as it was.
/// </summary>
public static class BackupCli
{
    public static async Task<int> RunAsync(string[] args)
    {
        // "--Backups:Directory=/x" style arguments are configuration; everything else belongs to the verb.
        var configArgs = args.Where(IsConfigArgument).ToArray();
        var verbArgs = args.Where(a => !IsConfigArgument(a)).ToArray();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = configArgs });
        builder.Logging.ClearProviders();
        // Logs go to stderr so that stdout carries only the command's own answer (scripts parse `backup list`).
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Ticketing", LogLevel.Warning);
        // Only what a backup needs: the provider and effective connection string, the options, the service.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddTicketingPersistence(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddTicketingBackups(builder.Configuration);

        await using var app = builder.Build();
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };

        BackupService service;
        try
        {
            service = app.Services.GetRequiredService<BackupService>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or BackupException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            await Console.Out.WriteLineAsync("error: " + ex.Message.ReplaceLineEndings(" "));
            return BackupCommandLine.Failure;
        }
        return await BackupCommandLine.RunAsync(verbArgs, service, Console.Out, cancel.Token);
    }

    private static bool IsConfigArgument(string arg) => arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=');
}
