namespace Ticketing.Core.Common;

/// <summary>
/// <c>Security:*</c>: the key-encryption key (KEK) that encrypts the secrets the database keeps (the JWT and ticket
/// signing keys in <c>AppSecrets</c>, the Data Protection key ring). Required outside Development; in Development a
/// missing key is generated once into <c>App_Data/keys/kek.key</c>.
/// </summary>
public sealed class KeyEncryptionOptions
{
    public const string Section = "Security";

    /// <summary>Base64 of 32 random bytes (<c>openssl rand -base64 32</c>): encrypts every secret written from now on.</summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>Former KEKs (base64), still accepted for reading: at start, everything they protect is re-encrypted with the current one.</summary>
    public List<string> PreviousKeyEncryptionKeys { get; set; } = [];
}
