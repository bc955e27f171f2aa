namespace Ticketing.Core.Accounts;

public sealed class AuthOptions
{
    public const string Section = "Auth";
    /// <summary>Base64 of at least 32 bytes; when empty a key is generated once and persisted in the database.</summary>
    public string? JwtSigningKey { get; set; }
    public string Issuer { get; set; } = "ticketing";
    public string Audience { get; set; } = "ticketing-api";
    /// <summary>Lifetime of an access token (1 to 15 minutes): past it, a client refreshes.</summary>
    public int AccessTokenMinutes { get; set; } = 15;
    /// <summary>Lifetime of a refresh token; each refresh gives a new one (rotation) in the same family.</summary>
    public int RefreshTokenDays { get; set; } = 14;
    /// <summary>
    /// How long an instance trusts what it read of an account (security stamp, lock, deletion) before reading it again.
    /// A change made on this instance is seen at once; other instances see it within this delay. 0 reads every request.
    /// </summary>
    public int RevalidateSeconds { get; set; } = 30;
    /// <summary>Secure flag of the sign-in and antiforgery cookies; null: on everywhere except in Development.</summary>
    public bool? SecureCookies { get; set; }
    /// <summary>How many validated bearer tokens an instance remembers until they expire (0 = validate every request).</summary>
    public int ValidatedTokenCacheSize { get; set; } = 100_000;
    /// <summary>How long a password reset link works (it works once: the reset changes the security stamp it is bound to).</summary>
    public int ResetTokenMinutes { get; set; } = 60;
    /// <summary>How long an email confirmation or email change link works.</summary>
    public int EmailTokenHours { get; set; } = 48;
    /// <summary>
    /// Buying needs a confirmed email address (<c>email_not_confirmed</c> until then). Off for the demo; turn it on in
    /// production.
    /// </summary>
    public bool RequireConfirmedEmail { get; set; }
    public SignInLockoutOptions Lockout { get; set; } = new();
}
