using Ticketing.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// The PUBLISHED app (the way the Dockerfile ships it) as a real process on a free port, on a fresh SQLite file
/// in a temporary content root. Production environment: static web assets come from the publish output only.
/// </summary>
public sealed class PublishedApp : IAsyncDisposable
{
    public const string AdminEmail = "admin@e2e.local";
    public const string AdminPassword = Infrastructure.TicketingApp.AdminPassword;
    public const string Password = Infrastructure.TicketingApp.Password;

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _logFile;

    public Uri BaseUrl { get; }
    public string ContentRoot { get; }

    private PublishedApp(Process process, Uri baseUrl, string contentRoot, string logFile)
    {
        (_process, BaseUrl, ContentRoot, _logFile) = (process, baseUrl, contentRoot, logFile);
    }

    /// <summary>Everything the app wrote so far (JSON console lines, warnings and up).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    public static async Task<PublishedApp> StartAsync(IDictionary<string, string>? extraEnvironment = null, int? port = null)
    {
        var publishDir = await PublishedBuild.GetDirectoryAsync();
        var contentRoot = Path.Combine(Path.GetTempPath(), "ticketing-e2e-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(contentRoot);
        var url = new Uri($"http://127.0.0.1:{port ?? TestPorts.Free()}");

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
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Ticketing"] = $"Data Source={Path.Combine(contentRoot, "ticketing.db")}",
            ["Seed__AdminEmail"] = AdminEmail,
            ["Seed__AdminPassword"] = AdminPassword,
            ["Seed__DemoData"] = "false",
            ["Security__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["Security__Passwords__BcryptWorkFactor"] = "4",
            ["App__PublicBaseUrl"] = url.ToString().TrimEnd('/'),
            ["RateLimiting__AuthPerMinute"] = "0",
            // Served over plain http on the loopback: a Secure cookie would never come back.
            ["Auth__SecureCookies"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
            ["Logging__LogLevel__Ticketing"] = "Information",
        };
        foreach (var (k, v) in extraEnvironment ?? new Dictionary<string, string>()) env[k] = v;
        foreach (var (k, v) in env) psi.Environment[k] = v;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var app = new PublishedApp(process, url, contentRoot, Path.Combine(contentRoot, "app.log"));
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        // A dead app shows up in the journeys as refused connections: say how it ended (137 = killed from outside).
        process.Exited += (_, _) => { try { app.Append($"[e2e] the published app exited with code {process.ExitCode} at {DateTime.UtcNow:O}"); } catch (InvalidOperationException) { } };
        if (!process.Start()) throw new InvalidOperationException("dotnet did not start");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitForHealthAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    private async Task WaitForHealthAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The published app exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The published app did not answer /health within {timeout}:\n{Log}");
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
        try { await File.WriteAllTextAsync(_logFile, Log); } catch (IOException) { }
        _process.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(ContentRoot, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
