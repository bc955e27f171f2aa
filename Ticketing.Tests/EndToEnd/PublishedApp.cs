using Ticketing.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// The PUBLISHED app (the way the Dockerfile ships it) as real processes, in one of two shapes:
/// <list type="bullet">
/// <item><see cref="StartAsync"/>: one instance on a fresh SQLite file (the small server's shape);</item>
/// <item><see cref="StartClusterAsync"/>: what compose.yaml runs — two instances on one fresh PostgreSQL database, Debian's
/// nginx in front with the repo's <c>deploy/nginx/nginx.conf</c>, one content root shared as compose shares its volume
/// (uploads, the mail pickup folder). <see cref="BaseUrl"/> is then nginx: pages and circuits stick to an instance per
/// browser (its affinity cookie), the API is balanced to the least busy one.</item>
/// </list>
/// Production environment: static web assets come from the publish output only.
/// </summary>
public sealed class PublishedApp : IAsyncDisposable
{
    public const string AdminEmail = "admin@e2e.local";
    public const string AdminPassword = Infrastructure.TicketingApp.AdminPassword;
    public const string Password = Infrastructure.TicketingApp.Password;

    private readonly List<Instance> _instances = new();
    private ChildProcess? _nginx;
    private string _nginxDirectory = "";

    public Uri BaseUrl { get; }
    public string ContentRoot { get; }

    /// <summary>The site's database (a SQLite file's, or the cluster's PostgreSQL database).</summary>
    public string ConnectionString { get; }

    /// <summary>Two instances behind nginx (<see cref="StartClusterAsync"/>), or one.</summary>
    public bool IsCluster => _nginx is not null;

    /// <summary>Each instance's own address (behind nginx for a cluster).</summary>
    public IReadOnlyList<Uri> InstanceUrls => _instances.Select(i => i.Url).ToList();

    private PublishedApp(Uri baseUrl, string contentRoot, string connectionString)
    {
        (BaseUrl, ContentRoot, ConnectionString) = (baseUrl, contentRoot, connectionString);
    }

    /// <summary>Everything the instances wrote so far (JSON console lines, warnings and up), and nginx's errors.</summary>
    public string Log
    {
        get
        {
            if (!IsCluster) return _instances.Count == 0 ? "" : _instances[0].Log;
            var parts = _instances.Select(i => $"----- {i.Name} {i.Url} -----\n{i.Log}").ToList();
            parts.Add(_nginx!.Output);
            var errorLog = Path.Combine(_nginxDirectory, "error.log");
            if (File.Exists(errorLog)) parts.Add("----- nginx error.log -----\n" + string.Join("\n", File.ReadLines(errorLog).TakeLast(40)));
            return string.Join("\n", parts);
        }
    }

    /// <summary>One instance on a fresh SQLite file, on <paramref name="port"/> (or a free one).</summary>
    public static Task<PublishedApp> StartAsync(IDictionary<string, string>? extraEnvironment = null, int? port = null) =>
        LaunchAsync(extraEnvironment, port, cluster: false);

    /// <summary>
    /// Two instances on one fresh PostgreSQL database behind nginx listening on <paramref name="port"/> (or a free one):
    /// started at once, as an orchestrator starts replicas (migrations, roles and the first Admin survive the race).
    /// </summary>
    public static Task<PublishedApp> StartClusterAsync(IDictionary<string, string>? extraEnvironment = null, int? port = null) =>
        LaunchAsync(extraEnvironment, port, cluster: true);

    private static async Task<PublishedApp> LaunchAsync(IDictionary<string, string>? extraEnvironment, int? port, bool cluster)
    {
        var publishDir = await PublishedBuild.GetDirectoryAsync();
        var contentRoot = Path.Combine(Path.GetTempPath(), "ticketing-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(contentRoot);
        var url = new Uri($"http://127.0.0.1:{port ?? TestPorts.Free()}");
        var connectionString = cluster ? await SharedPostgres.CreateDatabaseAsync(maxPoolSize: 20)
            : $"Data Source={Path.Combine(contentRoot, "ticketing.db")}";
        var app = new PublishedApp(url, contentRoot, connectionString);
        var env = Environment(url);
        env["Database__Provider"] = cluster ? "Postgres" : "Sqlite";
        env["ConnectionStrings__Ticketing"] = connectionString;
        // One key per site: a cluster's instances share the database and read each other's secrets.
        env["Security__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        if (cluster) env["Hosting__ForwardedHeaders"] = "true";
        foreach (var (k, v) in extraEnvironment ?? new Dictionary<string, string>()) env[k] = v;
        try
        {
            if (!cluster)
            {
                app._instances.Add(Instance.Start("app", publishDir, contentRoot, url, env));
                await app.WaitForHealthAsync(url, TimeSpan.FromSeconds(90));
                return app;
            }
            int[] ports = [TestPorts.Free(), TestPorts.Free()];
            for (var i = 0; i < ports.Length; i++)
                app._instances.Add(Instance.Start($"app{i + 1}", publishDir, contentRoot, new Uri($"http://127.0.0.1:{ports[i]}"), env));
            (app._nginx, app._nginxDirectory) = NginxFront.Start(url.Port, ports);
            foreach (var instance in app._instances) await app.WaitForHealthAsync(instance.Url, TimeSpan.FromSeconds(120));
            await app.WaitForHealthAsync(url, TimeSpan.FromSeconds(30));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>What every instance is started with (the database and its key are the shape's).</summary>
    private static Dictionary<string, string> Environment(Uri siteUrl) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Seed__AdminEmail"] = AdminEmail,
        ["Seed__AdminPassword"] = AdminPassword,
        ["Seed__DemoData"] = "false",
        ["Security__Passwords__BcryptWorkFactor"] = "4",
        // Mails link to the site (nginx for a cluster).
        ["App__PublicBaseUrl"] = siteUrl.ToString().TrimEnd('/'),
        ["RateLimiting__AuthPerMinute"] = "0",
        // Served over plain http on the loopback: a Secure cookie would never come back.
        ["Auth__SecureCookies"] = "false",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging__LogLevel__Ticketing"] = "Information",
    };

    private async Task WaitForHealthAsync(Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_instances.FirstOrDefault(i => i.HasExited) is { } dead)
                throw new InvalidOperationException($"The published app ({dead.Name}) exited with code {dead.ExitCode}:\n{Log}");
            if (_nginx?.HasExited == true) throw new InvalidOperationException($"nginx exited:\n{Log}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{url} did not answer /health within {timeout}:\n{Log}");
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseUrl };

    /// <summary>Registers a customer through the public API (the same path as the sign-up form's service).</summary>
    public async Task<string> RegisterCustomerAsync(string? email = null, string displayName = "E2E Customer")
    {
        email ??= $"fan-{Guid.NewGuid():N}@e2e.local";
        using var http = CreateClient();
        var response = await http.PostAsJsonAsync("/api/auth/register", new { email, password = Password, displayName, preferredLanguage = "en", notificationChannel = "Email" });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"register {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return email;
    }

    /// <summary>An HttpClient carrying a bearer token for the given account.</summary>
    public async Task<HttpClient> ClientForAsync(string email, string password)
    {
        var http = CreateClient();
        var response = await http.PostAsJsonAsync("/api/auth/token", new { email, password });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"token {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var token = (await response.Content.ReadFromJsonAsync<TokenDto>())!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return http;
    }

    /// <summary>Creates a user with the given role through the admin API; returns its email.</summary>
    public async Task<string> CreateUserAsync(string role, string? email = null, string displayName = "E2E User")
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@e2e.local";
        using var admin = await ClientForAsync(AdminEmail, AdminPassword);
        var response = await admin.PostAsJsonAsync("/api/users", new { email, password = Password, displayName, roles = new[] { role } });
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"create {role} {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return email;
    }

    private sealed record TokenDto(string AccessToken);

    public async ValueTask DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        foreach (var instance in _instances) await instance.DisposeAsync(Path.Combine(ContentRoot, $"{instance.Name}.log"));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(ContentRoot, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { if (_nginxDirectory.Length > 0) Directory.Delete(_nginxDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>One process of the published app and what it wrote.</summary>
    private sealed class Instance
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private Instance(string name, Uri url, Process process) => (Name, Url, _process) = (name, url, process);

        public string Name { get; }
        public Uri Url { get; }
        public bool HasExited => _process.HasExited;
        public int ExitCode => _process.ExitCode;
        public string Log { get { lock (_log) return _log.ToString(); } }

        public static Instance Start(string name, string publishDir, string contentRoot, Uri url, IDictionary<string, string> env)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = contentRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { Path.Combine(publishDir, "Ticketing.Web.dll"), "--urls", url.ToString().TrimEnd('/'),
                         "--contentRoot", contentRoot, "--webroot", Path.Combine(publishDir, "wwwroot") })
                psi.ArgumentList.Add(a);
            foreach (var (k, v) in env) psi.Environment[k] = v;
            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            var instance = new Instance(name, url, process);
            process.OutputDataReceived += (_, e) => instance.Append(e.Data);
            process.ErrorDataReceived += (_, e) => instance.Append(e.Data);
            // A dead app shows up in the journeys as refused connections: say how it ended (137 = killed from outside).
            process.Exited += (_, _) => { try { instance.Append($"[e2e] {name} exited with code {process.ExitCode} at {DateTime.UtcNow:O}"); } catch (InvalidOperationException) { } };
            if (!process.Start()) throw new InvalidOperationException("dotnet did not start");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return instance;
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_log) _log.AppendLine(line);
        }

        public async ValueTask DisposeAsync(string logFile)
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
                }
            }
            catch (InvalidOperationException) { }
            catch (TimeoutException) { }
            try { await File.WriteAllTextAsync(logFile, Log); } catch (IOException) { }
            _process.Dispose();
        }
    }
}
