using System.Globalization;

namespace Ticketing.Core.Backups;

/// <summary>
/// Command line front end: <c>backup now | list | verify &lt;file&gt; | restore &lt;file&gt; [--force]</c>.
/// Exit codes: 0 success, 1 failure, 2 usage error.
/// </summary>
public static class BackupCommandLine
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public const string Usage =
        "usage: backup now                      create an encrypted backup now\n" +
        "       backup list                     list backups, newest first\n" +
        "       backup verify <file>            decrypt and check a backup without restoring\n" +
        "       backup restore <file> [--force] restore into the configured database (--force: even if not empty)";

    /// <summary>Runs a backup command. <paramref name="args"/> may start with "backup" (as passed by the main app) or with the verb.</summary>
    public static async Task<int> RunAsync(string[] args, BackupService service, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(output);

        var rest = args.AsSpan();
        if (rest.Length > 0 && string.Equals(rest[0], "backup", StringComparison.OrdinalIgnoreCase))
            rest = rest[1..];
        if (rest.Length == 0)
            return await UsageAsync(output, "missing command").ConfigureAwait(false);

        string verb = rest[0].ToLowerInvariant();
        var operands = rest[1..].ToArray();
        bool force = operands.Contains("--force", StringComparer.Ordinal);
        var positional = operands.Where(a => a != "--force").ToArray();

        try
        {
            switch (verb)
            {
                case "now" when operands.Length == 0:
                {
                    var info = await service.CreateAsync(cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"backup created: {info.Path} ({info.SizeBytes.ToString(CultureInfo.InvariantCulture)} bytes)").ConfigureAwait(false);
                    return Success;
                }
                case "list" when operands.Length == 0:
                {
                    var list = service.List();
                    if (list.Count == 0)
                        await output.WriteLineAsync($"no backups in {service.BackupDirectory}").ConfigureAwait(false);
                    foreach (var b in list)
                        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{b.CreatedAtUtc:yyyy-MM-dd HH:mm:ss}Z  {b.SizeBytes,14}  {b.Path}")).ConfigureAwait(false);
                    return Success;
                }
                case "verify" when positional.Length == 1 && !force:
                {
                    var header = await service.VerifyAsync(positional[0], cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"backup OK: {header.Provider}, created {header.CreatedAtUtc:yyyy-MM-dd HH:mm:ss}Z, {header.ContentLength} bytes, sha256 {header.ContentSha256}")).ConfigureAwait(false);
                    return Success;
                }
                case "restore" when positional.Length == 1:
                {
                    await service.RestoreAsync(positional[0], force, cancellationToken).ConfigureAwait(false);
                    await output.WriteLineAsync($"restored from {positional[0]}").ConfigureAwait(false);
                    return Success;
                }
                default:
                    return await UsageAsync(output, $"unknown or malformed command '{string.Join(' ', rest.ToArray())}'").ConfigureAwait(false);
            }
        }
        catch (BackupException ex)
        {
            await output.WriteLineAsync("error: " + OneLine(ex.Message)).ConfigureAwait(false);
            return Failure;
        }
        catch (OperationCanceledException)
        {
            await output.WriteLineAsync("error: cancelled").ConfigureAwait(false);
            return Failure;
        }
        catch (Exception ex)
        {
            await output.WriteLineAsync($"error: unexpected {ex.GetType().Name}: {OneLine(ex.Message)}").ConfigureAwait(false);
            return Failure;
        }
    }

    private static async Task<int> UsageAsync(TextWriter output, string problem)
    {
        await output.WriteLineAsync("error: " + problem).ConfigureAwait(false);
        await output.WriteLineAsync(Usage).ConfigureAwait(false);
        return UsageError;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
