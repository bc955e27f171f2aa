using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Notifications;

public static class NotificationServiceCollectionExtensions
{
    public static IServiceCollection AddTicketingNotifications(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.Section))
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, "Notifications:MaxAttempts must be between 1 and 100")
            .Validate(o => o.LeaseSeconds >= 30, "Notifications:LeaseSeconds must be at least 30")
            .Validate(o => o.BatchSize is >= 1 and <= 500, "Notifications:BatchSize must be between 1 and 500")
            .Validate(o => o.PaceWhileSellingMilliseconds is >= 0 and <= 60_000, "Notifications:PaceWhileSellingMilliseconds must be 0..60000")
            .ValidateOnStart();
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.Section))
            .Validate(o => o.Port is > 0 and < 65536, "Email:Smtp:Port must be a TCP port")
            .Validate(o => MimeKit.MailboxAddress.TryParse(o.From, out _), "Email:Smtp:From must be an email address")
            .Validate(o => o.TimeoutSeconds is >= 1 and <= 300, "Email:Smtp:TimeoutSeconds must be between 1 and 300")
            .ValidateOnStart();
        services.AddOptions<SmsOptions>().Bind(configuration.GetSection(SmsOptions.Section))
            .Validate(o => string.Equals(o.Provider, "Simulated", StringComparison.OrdinalIgnoreCase), "Sms:Provider must be Simulated")
            .ValidateOnStart();

        services.TryAddSingleton(new ContentRootPath(contentRoot));
        services.TryAddSingleton<TicketPdfRenderer>();
        services.AddSingleton<IEmailSender, MailKitEmailSender>();
        services.AddSingleton<ISmsGateway, SimulatedSmsGateway>();
        services.AddScoped<ETicketDocuments>();
        services.AddScoped<NotificationComposer>();
        services.AddScoped<NotificationDispatcher>();
        services.AddScoped<Messages.AttendeeMessageComposer>();
        services.AddScoped<Messages.AttendeeMessageService>();
        services.AddScoped<Messages.RescheduleService>();
        services.AddScoped<Messages.BuyerRefundWindows>();
        services.AddScoped<NotificationAdminService>();
        return services;
    }
}
