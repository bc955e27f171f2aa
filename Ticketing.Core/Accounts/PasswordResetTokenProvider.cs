using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Identity's password reset tokens: protected (Data Protection, the keys every instance shares) and bound to the
/// account, the purpose and its security stamp at the time of issue, valid <c>Auth:ResetTokenMinutes</c> by the app's
/// <see cref="TimeProvider"/> (Identity's own provider reads the wall clock). A reset changes the stamp, so a token works
/// once; a sign-out everywhere or another password change also ends it.
/// </summary>
public sealed class PasswordResetTokenProvider(IDataProtectionProvider protection, IOptions<AuthOptions> options, TimeProvider clock)
    : IUserTwoFactorTokenProvider<AppUser>
{
    public const string ProviderName = "TicketingPasswordReset";

    private readonly IDataProtector _protector = protection.CreateProtector("Ticketing.Accounts.PasswordResetToken");

    private sealed record Payload(long CreatedAtMs, string UserId, string Purpose, string Stamp);

    public async Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user)
    {
        var payload = new Payload(clock.GetUtcNow().ToUnixTimeMilliseconds(), await manager.GetUserIdAsync(user), purpose,
            await manager.GetSecurityStampAsync(user));
        return Base64UrlEncoder.Encode(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(payload)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        Payload? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Payload>(_protector.Unprotect(Base64UrlEncoder.DecodeBytes(token)));
        }
        catch (Exception e) when (e is FormatException or ArgumentException or CryptographicException or JsonException)
        {
            return false; // not one of ours: altered, truncated, or protected with a key this app does not hold
        }
        if (payload is null || payload.Purpose != purpose) return false;
        var created = DateTimeOffset.FromUnixTimeMilliseconds(payload.CreatedAtMs);
        if (created.AddMinutes(options.Value.ResetTokenMinutes) <= clock.GetUtcNow()) return false;
        return payload.UserId == await manager.GetUserIdAsync(user)
               && payload.Stamp == await manager.GetSecurityStampAsync(user);
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(false);
}
