using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Common;

/// <summary>
/// Keys that must be the same on every instance and survive restarts (JWT and ticket signing keys) but must never be
/// committed: taken from configuration when set, otherwise generated once and persisted in the database, encrypted with
/// the key-encryption key (<see cref="KeyEncryption"/>). A read is served from memory once loaded; only loading or
/// creating a key takes the lock.
/// </summary>
public sealed class SecretStore(IDbContextFactory<TicketingDbContext> dbFactory, KeyEncryption kek, TimeProvider clock, ILogger<SecretStore> logger)
{
    private static readonly XNamespace DataProtectionNs = "http://schemas.asp.net/2015/03/dataProtection";
    private readonly ConcurrentDictionary<string, byte[]> _cache = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loadGate = new(1, 1);

    public async Task<byte[]> GetOrCreateKeyAsync(string name, string? configuredBase64, int sizeBytes = 32, CancellationToken ct = default)
    {
        if (!string.IsNullOrWhiteSpace(configuredBase64))
            return Convert.FromBase64String(configuredBase64);
        if (_cache.TryGetValue(name, out var cached)) return cached;

        await _loadGate.WaitAsync(ct);
        try
        {
            if (_cache.TryGetValue(name, out cached)) return cached;
            var key = await LoadOrCreateAsync(name, sizeBytes, ct);
            _cache[name] = key;
            return key;
        }
        finally { _loadGate.Release(); }
    }

    private async Task<byte[]> LoadOrCreateAsync(string name, int sizeBytes, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var existing = await db.AppSecrets.AsNoTracking().FirstOrDefaultAsync(s => s.Name == name, ct);
        if (existing is null)
        {
            var key = RandomNumberGenerator.GetBytes(sizeBytes);
            db.AppSecrets.Add(new AppSecret { Name = name, Value = kek.Encrypt(key, PurposeOf(name)), CreatedAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
                logger.LogInformation("Generated secret {SecretName}", name);
                return key;
            }
            catch (DbUpdateException)
            {
                // Another instance created it first (an expected conflict): theirs wins.
                logger.LogDebug("Secret {SecretName} was created by another instance meanwhile", name);
            }
            existing = await db.AppSecrets.AsNoTracking().FirstAsync(s => s.Name == name, ct);
        }
        var (value, _) = await EnsureEncryptedAsync(db, existing, ct);
        return value;
    }

    /// <summary>
    /// At start: every secret the database keeps ends up encrypted with the current key-encryption key — plaintext ones
    /// (written before encryption at rest existed) and those of a previous KEK are re-encrypted; the Data Protection
    /// key ring likewise. Safe on several instances at once (each row is rewritten only if unchanged meanwhile).
    /// Returns how many rows were rewritten.
    /// </summary>
    public async Task<int> EncryptStoredSecretsAsync(CancellationToken ct = default)
    {
        int rewritten = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        foreach (var secret in await db.AppSecrets.AsNoTracking().ToListAsync(ct))
            if ((await EnsureEncryptedAsync(db, secret, ct)).Rewritten) rewritten++;

        foreach (var key in await db.DataProtectionKeys.AsNoTracking().ToListAsync(ct))
        {
            if (key.Xml is null || Rewrap(key.Xml) is not { } xml) continue;
            rewritten += await db.DataProtectionKeys.Where(k => k.Id == key.Id && k.Xml == key.Xml)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.Xml, xml), ct);
        }
        if (rewritten > 0)
            logger.LogInformation("Encrypted {Count} stored secrets with key-encryption key {KeyId}", rewritten, kek.CurrentKeyId);
        return rewritten;
    }

    private async Task<(byte[] Value, bool Rewritten)> EnsureEncryptedAsync(TicketingDbContext db, AppSecret secret, CancellationToken ct)
    {
        var purpose = PurposeOf(secret.Name);
        var value = KeyEncryption.IsEncrypted(secret.Value) ? kek.Decrypt(secret.Value, purpose) : Convert.FromBase64String(secret.Value);
        if (kek.IsCurrent(secret.Value)) return (value, false);
        var encrypted = kek.Encrypt(value, purpose);
        var updated = await db.AppSecrets.Where(s => s.Name == secret.Name && s.Value == secret.Value)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, encrypted), ct);
        return (value, updated == 1);
    }

    /// <summary>The key ring's XML with every master key encrypted with the current KEK; null when it already is.</summary>
    private string? Rewrap(string xml)
    {
        var root = XElement.Parse(xml);
        bool changed = false;
        var ours = typeof(KeyEncryptionXmlDecryptor).FullName + ",";
        foreach (var secret in root.Descendants(DataProtectionNs + "encryptedSecret").ToList())
        {
            var decryptor = (string?)secret.Attribute("decryptorType");
            var inner = secret.Elements().SingleOrDefault();
            // Another decryptor's secret (none in this app) or already current: left as it is.
            if (decryptor is null || !decryptor.StartsWith(ours, StringComparison.Ordinal) || inner is null || kek.IsCurrent(inner.Value)) continue;
            var plaintext = XElement.Parse(Encoding.UTF8.GetString(kek.Decrypt(inner.Value, KeyEncryptionXmlEncryptor.Purpose)));
            secret.ReplaceWith(Wrap(plaintext));
            changed = true;
        }
        foreach (var plaintext in root.DescendantsAndSelf().Where(e => (string?)e.Attribute(DataProtectionNs + "requiresEncryption") == "true").ToList())
        {
            plaintext.ReplaceWith(Wrap(new XElement(plaintext)));
            changed = true;
        }
        return changed ? root.ToString(SaveOptions.DisableFormatting) : null;
    }

    /// <summary>What Data Protection itself writes around an encrypted element.</summary>
    private XElement Wrap(XElement plaintext) =>
        new(DataProtectionNs + "encryptedSecret",
            new XAttribute("decryptorType", typeof(KeyEncryptionXmlDecryptor).AssemblyQualifiedName!),
            new KeyEncryptionXmlEncryptor(kek).Encrypt(plaintext).EncryptedElement);

    private static string PurposeOf(string name) => "AppSecrets|" + name;
}
