using System.Diagnostics;
using System.Net;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// What compose.yaml runs, without Docker: two published instances on one PostgreSQL database, Debian's nginx in front
/// with the repo's <c>deploy/nginx/nginx.conf</c> (templated with the instances' ports), and an SMTP server standing in
/// for mailpit. Everything is started once per test class and killed at the end.
/// </summary>
public sealed class MultiInstanceCluster : IAsyncLifetime
{
    public const string AdminEmail = "admin@cluster.test";
    public const string AdminPassword = Infrastructure.TicketingApp.AdminPassword;

    private readonly List<ChildProcess> _apps = new();
    private ChildProcess? _nginx;
    private string _nginxDirectory = "";

    public SmtpSink Smtp { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public int[] AppPorts { get; } = [TestPorts.Free(), TestPorts.Free()];
    public int NginxPort { get; } = TestPorts.Free();
    public Uri NginxUri => new($"http://127.0.0.1:{NginxPort}");
    public Uri InstanceUri(int index) => new($"http://127.0.0.1:{AppPorts[index]}");

    public async Task InitializeAsync()
    {
        try
        {
            var published = await PublishedBuild.GetDirectoryAsync();
            ConnectionString = await SharedPostgres.CreateDatabaseAsync(maxPoolSize: 10);
            Smtp = new SmtpSink();
            // Both at once, as an orchestrator starts replicas: migrations, roles and the first Admin must survive the race.
            for (var i = 0; i < AppPorts.Length; i++) _apps.Add(StartInstance(published, i));
            _nginx = StartNginx();

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitHealthyAsync(http, NginxUri);
            for (var i = 0; i < AppPorts.Length; i++) await WaitHealthyAsync(http, InstanceUri(i));
        }
        catch (Exception ex)
        {
            var logs = Logs;
            await DisposeAsync();
            throw new InvalidOperationException($"the two-instance cluster did not start: {ex.Message}\n{logs}", ex);
        }
    }

    private readonly string _keyEncryptionKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private ChildProcess StartInstance(string published, int index)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = published };
        foreach (var a in new[] { Path.Combine(published, "Ticketing.Web.dll"), "--urls", InstanceUri(index).ToString().TrimEnd('/') })
            psi.ArgumentList.Add(a);
        var env = psi.Environment;
        env["ASPNETCORE_ENVIRONMENT"] = "Production";
        env["Database__Provider"] = "Postgres";
        env["ConnectionStrings__Ticketing"] = ConnectionString;
        env["Seed__AdminEmail"] = AdminEmail;
        env["Seed__AdminPassword"] = AdminPassword;
        env["Seed__DemoData"] = "false";
        env["Security__KeyEncryptionKey"] = _keyEncryptionKey; // one per cluster: the instances share the database
        env["Security__Passwords__BcryptWorkFactor"] = "4";
        env["RateLimiting__AuthPerMinute"] = "0";
        env["Auth__SecureCookies"] = "false"; // plain http behind the test's nginx
        env["Email__Smtp__Host"] = "127.0.0.1";
        env["Email__Smtp__Port"] = Smtp.Port.ToString();
        env["Email__Smtp__From"] = "tickets@cluster.test";
        env["Email__Smtp__UseTls"] = "false";
        env["Hosting__ForwardedHeaders"] = "true";
        env["App__PublicBaseUrl"] = NginxUri.ToString().TrimEnd('/'); // mails link to the site behind the proxy
        env["Backups__Directory"] = Path.Combine(Path.GetTempPath(), $"ticketing-cluster-backups-{AppPorts[index]}");
        env["Logging__LogLevel__Default"] = "Warning";
        return ChildProcess.Start($"app{index + 1} :{AppPorts[index]}", psi);
    }

    private ChildProcess StartNginx()
    {
        (var nginx, _nginxDirectory) = NginxFront.Start(NginxPort, AppPorts);
        return nginx;
    }

    private async Task WaitHealthyAsync(HttpClient http, Uri baseUri)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (_apps.Any(a => a.HasExited) || _nginx?.HasExited == true)
                throw new InvalidOperationException("a process exited during start-up");
            try
            {
                var response = await http.GetAsync(new Uri(baseUri, "/health"));
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException ex) { last = ex.Message; }
            catch (TaskCanceledException ex) { last = ex.Message; }
            await Task.Delay(500);
        }
        throw new TimeoutException($"{baseUri}health never answered 200 (last: {last})");
    }

    /// <summary>The last lines of every process and nginx's error log: attached to a failing test.</summary>
    public string Logs
    {
        get
        {
            var parts = _apps.Select(a => a.Output).ToList();
            if (_nginx is not null) parts.Add(_nginx.Output);
            var errorLog = Path.Combine(_nginxDirectory, "error.log");
            if (_nginxDirectory.Length > 0 && File.Exists(errorLog))
                parts.Add("----- nginx error.log -----\n" + string.Join("\n", File.ReadLines(errorLog).TakeLast(40)));
            return string.Join("\n", parts);
        }
    }

    public async Task DisposeAsync()
    {
        if (_nginx is not null) await _nginx.DisposeAsync();
        foreach (var app in _apps) await app.DisposeAsync();
        _apps.Clear();
        _nginx = null;
        if (Smtp is not null) await Smtp.DisposeAsync();
        try { if (_nginxDirectory.Length > 0) Directory.Delete(_nginxDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        foreach (var port in AppPorts)
            try { Directory.Delete(Path.Combine(Path.GetTempPath(), $"ticketing-cluster-backups-{port}"), recursive: true); } catch (IOException) { }
    }
}
