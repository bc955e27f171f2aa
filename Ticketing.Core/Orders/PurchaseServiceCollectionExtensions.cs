using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Events;
using Ticketing.Core.Payments;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Orders;

public static class PurchaseServiceCollectionExtensions
{
    /// <summary>Holds, payments (the gateway chosen by <c>Payments:Provider</c>) and tickets.</summary>
    public static IServiceCollection AddPurchase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrderOptions>().Bind(configuration.GetSection(OrderOptions.Section))
            .Validate(o => o.HoldMinutes is >= 1 and <= 120, "Orders:HoldMinutes must be between 1 and 120")
            .Validate(o => o.GroupCommitMaxBatch is >= 1 and <= 1000, "Orders:GroupCommitMaxBatch must be between 1 and 1000")
            .Validate(o => o.OnSaleCacheMilliseconds is >= 0 and <= 60_000, "Orders:OnSaleCacheMilliseconds must be between 0 and 60000")
            .Validate(o => o.MaxTicketsPerAccount is >= 1 and <= Event.MaxTicketsPerAccountLimit,
                $"Orders:MaxTicketsPerAccount must be between 1 and {Event.MaxTicketsPerAccountLimit}")
            .Validate(o => o.MaxTicketsPerAccountPerCategory is >= 1 and <= Event.MaxTicketsPerAccountLimit,
                $"Orders:MaxTicketsPerAccountPerCategory must be between 1 and {Event.MaxTicketsPerAccountLimit}")
            .Validate(o => o.MaxOpenHoldsPerAccount is >= 0 and <= 1000, "Orders:MaxOpenHoldsPerAccount must be between 0 and 1000")
            .Validate(o => o.CheckoutHoldMinutes is >= 1 and <= 1440, "Orders:CheckoutHoldMinutes must be between 1 and 1440")
            .ValidateOnStart();
        services.AddOptions<PaymentOptions>().Bind(configuration.GetSection(PaymentOptions.Section))
            .Validate(o => o.Provider is "Simulated" or "Stripe", "Payments:Provider must be Simulated or Stripe")
            .Validate(o => o.Simulated.DelayMilliseconds is >= 0 and <= 60_000, "Payments:Simulated:DelayMilliseconds must be 0..60000")
            .ValidateOnStart();
        services.AddOptions<TicketOptions>().Bind(configuration.GetSection(TicketOptions.Section));

        services.AddSingleton<SoldOutCache>();
        services.AddSingleton<Inventory.SeatInventory>();
        services.AddSingleton<OnSaleCache>();
        services.AddSingleton<SaleActivity>();
        services.AddSingleton<HoldCommitter>();
        services.AddSingleton<PaymentCommitter>();
        services.AddSingleton<TicketCodeSigner>();
        services.AddScoped<OrderService>();
        services.AddScoped<PaymentService>();
        services.AddScoped<TicketService>();
        services.AddSingleton<IdempotencyStore>();

        var stripe = services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.SectionName));
        services.AddSingleton<WebhookSecrets>();
        services.AddScoped<CheckoutService>();
        services.AddScoped<StripeWebhookService>();
        services.AddScoped<FreeOrderPayment>();
        if (string.Equals(configuration["Payments:Provider"], "Stripe", StringComparison.OrdinalIgnoreCase))
        {
            stripe.Validate(o => !string.IsNullOrWhiteSpace(o.SecretKey), "Payments:Stripe:SecretKey is required when Payments:Provider is Stripe")
                .Validate(o => !string.IsNullOrWhiteSpace(o.WebhookSecret), "Payments:Stripe:WebhookSecret is required when Payments:Provider is Stripe")
                .ValidateOnStart();
            services.AddOptions<OrderOptions>().Validate(o => o.CheckoutHoldMinutes >= 31,
                "Orders:CheckoutHoldMinutes must be at least 31 with Stripe (its shortest Checkout Session lasts 30 minutes)");
            services.AddHttpClient<StripePaymentGateway>();
            services.AddHttpClient<StripeHostedCheckout>();
            services.AddScoped<IPaymentGateway>(sp => sp.GetRequiredService<StripePaymentGateway>());
            services.AddScoped<IHostedCheckout>(sp => sp.GetRequiredService<StripeHostedCheckout>());
        }
        else
        {
            services.AddSingleton<SimulatedPaymentGateway>();
            services.AddSingleton<IPaymentGateway>(sp => sp.GetRequiredService<SimulatedPaymentGateway>());
            services.AddSingleton<IHostedCheckout, SimulatedHostedCheckout>();
            services.AddScoped<SimulatedPaymentPage>();
        }
        return services;
    }
}
