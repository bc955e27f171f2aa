namespace Ticketing.Web.Features.Users;

/// <summary>What the users grid asks for: search text, role filter and a 1-based page.</summary>
public sealed record UsersQuery(string? Search, string? Role, int Page, int PageSize);
