using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Backups;

public static class BackupServiceCollectionExtensions
{
    /// <summary>
    /// Options from "Backups", one <see cref="BackupStatus"/> and one <see cref="BackupService"/> on the configured
    /// provider and effective connection string (needs <see cref="DatabaseConnectionInfo"/>, registered by persistence).
    /// </summary>
    public static IServiceCollection AddTicketingBackups(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>().Bind(configuration.GetSection(BackupOptions.SectionName))
            .Validate(o => string.IsNullOrWhiteSpace(o.Schedule) || BackupSchedule.IsValid(o.Schedule), "Backups:Schedule is not a valid Quartz cron expression")
            .Validate(o => o.Keep >= 0, "Backups:Keep must not be negative")
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<BackupOptions>, BackupOptionsSetup>();
        services.AddSingleton<BackupStatus>();
        services.AddSingleton(sp =>
        {
            var db = sp.GetRequiredService<DatabaseConnectionInfo>();
            return new BackupService(
                sp.GetRequiredService<IOptions<BackupOptions>>().Value,
                db.Provider.ToString(),
                db.ConnectionString,
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<BackupService>>(),
                sp.GetRequiredService<BackupStatus>());
        });
        return services;
    }
}
