using System.Globalization;
using Ticketing.Core.Events;

namespace Ticketing.Web.Features.Catalog;

/// <summary>The filters of /search, as they travel in its URL (<c>?q=&amp;city=&amp;category=&amp;from=&amp;to=&amp;maxPrice=&amp;sort=</c>).</summary>
public sealed record SearchFilterValues(
    string? Q = null, string? City = null, string? Category = null, DateTime? From = null, DateTime? To = null,
    decimal? MaxPrice = null, CatalogSort Sort = CatalogSort.Date)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Q) && string.IsNullOrWhiteSpace(City) && string.IsNullOrWhiteSpace(Category)
                           && From is null && To is null && MaxPrice is null;

    public string ToUrl(int page = 1)
    {
        var parts = new List<string>();
        void Add(string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) parts.Add($"{key}={Uri.EscapeDataString(value.Trim())}");
        }
        Add("q", Q);
        Add("city", City);
        Add("category", Category);
        Add("from", From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("to", To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Add("maxPrice", MaxPrice?.ToString(CultureInfo.InvariantCulture));
        if (Sort != CatalogSort.Date) Add("sort", Sort.ToString());
        if (page > 1) Add("page", page.ToString(CultureInfo.InvariantCulture));
        return "/search" + (parts.Count > 0 ? "?" + string.Join('&', parts) : "");
    }

    public CatalogQuery ToQuery() => new()
    {
        Q = Q, City = City, Category = EventRules.ParseCategory(Category)?.ToString(),
        From = From is { } f ? new DateTimeOffset(DateTime.SpecifyKind(f.Date, DateTimeKind.Utc)) : null,
        To = To is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t.Date, DateTimeKind.Utc)) : null,
        MaxPrice = MaxPrice is >= 0 ? MaxPrice : null, Sort = Sort,
    };
}
