using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ticketing.Core.WaitingRoom;

public static class WaitingRoomServiceCollectionExtensions
{
    public static IServiceCollection AddWaitingRoom(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WaitingRoomOptions>().Bind(configuration.GetSection(WaitingRoomOptions.Section))
            .Validate(o => o.TurnMinutes is >= 1 and <= 120, "WaitingRoom:TurnMinutes must be between 1 and 120")
            .Validate(o => o.CacheMilliseconds is >= 0 and <= 5000, "WaitingRoom:CacheMilliseconds must be between 0 and 5000")
            .Validate(o => string.IsNullOrWhiteSpace(o.TokenKey) || IsKey(o.TokenKey), "WaitingRoom:TokenKey must be the base64 of 32 bytes")
            .ValidateOnStart();
        services.AddMemoryCache();
        services.AddSingleton<AdmissionTokens>();
        services.AddSingleton<WaitingRoomService>();
        return services;
    }

    private static bool IsKey(string value)
    {
        var buffer = new byte[64];
        return Convert.TryFromBase64String(value, buffer, out var n) && n == 32;
    }
}
