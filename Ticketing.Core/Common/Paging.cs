namespace Ticketing.Core.Common;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, int TotalCount);

public readonly record struct PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 100;

    public static PageRequest Create(int? page, int? pageSize, int defaultSize = 20) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public int Skip => (Page - 1) * PageSize;
}
