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
}
