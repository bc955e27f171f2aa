using Ticketing.Core.Guests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Core.Backups;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Receipts;
using Ticketing.Core.Resale;
using Ticketing.Core.Seating;
using Ticketing.Core.WaitingRoom;

namespace Ticketing.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Everything of the domain: persistence, feature services, options. Hosting concerns stay in Ticketing.Web.</summary>
    public static IServiceCollection AddTicketingCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddTicketingPersistence(configuration, contentRoot);
        services.AddOptions<SeedOptions>().Bind(configuration.GetSection(SeedOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section))
            .Validate(o => o.AccessTokenMinutes is >= 1 and <= 15, "Auth:AccessTokenMinutes must be between 1 and 15")
            .Validate(o => o.RefreshTokenDays is >= 1 and <= 90, "Auth:RefreshTokenDays must be between 1 and 90")
            .Validate(o => o.RevalidateSeconds is >= 0 and <= 300, "Auth:RevalidateSeconds must be between 0 and 300")
            .Validate(o => o.ResetTokenMinutes is >= 5 and <= 1440, "Auth:ResetTokenMinutes must be between 5 and 1440")
            .Validate(o => o.EmailTokenHours is >= 1 and <= 720, "Auth:EmailTokenHours must be between 1 and 720")
            .Validate(o => o.Lockout.FreeFailures >= 1 && o.Lockout.BaseSeconds >= 1 && o.Lockout.MaxSeconds >= o.Lockout.BaseSeconds
                && o.Lockout.MaxEntries >= 1000, "Auth:Lockout needs FreeFailures >= 1, BaseSeconds >= 1, MaxSeconds >= BaseSeconds, MaxEntries >= 1000")
            .ValidateOnStart();
        services.AddOptions<PasswordHashingOptions>().Bind(configuration.GetSection(PasswordHashingOptions.Section))
            .Validate(o => o.BcryptWorkFactor is >= 4 and <= 31, "Security:Passwords:BcryptWorkFactor must be between 4 and 31").ValidateOnStart();

        services.AddOptions<KeyEncryptionOptions>().Bind(configuration.GetSection(KeyEncryptionOptions.Section))
            .Validate(o => KeyEncryption.IsValidKey(o.KeyEncryptionKey),
                "Security:KeyEncryptionKey is required outside Development: the base64 of 32 random bytes (openssl rand -base64 32)")
            .Validate(o => o.PreviousKeyEncryptionKeys.All(k => string.IsNullOrWhiteSpace(k) || KeyEncryption.IsValidKey(k)),
                "Security:PreviousKeyEncryptionKeys must hold base64 keys of 32 bytes")
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<KeyEncryptionOptions>, KeyEncryptionOptionsSetup>();
        services.AddSingleton<KeyEncryption>();
        services.AddOptions<PublicSiteOptions>().Bind(configuration.GetSection(PublicSiteOptions.Section))
            .Validate(o => PublicSiteOptions.IsValid(o.PublicBaseUrl), PublicSiteOptions.RequiredMessage)
            .ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<PublicSiteOptions>, PublicSiteOptionsSetup>();
        services.AddSingleton<SecretStore>();
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.Section))
            .Validate(o => o.RetentionHours is >= 1 and <= 24 * 365, "Idempotency:RetentionHours must be between 1 and 8760")
            .Validate(o => Backups.BackupSchedule.IsValid(o.PurgeSchedule), "Idempotency:PurgeSchedule must be a Quartz cron expression")
            .ValidateOnStart();
        services.AddSingleton<JwtKeyProvider>();
        services.AddScoped<AccountService>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<TokenService>();
        services.AddScoped<PasswordResetService>();
        services.AddScoped<EmailConfirmationService>();
        services.AddScoped<AccountSecurityService>();
        services.AddScoped<AccountExportService>();
        services.AddScoped<CredentialChecker>();
        services.AddScoped<ExternalSignInService>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<AccountStampCache>();
        services.AddSingleton<Sales.SalesService>();
        services.AddSingleton<Reports.ReportService>();
        services.AddScoped<Orders.RefundService>();
        services.AddOptions<Receipts.ReceiptOptions>().Bind(configuration.GetSection(Receipts.ReceiptOptions.Section))
            .Validate(o => o.BookingFeeVatPercent is >= 0 and <= 100, "Receipts:BookingFeeVatPercent must be between 0 and 100")
            .ValidateOnStart();
        services.AddReceipts();
        services.AddSeating();
        services.AddScoped<BoxOffice.BoxOfficeService>();
        services.AddScoped<Tickets.TicketTransferService>();
        services.AddScoped<Comps.CompService>();
        services.AddScoped<Events.EventCancellationService>();
        services.AddTicketingBackups(configuration);
        services.AddSingleton(new EventImageStore(Path.Combine(contentRoot, "App_Data", "uploads")));
        services.AddScoped<EventService>();
        services.AddSingleton<CatalogChangeNotifier>();
        services.AddScoped<CatalogService>();
        services.AddScoped<DemoCatalogSeeder>();
        services.AddPurchase(configuration);
        services.AddScoped<Tickets.CheckInService>();
        services.AddScoped<Door.DoorDeviceService>();
        services.AddScoped<Door.OfflineDoorService>();
        services.AddTicketingNotifications(configuration, contentRoot);
        services.AddWaitingRoom(configuration);
        services.AddResale();
        services.AddWaitlist(configuration);
        Codes.CodesServiceCollectionExtensions.AddEventCodes(services);
        Webhooks.WebhooksServiceCollectionExtensions.AddWebhooks(services, configuration);
        services.AddGuestCheckout();
        return services;
    }
}
