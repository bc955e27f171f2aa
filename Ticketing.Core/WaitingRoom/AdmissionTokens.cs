using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;

namespace Ticketing.Core.WaitingRoom;

/// <summary>
/// Short-lived admission tokens: <c>wr1.{account}.{performance}.{expiry unix seconds}.{HMAC-SHA256}</c>, the MAC over
/// everything before it with a key kept by <see cref="SecretStore"/> (the same on every instance). Stateless: any
/// instance checks any token.
/// </summary>
public sealed class AdmissionTokens(SecretStore secrets, IOptions<WaitingRoomOptions> options)
{
    private const string Prefix = "wr1";
    private const string KeyName = "waiting-room-admission-key";

    public async Task<string> IssueAsync(Guid userId, Guid performanceId, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        var body = $"{Prefix}.{userId:N}.{performanceId:N}.{expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        return body + "." + Base64Url.EncodeToString(HMACSHA256.HashData(await KeyAsync(ct), Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>True only for an untampered token of this account and performance that has not expired.</summary>
    public async Task<bool> IsValidAsync(string? token, Guid userId, Guid performanceId, DateTimeOffset now, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200) return false;
        var parts = token.Split('.');
        if (parts.Length != 5 || parts[0] != Prefix) return false;
        byte[] mac;
        try { mac = Base64Url.DecodeFromChars(parts[4]); }
        catch (FormatException) { return false; }
        var body = token[..token.LastIndexOf('.')];
        var expected = HMACSHA256.HashData(await KeyAsync(ct), Encoding.ASCII.GetBytes(body));
        if (!CryptographicOperations.FixedTimeEquals(mac, expected)) return false;
        return Guid.TryParseExact(parts[1], "N", out var account) && account == userId
            && Guid.TryParseExact(parts[2], "N", out var performance) && performance == performanceId
            && long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry)
            && now.ToUnixTimeSeconds() < expiry;
    }

    private Task<byte[]> KeyAsync(CancellationToken ct) => secrets.GetOrCreateKeyAsync(KeyName, options.Value.TokenKey, 32, ct);
}
