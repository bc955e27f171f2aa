using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Backups;

/// <summary>
/// Where the backup key comes from. Configuration (<c>Backups:EncryptionKey</c>, e.g. from a secret manager through an
/// environment variable) always wins. In Development only, a missing key is generated once and kept in a file outside
/// the database and outside the backup directory (<c>App_Data/keys/backup.key</c>, mode 600), with a warning telling
/// the operator to move it into configuration. Anywhere else a missing key stays missing: backups refuse to run.
/// </summary>
public static class BackupKeyCustody
{
    public const string DevelopmentKeyFile = "App_Data/keys/backup.key";

    /// <summary>Reads the development key file, creating it (with a fresh random key) when it does not exist.</summary>
    public static (string Key, bool Created) LoadOrCreateDevelopmentKey(string keyFilePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(keyFilePath)!);
        if (File.Exists(keyFilePath))
        {
            string existing = File.ReadAllText(keyFilePath).Trim();
            BackupFileFormat.ParseKey(existing); // a damaged key file is an error, never silently replaced
            return (existing, false);
        }

        string key = BackupFileFormat.GenerateKey();
        string temp = keyFilePath + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = FileUtil.CreatePrivateFile(temp))
            using (var writer = new StreamWriter(stream))
                writer.WriteLine(key);
            try
            {
                File.Move(temp, keyFilePath, overwrite: false);
            }
            catch (IOException) when (File.Exists(keyFilePath))
            {
                // Another process created it first: use theirs.
                return LoadOrCreateDevelopmentKey(keyFilePath);
            }
        }
        finally
        {
            FileUtil.TryDelete(temp);
        }
        return (key, true);
    }
}

/// <summary>Resolves <see cref="BackupOptions.Directory"/> against the content root and supplies the Development key.</summary>
internal sealed class BackupOptionsSetup(IHostEnvironment environment, ILoggerFactory loggers) : IPostConfigureOptions<BackupOptions>
{
    private int _warned;

    public void PostConfigure(string? name, BackupOptions options)
    {
        string dir = string.IsNullOrWhiteSpace(options.Directory) ? "App_Data/backups" : options.Directory;
        options.Directory = Path.GetFullPath(Path.Combine(environment.ContentRootPath, dir));
        if (string.IsNullOrWhiteSpace(options.Schedule))
            options.Schedule = new BackupOptions().Schedule;

        if (!string.IsNullOrWhiteSpace(options.EncryptionKey) || !environment.IsDevelopment())
            return;

        string keyFile = Path.GetFullPath(Path.Combine(environment.ContentRootPath, BackupKeyCustody.DevelopmentKeyFile));
        var (key, created) = BackupKeyCustody.LoadOrCreateDevelopmentKey(keyFile);
        options.EncryptionKey = key;
        if (Interlocked.Exchange(ref _warned, 1) == 1)
            return;
        var logger = loggers.CreateLogger("Ticketing.Backups");
        if (created)
            logger.LogWarning("No Backups:EncryptionKey configured: generated a Development backup key in {KeyFile}. " +
                              "Move it to configuration (a secret manager) and keep a copy away from the backups: without it they cannot be restored.", keyFile);
        else
            logger.LogWarning("Using the Development backup key in {KeyFile}; set Backups:EncryptionKey from a secret manager outside Development.", keyFile);
    }
}
