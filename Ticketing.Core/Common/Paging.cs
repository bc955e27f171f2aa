namespace Ticketing.Core.Common;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

/// <summary>Bounds of what a search box or filter may send (longer is no search anyone typed).</summary>
public static class SearchTerms
{
    public const int MaxLength = 200;
}

public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    /// <summary>The last page anyone can ask for: (page - 1) * pageSize always fits the int offset the databases take.</summary>
    public const int MaxPage = int.MaxValue / MaxPageSize;

    /// <summary>Clamps both numbers (a page past the end is simply empty): no input can overflow the offset.</summary>
    public static PageRequest Create(int? page, int? pageSize, int defaultSize = 20) =>
        new(Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public int Skip => (int)Math.Min(int.MaxValue, ((long)Math.Clamp(Page, 1, MaxPage) - 1) * Math.Clamp(PageSize, 1, MaxPageSize));
}
