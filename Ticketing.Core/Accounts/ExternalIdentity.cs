namespace Ticketing.Core.Accounts;

/// <summary>Who an OpenID Connect provider says signed in: its stable subject, the email and whether it verified it.</summary>
public sealed record ExternalIdentity(
    string Provider,
    string Subject,
    string? Email,
    bool EmailVerified,
    string? Name,
    IReadOnlyList<string> Roles);
