using System.Diagnostics;
using System.Text;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// A real OpenID Connect provider (npm <c>oidc-provider</c>, Ticketing.Tests/Oidc/provider.js) as a Node process on
/// a free loopback port. Its development login page takes any email and password; the account's claims follow the
/// email (see provider.js): <c>unverified…</c> has <c>email_verified=false</c>, <c>organizer…</c> the role <c>box-office</c>.
/// </summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    public const string ClientId = "ticketing-tests";
    public const string ClientSecret = "oidc-test-secret-0f3a9c";
    /// <summary>The provider's role that the apps under test map to Organizer.</summary>
    public const string OrganizerRole = "box-office";

    private static readonly SemaphoreSlim Install = new(1, 1);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public int Port { get; }
    public string Issuer => $"http://127.0.0.1:{Port}";
    public string Log { get { lock (_log) return _log.ToString(); } }

    private OidcProviderProcess(Process process, int port) => (_process, Port) = (process, port);

    /// <summary>The configuration of an app that offers this provider under <paramref name="name"/> (keys as in appsettings).</summary>
    public static Dictionary<string, string?> AppSettings(string name, int port, string displayName = "Test ID") => new()
    {
        [$"Auth:Oidc:{name}:Authority"] = $"http://127.0.0.1:{port}",
        [$"Auth:Oidc:{name}:ClientId"] = ClientId,
        [$"Auth:Oidc:{name}:ClientSecret"] = ClientSecret,
        [$"Auth:Oidc:{name}:Scopes"] = "openid email profile roles",
        [$"Auth:Oidc:{name}:DisplayName"] = displayName,
        [$"Auth:Oidc:{name}:RoleClaim"] = "roles",
        [$"Auth:Oidc:{name}:RoleMap:{OrganizerRole}"] = "Organizer",
        [$"Auth:Oidc:{name}:RequireHttpsMetadata"] = "false",
    };

    /// <summary>Starts the provider on <paramref name="port"/>, accepting the given redirect URIs; returns once it listens.</summary>
    public static async Task<OidcProviderProcess> StartAsync(int port, params string[] redirectUris)
    {
        var folder = Path.Combine(PublishedBuild.RepositoryRoot, "Ticketing.Tests", "Oidc");
        await Install.WaitAsync();
        try
        {
            // .ci/test.sh runs `npm ci` there; a developer's first run does it here.
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "oidc-provider")))
                await ToolRun.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, TimeSpan.FromMinutes(3));
        }
        finally { Install.Release(); }
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "provider.js", port.ToString(), ClientId, ClientSecret, string.Join(",", redirectUris) }) psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var provider = new OidcProviderProcess(process, port);
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            provider.Append(e.Data);
            if (e.Data.StartsWith("listening ", StringComparison.Ordinal)) listening.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => provider.Append(e.Data);
        if (!process.Start()) throw new InvalidOperationException("node did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != listening.Task)
        {
            await provider.DisposeAsync();
            throw new InvalidOperationException("The OpenID Connect provider did not start:\n" + provider.Log);
        }
        return provider;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}
