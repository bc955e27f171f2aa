using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>The secrets the database keeps (signing keys, the Data Protection key ring) are encrypted with the KEK, on both databases.</summary>
public abstract class SecretsAtRestTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static KeyEncryption Kek(string current, params string[] previous) =>
        new(Options.Create(new KeyEncryptionOptions { KeyEncryptionKey = current, PreviousKeyEncryptionKeys = [.. previous] }));

    [Fact]
    public async Task SigningKeysInTheDatabase_AreNotThePlaintextKeyBytes_AndDecryptWithTheKek()
    {
        var store = app.Services.GetRequiredService<SecretStore>();
        var jwtKey = await store.GetOrCreateKeyAsync("jwt-signing-key", null, 64);
        var ticketKey = await store.GetOrCreateKeyAsync("ticket-signing-key", null, 32);

        var rows = await PurchaseTestData.QueryAsync(app, db => db.AppSecrets.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.Value));
        foreach (var (name, key) in new[] { ("jwt-signing-key", jwtKey), ("ticket-signing-key", ticketKey) })
        {
            var stored = rows[name];
            Assert.StartsWith(KeyEncryption.Prefix, stored);
            Assert.DoesNotContain(Convert.ToBase64String(key), stored);
            Assert.Equal(key, Kek(app.KeyEncryptionKey).Decrypt(stored, "AppSecrets|" + name));
        }
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            Kek(Convert.ToBase64String(new byte[32])).Decrypt(rows["jwt-signing-key"], "AppSecrets|jwt-signing-key"));
    }

    [Fact]
    public async Task DataProtectionKeys_AreStoredEncrypted_AndStillRead()
    {
        var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("secrets-at-rest-test");
        var protectedText = protector.Protect("hello");

        var xmls = await PurchaseTestData.QueryAsync(app, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(xmls);
        Assert.All(xmls, xml =>
        {
            Assert.Contains("encryptedSecret", xml);
            Assert.Contains(KeyEncryption.Prefix, xml);
            Assert.DoesNotContain("requiresEncryption", xml); // the plaintext master key's marker
        });
        Assert.Equal("hello", protector.Unprotect(protectedText));
        Assert.All(app.Services.GetRequiredService<IKeyManager>().GetAllKeys(), k => Assert.NotNull(k.Descriptor));
    }

    [Fact]
    public async Task PlaintextSecretsWrittenBeforeEncryption_AreEncryptedOnStart()
    {
        var legacy = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await PurchaseTestData.QueryAsync(app, async db =>
        {
            db.AppSecrets.Add(new AppSecret { Name = "legacy-test-key", Value = Convert.ToBase64String(legacy), CreatedAt = DateTimeOffset.UtcNow });
            return await db.SaveChangesAsync();
        });
        // A key ring written before: its master key in clear, as Data Protection writes it without an encryptor.
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("legacy").Protect("x");
        var plaintextKeyXml = PlaintextKeyXml(await PurchaseTestData.QueryAsync(app, db => db.DataProtectionKeys.AsNoTracking().FirstAsync()));
        await PurchaseTestData.QueryAsync(app, db => db.DataProtectionKeys.ExecuteUpdateAsync(s => s.SetProperty(k => k.Xml, plaintextKeyXml)));

        await app.Services.InitializeDatabaseAsync();

        var stored = await PurchaseTestData.QueryAsync(app, db => db.AppSecrets.AsNoTracking().SingleAsync(s => s.Name == "legacy-test-key"));
        Assert.StartsWith(KeyEncryption.Prefix, stored.Value);
        Assert.Equal(legacy, Kek(app.KeyEncryptionKey).Decrypt(stored.Value, "AppSecrets|legacy-test-key"));
        var xml = await PurchaseTestData.QueryAsync(app, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).FirstAsync());
        Assert.DoesNotContain("requiresEncryption", xml);
        Assert.Contains(KeyEncryption.Prefix, xml);
        Assert.All(app.Services.GetRequiredService<IKeyManager>().GetAllKeys(), k => Assert.NotNull(k.Descriptor));
    }

    /// <summary>The key's XML with its encrypted master key replaced by the plaintext one (what an older version stored).</summary>
    private string PlaintextKeyXml(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey key)
    {
        var root = System.Xml.Linq.XElement.Parse(key.Xml!);
        var secret = root.Descendants().Single(e => e.Name.LocalName == "encryptedSecret");
        var plaintext = new KeyEncryptionXmlDecryptor(app.Services).Decrypt(secret.Elements().Single());
        secret.ReplaceWith(plaintext);
        Assert.Contains("requiresEncryption", root.ToString());
        return root.ToString(System.Xml.Linq.SaveOptions.DisableFormatting);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SecretsAtRestTests_Sqlite(SqliteApp app) : SecretsAtRestTests(app);

[Collection(PostgresCollection.Name)]
public sealed class SecretsAtRestTests_Postgres(PostgresApp app) : SecretsAtRestTests(app);
