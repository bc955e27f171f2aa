using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Guests;

public static class GuestServiceCollectionExtensions
{
    /// <summary>Guest checkout: orders by email address, their signed links, the claim by a later account.</summary>
    public static IServiceCollection AddGuestCheckout(this IServiceCollection services)
    {
        services.AddSingleton<GuestAccess>();
        services.AddScoped<GuestCheckoutService>();
        return services;
    }
}
