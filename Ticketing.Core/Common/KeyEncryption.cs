using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Common;

/// <summary>
/// Encrypts secrets at rest with the key-encryption key: AES-256-GCM, a random 96-bit nonce per value, the value's
/// purpose (e.g. the secret's name) as associated data, so a ciphertext copied onto another row does not decrypt.
/// Stored form: <c>kek1.{key id}.{base64(nonce ‖ ciphertext ‖ tag)}</c>; the key id (a hash of the KEK, not the KEK)
/// tells which configured KEK reads it, so the current KEK and the previous ones can be told apart when rotating.
/// </summary>
public sealed class KeyEncryption
{
    public const string Prefix = "kek1.";
    private const int KeySize = 32, NonceSize = 12, TagSize = 16;
    private readonly (string Id, byte[] Key) _current;
    private readonly Dictionary<string, byte[]> _readable = new(StringComparer.Ordinal);

    public KeyEncryption(IOptions<KeyEncryptionOptions> options)
    {
        var o = options.Value;
        var current = ParseKey(o.KeyEncryptionKey, "Security:KeyEncryptionKey");
        _current = (IdOf(current), current);
        _readable[_current.Id] = current;
        foreach (var previous in o.PreviousKeyEncryptionKeys.Where(k => !string.IsNullOrWhiteSpace(k)))
        {
            var key = ParseKey(previous, "Security:PreviousKeyEncryptionKeys");
            _readable.TryAdd(IdOf(key), key);
        }
    }

    /// <summary>The id of the current KEK (a truncated hash: safe to log).</summary>
    public string CurrentKeyId => _current.Id;

    public static bool IsValidKey(string? base64)
    {
        try { return !string.IsNullOrWhiteSpace(base64) && Convert.FromBase64String(base64.Trim()).Length == KeySize; }
        catch (FormatException) { return false; }
    }

    public static bool IsEncrypted(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>True when <paramref name="stored"/> is encrypted with the current KEK (nothing to migrate).</summary>
    public bool IsCurrent(string stored) => stored.StartsWith(Prefix + _current.Id + ".", StringComparison.Ordinal);

    public string Encrypt(ReadOnlySpan<byte> plaintext, string purpose)
    {
        var blob = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Key, TagSize);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(NonceSize, plaintext.Length), blob.AsSpan(NonceSize + plaintext.Length), Encoding.UTF8.GetBytes(purpose));
        return Prefix + _current.Id + "." + Convert.ToBase64String(blob);
    }

    /// <summary>Decrypts with whichever configured KEK wrote it; a missing KEK or an altered value is a <see cref="CryptographicException"/>.</summary>
    public byte[] Decrypt(string stored, string purpose)
    {
        var parts = stored.Split('.');
        if (parts.Length != 3 || !IsEncrypted(stored))
            throw new CryptographicException("The value is not encrypted with a key-encryption key.");
        if (!_readable.TryGetValue(parts[1], out var key))
            throw new CryptographicException($"The value was encrypted with key-encryption key {parts[1]}, which is neither Security:KeyEncryptionKey nor one of Security:PreviousKeyEncryptionKeys.");
        var blob = Convert.FromBase64String(parts[2]);
        if (blob.Length < NonceSize + TagSize) throw new CryptographicException("The encrypted value is truncated.");
        var plaintext = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize, plaintext.Length), blob.AsSpan(NonceSize + plaintext.Length), plaintext, Encoding.UTF8.GetBytes(purpose));
        return plaintext;
    }

    private static byte[] ParseKey(string? base64, string setting) =>
        IsValidKey(base64)
            ? Convert.FromBase64String(base64!.Trim())
            : throw new InvalidOperationException($"{setting} must be the base64 of 32 random bytes (openssl rand -base64 32).");

    private static string IdOf(byte[] key) =>
        Convert.ToHexStringLower(SHA256.HashData([.. Encoding.ASCII.GetBytes("ticketing.kek.id|"), .. key]))[..12];
}
