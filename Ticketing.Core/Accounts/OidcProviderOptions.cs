namespace Ticketing.Core.Accounts;

/// <summary>
/// One OpenID Connect provider under <c>Auth:Oidc:&lt;name&gt;</c> (the name is a lowercase slug: it appears in the
/// sign-in URL <c>/account/external/&lt;name&gt;</c> and the callback path <c>/signin-oidc-&lt;name&gt;</c>).
/// </summary>
public sealed class OidcProviderOptions
{
    /// <summary>The issuer URL; its <c>/.well-known/openid-configuration</c> is read on the first sign-in.</summary>
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>A secret: set it through the environment or a secret store, never in a committed appsettings file.</summary>
    public string? ClientSecret { get; set; }
    /// <summary>Space-separated scopes asked for; <c>openid</c> is always added.</summary>
    public string Scopes { get; set; } = "openid email profile";
    /// <summary>The provider's name on the "Sign in with …" button.</summary>
    public string DisplayName { get; set; } = "";
    /// <summary>The claim (a string or an array of strings, in the ID token or the userinfo answer) that <see cref="RoleMap"/> reads.</summary>
    public string RoleClaim { get; set; } = "roles";
    /// <summary>Claim value → one of our roles (Admin, Organizer, Customer), granted at each sign-in; never removed by it.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Off only for a provider on plain http in tests.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public IEnumerable<string> ScopeList =>
        new[] { "openid" }.Concat(Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal);

    /// <summary>The roles granted for the given claim values.</summary>
    public IReadOnlyList<string> RolesFor(IEnumerable<string> claimValues) =>
        claimValues.Select(v => RoleMap.TryGetValue(v, out var role) ? role : null).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
}
