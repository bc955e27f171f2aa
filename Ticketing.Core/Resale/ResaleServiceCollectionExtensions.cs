using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Resale;

public static class ResaleServiceCollectionExtensions
{
    /// <summary>Face-value resale: listings, the buyer's hold, the seller's refund (see <see cref="ResaleService"/>).</summary>
    public static IServiceCollection AddResale(this IServiceCollection services)
    {
        services.AddScoped<ResaleService>();
        services.AddScoped<ResaleSettlement>();
        return services;
    }

    /// <summary>Waiting lists of sold-out categories (see <see cref="Waitlist.WaitlistService"/>), <c>Waitlist:*</c> options.</summary>
    public static IServiceCollection AddWaitlist(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        services.AddOptions<Waitlist.WaitlistOptions>().Bind(configuration.GetSection(Waitlist.WaitlistOptions.Section))
            .Validate(o => o.OfferMinutes is >= 1 and <= 1440 && o.MaxQuantity is >= 1 and <= 100 && o.OfferDelayMilliseconds is >= 0 and <= 60_000,
                "Waitlist:OfferMinutes must be 1-1440, Waitlist:MaxQuantity 1-100 and Waitlist:OfferDelayMilliseconds 0-60000")
            .ValidateOnStart();
        services.AddScoped<Waitlist.WaitlistService>();
        services.AddSingleton<Waitlist.WaitlistNudge>();
        services.AddHostedService<Waitlist.WaitlistNudgeService>();
        return services;
    }
}
