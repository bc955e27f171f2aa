namespace Ticketing.Web.Features.Catalog;

/// <summary>
/// <c>OutputCache:*</c>: the output cache of anonymous catalogue pages and of the catalogue API. An event changed on this
/// instance evicts at once; other instances see it when their copy expires (the lifetimes below).
/// </summary>
public sealed class CatalogCacheOptions
{
    public const string Section = "OutputCache";

    public bool Enabled { get; set; } = true;

    /// <summary>Home, search and event pages.</summary>
    public int PageSeconds { get; set; } = 10;

    /// <summary><c>GET /api/events</c> and <c>GET /api/events/{id}</c>.</summary>
    public int ApiSeconds { get; set; } = 10;

    /// <summary><c>GET /api/performances/{id}/availability</c> (the live badges).</summary>
    public int AvailabilitySeconds { get; set; } = 2;
}
