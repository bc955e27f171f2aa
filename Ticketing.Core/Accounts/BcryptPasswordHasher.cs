using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Accounts;

public sealed class PasswordHashingOptions
{
    public const string Section = "Security:Passwords";
    /// <summary>bcrypt cost. 12 by default; never below 11 outside tests (tests lower it through configuration).</summary>
    public int BcryptWorkFactor { get; set; } = 12;
}

/// <summary>Identity's password hasher backed by bcrypt. Hashes carry their own salt and cost.</summary>
public sealed class BcryptPasswordHasher(IOptions<PasswordHashingOptions> options) : IPasswordHasher<AppUser>
{
    private int WorkFactor => options.Value.BcryptWorkFactor;

    public string HashPassword(AppUser user, string password) =>
        BCrypt.Net.BCrypt.EnhancedHashPassword(password, WorkFactor);

    public PasswordVerificationResult VerifyHashedPassword(AppUser user, string hashedPassword, string providedPassword)
    {
        if (string.IsNullOrEmpty(hashedPassword) || !hashedPassword.StartsWith("$2", StringComparison.Ordinal))
            return PasswordVerificationResult.Failed;
        bool ok;
        try { ok = BCrypt.Net.BCrypt.EnhancedVerify(providedPassword, hashedPassword); }
        catch (BCrypt.Net.SaltParseException) { return PasswordVerificationResult.Failed; }
        if (!ok) return PasswordVerificationResult.Failed;
        return BCrypt.Net.BCrypt.PasswordNeedsRehash(hashedPassword, WorkFactor)
            ? PasswordVerificationResult.SuccessRehashNeeded
            : PasswordVerificationResult.Success;
    }
}
