using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>
/// Rotating the key-encryption key: the app restarted with a new KEK and the old one under
/// <c>Security:PreviousKeyEncryptionKeys</c> still reads everything and re-encrypts it with the new one.
/// Each database gets an app of its own (the rotation changes what every other test's app could read).
/// </summary>
public abstract class KekRotationTests(TicketingApp app)
{
    [Fact]
    public async Task AnOldKek_StillReads_AndTheNewOneWritesEverything()
    {
        var oldKek = app.KeyEncryptionKey;
        var newKek = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var jwtKey = await app.Services.GetRequiredService<SecretStore>().GetOrCreateKeyAsync("jwt-signing-key", null, 64);
        var protectedText = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Protect("kept");
        var admin = await app.AdminClientAsync(); // a bearer token signed before the rotation

        await using var rotated = app.WithWebHostBuilder(b => b
            .UseSetting("Security:KeyEncryptionKey", newKek)
            .UseSetting("Security:PreviousKeyEncryptionKeys:0", oldKek));
        _ = rotated.Services; // starts: re-encrypts at start

        var newOnly = new KeyEncryption(Options.Create(new KeyEncryptionOptions { KeyEncryptionKey = newKek }));
        var oldOnly = new KeyEncryption(Options.Create(new KeyEncryptionOptions { KeyEncryptionKey = oldKek }));
        var secrets = await PurchaseTestData.QueryAsync(app, db => db.AppSecrets.AsNoTracking().ToListAsync());
        Assert.NotEmpty(secrets);
        Assert.All(secrets, s => Assert.True(newOnly.IsCurrent(s.Value), s.Name));
        Assert.Equal(jwtKey, newOnly.Decrypt(secrets.Single(s => s.Name == "jwt-signing-key").Value, "AppSecrets|jwt-signing-key"));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            oldOnly.Decrypt(secrets.Single(s => s.Name == "jwt-signing-key").Value, "AppSecrets|jwt-signing-key"));

        var xmls = await PurchaseTestData.QueryAsync(app, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
        Assert.All(xmls, xml => Assert.Contains(KeyEncryption.Prefix + newOnly.CurrentKeyId + ".", xml));
        Assert.All(rotated.Services.GetRequiredService<IKeyManager>().GetAllKeys(), k => Assert.NotNull(k.Descriptor));
        Assert.Equal("kept", rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(protectedText));

        // Same signing key after the rotation: a token issued before still works.
        var client = rotated.CreateClient();
        client.DefaultRequestHeaders.Authorization = admin.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
    }
}

public sealed class RotationSqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class RotationPostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class KekRotationTests_Sqlite(RotationSqliteApp app) : KekRotationTests(app), IClassFixture<RotationSqliteApp>;

public sealed class KekRotationTests_Postgres(RotationPostgresApp app) : KekRotationTests(app), IClassFixture<RotationPostgresApp>;
