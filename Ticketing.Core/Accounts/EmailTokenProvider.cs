using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Ticketing.Core.Accounts;

/// <summary>
/// Identity's email confirmation and email change tokens: protected (Data Protection, the keys every instance shares),
/// bound to the account, the purpose (a change's purpose names the new address) and the account's address at the time
/// of issue, valid <c>Auth:EmailTokenHours</c> by the app's <see cref="TimeProvider"/>. Not bound to the security stamp:
/// signing out (which changes the stamp) must not kill a confirmation link. A change moves the address, so its link
/// works once; a confirmation link used again only confirms what is already confirmed.
/// </summary>
public sealed class EmailTokenProvider(IDataProtectionProvider protection, IOptions<AuthOptions> options, TimeProvider clock)
    : IUserTwoFactorTokenProvider<AppUser>
{
    public const string ProviderName = "TicketingEmail";

    private readonly IDataProtector _protector = protection.CreateProtector("Ticketing.Accounts.EmailToken");

    private sealed record Payload(long CreatedAtMs, string UserId, string Purpose, string Email);

    public async Task<string> GenerateAsync(string purpose, UserManager<AppUser> manager, AppUser user)
    {
        var payload = new Payload(clock.GetUtcNow().ToUnixTimeMilliseconds(), await manager.GetUserIdAsync(user), purpose,
            user.NormalizedEmail ?? "");
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
        if (created.AddHours(options.Value.EmailTokenHours) <= clock.GetUtcNow()) return false;
        return payload.UserId == await manager.GetUserIdAsync(user) && payload.Email == (user.NormalizedEmail ?? "");
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<AppUser> manager, AppUser user) => Task.FromResult(false);
}
