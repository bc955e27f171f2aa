namespace Ticketing.Core.Common;

/// <summary>A generated secret (JWT signing key, ticket signing key) persisted once so every instance shares it.</summary>
public sealed class AppSecret
{
    public string Name { get; set; } = "";
    public string Value { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
