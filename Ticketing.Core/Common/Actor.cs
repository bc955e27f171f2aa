using System.Security.Claims;

namespace Ticketing.Core.Common;

/// <summary>Who is acting: the signed-in user's id and whether they are an Admin (services decide access with it).</summary>
public readonly record struct Actor(Guid UserId, bool IsAdmin)
{
    public static Actor From(ClaimsPrincipal principal) => new(principal.UserId(), principal.IsAdmin());

    /// <summary>An anonymous principal becomes nobody: owns nothing, administers nothing.</summary>
    public static Actor FromAnyone(ClaimsPrincipal? principal) =>
        principal?.UserIdOrNull() is { } id ? new(id, principal.IsAdmin()) : new(Guid.Empty, false);
}
