namespace Ticketing.Core.Accounts;

/// <summary>
/// One refresh token, stored as the SHA-256 of its value (the value itself is only ever in the client's hands).
/// Each refresh spends the token and issues the next one in the same <see cref="FamilyId"/> (one sign-in); presenting a
/// spent token again means it was copied: the whole family is revoked.
/// </summary>
public sealed class RefreshToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    /// <summary>Hex SHA-256 of the token value.</summary>
    public string TokenHash { get; set; } = "";
    /// <summary><see cref="AccountStampCache.Hash"/> of the account's stamp when the family started: a later change ends it.</summary>
    public string StampHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    /// <summary>When it was exchanged for the next one.</summary>
    public DateTimeOffset? SpentAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}
