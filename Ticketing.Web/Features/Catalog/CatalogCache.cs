using Microsoft.AspNetCore.OutputCaching;
using Ticketing.Core.Events;

namespace Ticketing.Web.Features.Catalog;

/// <summary>The output cache of the catalogue (one registration; <c>OutputCache:Enabled=false</c> switches it off).</summary>
public static class CatalogCache
{
    public const string Tag = "catalog";
    public const string PagePolicy = "CatalogPage";
    public const string ApiPolicy = "CatalogApi";
    public const string AvailabilityPolicy = "Availability";
    public const string AuthCookie = "ticketing.auth";
    public const string AntiforgeryCookiePrefix = ".AspNetCore.Antiforgery.";

    public static IServiceCollection AddCatalogCache(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(CatalogCacheOptions.Section).Get<CatalogCacheOptions>() ?? new CatalogCacheOptions();
        services.Configure<CatalogCacheOptions>(config.GetSection(CatalogCacheOptions.Section));
        services.AddOutputCache(o =>
        {
            o.AddPolicy(PagePolicy, new AnonymousCachePolicy(TimeSpan.FromSeconds(Math.Max(1, options.PageSeconds))));
            o.AddPolicy(ApiPolicy, new AnonymousCachePolicy(TimeSpan.FromSeconds(Math.Max(1, options.ApiSeconds))));
            o.AddPolicy(AvailabilityPolicy, new AnonymousCachePolicy(TimeSpan.FromSeconds(Math.Max(1, options.AvailabilitySeconds))));
        });
        if (options.Enabled) services.AddSingleton<ICatalogChangeObserver, CatalogCacheEviction>();
        return services;
    }

    /// <summary>After authentication (the policies look at the request), before the endpoints.</summary>
    public static IApplicationBuilder UseCatalogCache(this WebApplication app)
    {
        if (app.Configuration.GetValue(CatalogCacheOptions.Section + ":" + nameof(CatalogCacheOptions.Enabled), true)) app.UseOutputCache();
        return app;
    }
}
