using System.Text.RegularExpressions;

namespace Ticketing.Core.Accounts;

/// <summary><c>Auth:Oidc</c>: the OpenID Connect providers offered as "Sign in with …", by name. Empty: none offered.</summary>
public sealed partial class OidcOptions
{
    public const string Section = "Auth:Oidc";

    public Dictionary<string, OidcProviderOptions> Providers { get; } = new(StringComparer.Ordinal);

    public static OidcOptions From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var options = new OidcOptions();
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            var provider = new OidcProviderOptions();
            Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(child, provider);
            options.Providers[child.Key] = provider;
        }
        return options;
    }

    /// <summary>What is wrong with the configuration, or nothing.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, p) in Providers)
        {
            if (!Slug().IsMatch(name)) yield return $"Auth:Oidc:{name}: the name must be a lowercase slug (a-z, 0-9, -)";
            if (!Uri.TryCreate(p.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
                yield return $"Auth:Oidc:{name}:Authority must be an absolute URL";
            else if (authority.Scheme == "http" && p.RequireHttpsMetadata)
                yield return $"Auth:Oidc:{name}:Authority must be https (RequireHttpsMetadata=false only for tests)";
            if (string.IsNullOrWhiteSpace(p.ClientId)) yield return $"Auth:Oidc:{name}:ClientId is required";
            if (string.IsNullOrWhiteSpace(p.DisplayName)) yield return $"Auth:Oidc:{name}:DisplayName is required";
            foreach (var (value, role) in p.RoleMap)
                if (!Roles.IsKnown(role)) yield return $"Auth:Oidc:{name}:RoleMap:{value} must be one of {string.Join(", ", Roles.All)}";
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,30}$")]
    private static partial Regex Slug();
}
