using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Web.Features.Auth;

namespace Ticketing.Web.Hosting;

/// <summary>
/// Re-checks a connected circuit's security stamp every <c>Auth:RevalidateSeconds</c>, like every HTTP request: a demoted,
/// locked, deleted or signed-out user loses the circuit's access.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options,
    IOptions<AuthOptions> auth) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(Math.Max(1, auth.Value.RevalidateSeconds));

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await SessionValidation.IsCurrentAsync(scope.ServiceProvider, authenticationState.User,
            options.Value.ClaimsIdentity.SecurityStampClaimType, cancellationToken);
    }
}
