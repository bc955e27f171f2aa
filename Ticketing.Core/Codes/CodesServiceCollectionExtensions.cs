using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Codes;

public static class CodesServiceCollectionExtensions
{
    /// <summary>Access codes (presales) and promo codes.</summary>
    public static IServiceCollection AddEventCodes(this IServiceCollection services)
    {
        services.AddSingleton<OrderCodes>();
        services.AddScoped<EventCodeService>();
        return services;
    }
}
