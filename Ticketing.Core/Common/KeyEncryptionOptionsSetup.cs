using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Backups;

namespace Ticketing.Core.Common;

/// <summary>
/// In Development only, a missing <c>Security:KeyEncryptionKey</c> is generated once into <c>App_Data/keys/kek.key</c>
/// (mode 600, outside the database and the backups), with a warning; anywhere else the app refuses to start without it.
/// </summary>
internal sealed class KeyEncryptionOptionsSetup(IHostEnvironment environment, ILoggerFactory loggers) : IPostConfigureOptions<KeyEncryptionOptions>
{
    public const string DevelopmentKeyFile = "App_Data/keys/kek.key";
    private int _warned;

    public void PostConfigure(string? name, KeyEncryptionOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey) || !environment.IsDevelopment())
            return;
        string keyFile = Path.GetFullPath(Path.Combine(environment.ContentRootPath, DevelopmentKeyFile));
        var (key, created) = BackupKeyCustody.LoadOrCreateDevelopmentKey(keyFile);
        options.KeyEncryptionKey = key;
        if (Interlocked.Exchange(ref _warned, 1) == 1)
            return;
        loggers.CreateLogger("Ticketing.Security").LogWarning(created
                ? "No Security:KeyEncryptionKey configured: generated a Development key-encryption key in {KeyFile}. Set it from a secret manager outside Development."
                : "Using the Development key-encryption key in {KeyFile}; set Security:KeyEncryptionKey from a secret manager outside Development.",
            keyFile);
    }
}
