using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;
using Ticketing.Core.Backups;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Web.Features.Backups;
using Ticketing.Web.Features.Notifications;
using Ticketing.Web.Features.Orders;

namespace Ticketing.Web.Hosting;

public sealed class JobsOptions
{
    public const string Section = "Jobs";
    /// <summary>Runs the Quartz scheduler in this process (tests turn it off and drive jobs directly).</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>On PostgreSQL, Quartz keeps its jobs in the database and clusters: each run happens on one instance only.</summary>
    public bool Clustered { get; set; } = true;
}

public static class JobsSetup
{
    /// <summary>
    /// Quartz.NET runs every scheduled job of the app. On PostgreSQL the job store is the database itself (clustered,
    /// so several instances never double-run a job); on SQLite (one box) the store is in memory.
    /// Each feature adds its jobs in <see cref="AddJobs"/>.
    /// </summary>
    public static WebApplicationBuilder AddTicketingJobs(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        var provider = builder.Configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        builder.Services.AddOptions<JobsOptions>().Bind(builder.Configuration.GetSection(JobsOptions.Section));

        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => { o.InstanceName = "Ticketing"; o.GenerateInstanceId = true; });
            if (provider == DatabaseProvider.Postgres && options.Clustered)
            {
                var cs = builder.Configuration.GetConnectionString(PersistenceServiceCollectionExtensions.ConnectionStringName)!;
                q.UsePersistentStore(s =>
                {
                    s.UsePostgres(cs);
                    s.ProvisionSchema();
                    s.UseClustering(c => { c.CheckinInterval = TimeSpan.FromSeconds(10); c.CheckinMisfireThreshold = TimeSpan.FromSeconds(30); });
                });
            }
            else
            {
                q.UseInMemoryStore();
            }
            AddJobs(q, builder.Configuration);
        });
        if (options.Enabled)
            builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler");
        builder.Services.AddHostedService<PurchaseStartup>();
        return builder;
    }

    private static void AddJobs(IQuartzBuilder q, IConfiguration configuration)
    {
        // Features register their jobs here, e.g. q.AddTicketingJob<HoldSweepJob>("0/15 * * * * ?").
        q.AddTicketingJob<HoldExpiryJob>(HoldExpiryJob.Cron);
        q.AddTicketingJob<PaymentRecoveryJob>(PaymentRecoveryJob.Cron);
        q.AddTicketingJob<RefundRepairJob>(RefundRepairJob.Cron);
        q.AddTicketingJob<Ticketing.Web.Features.Resale.ResaleRepairJob>(Ticketing.Web.Features.Resale.ResaleRepairJob.Cron);
        q.AddTicketingJob<Ticketing.Web.Features.Waitlist.WaitlistOfferJob>(Ticketing.Web.Features.Waitlist.WaitlistOfferJob.Cron);
        q.AddTicketingJob<Ticketing.Web.Features.WaitingRoom.AdmissionRateJob>(Ticketing.Web.Features.WaitingRoom.AdmissionRateJob.Cron);
        q.AddTicketingJob<Ticketing.Web.Features.Payments.CheckoutReconciliationJob>(Ticketing.Web.Features.Payments.CheckoutReconciliationJob.Cron);
        q.AddTicketingJob<Ticketing.Web.Features.Events.CancellationRefundJob>("0/10 * * * * ?");
        var backupSchedule = configuration[$"{BackupOptions.SectionName}:{nameof(BackupOptions.Schedule)}"];
        q.AddTicketingJob<BackupJob>(string.IsNullOrWhiteSpace(backupSchedule) ? new BackupOptions().Schedule : backupSchedule);
        q.AddTicketingJob<Ticketing.Web.Features.Webhooks.WebhookJob>(configuration["Webhooks:Schedule"] ?? new Ticketing.Core.Webhooks.WebhookOptions().Schedule);
        q.AddTicketingJob<NotificationDispatchJob>(configuration["Notifications:Schedule"] ?? NotificationDispatchJob.Cron);
        q.AddTicketingJob<IdempotencyPurgeJob>(configuration[$"{IdempotencyOptions.Section}:{nameof(IdempotencyOptions.PurgeSchedule)}"] ?? new IdempotencyOptions().PurgeSchedule);
    }

    /// <summary>A durable job with one cron trigger; <see cref="DisallowConcurrentExecutionAttribute"/> on the job keeps runs single.</summary>
    public static void AddTicketingJob<TJob>(this IQuartzBuilder q, string cron) where TJob : IJob
    {
        var key = new JobKey(typeof(TJob).Name);
        q.AddJob<TJob>(j => j.WithIdentity(key).StoreDurably());
        q.AddTrigger(t => t.ForJob(key).WithIdentity(typeof(TJob).Name + ".trigger").WithCronSchedule(cron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
    }
}

public sealed class SchedulerHealthCheck(ISchedulerFactory schedulers, Microsoft.Extensions.Options.IOptions<JobsOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!options.Value.Enabled) return HealthCheckResult.Healthy("disabled by configuration");
        var scheduler = await schedulers.GetScheduler(ct);
        var status = await scheduler.GetStatus(ct);
        // Created: the hosted service starts it right after the app (a start-up probe may come first).
        return status is SchedulerStatus.Running or SchedulerStatus.Created
            ? HealthCheckResult.Healthy(status.ToString())
            : HealthCheckResult.Unhealthy($"the scheduler is {status}");
    }
}
