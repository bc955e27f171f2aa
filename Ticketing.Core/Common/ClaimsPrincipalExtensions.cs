using System.Security.Claims;
using Ticketing.Core.Accounts;

namespace Ticketing.Core.Common;

public static class ClaimsPrincipalExtensions
{
    public static Guid? UserIdOrNull(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? principal.FindFirstValue("sub"), out var id) ? id : null;

    public static Guid UserId(this ClaimsPrincipal principal) =>
        principal.UserIdOrNull() ?? throw new InvalidOperationException("No user id claim.");

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(Roles.Admin);
}
