using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.Seating;

public static class SeatingServiceCollectionExtensions
{
    /// <summary>Reserved seating: plans, seat maps and holds on seats.</summary>
    public static IServiceCollection AddSeating(this IServiceCollection services)
    {
        services.AddScoped<SeatingPlanService>();
        services.AddSingleton<SeatHolds>();
        services.AddSingleton<SeatPicker>();
        services.AddMemoryCache();
        services.AddSingleton<SeatMapService>();
        return services;
    }
}
