using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// The app as it ships: the output of <c>dotnet publish Ticketing.Web -c Release</c> (the Dockerfile's command).
/// <c>.ci/test.sh</c> publishes once and exports TICKETING_PUBLISHED_APP; without it the first test that asks
/// publishes into artifacts/publish-tests (once per test run).
/// </summary>
public static class PublishedBuild
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _directory;

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ticketing.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Ticketing.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<string> GetDirectoryAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_directory is not null) return _directory;
            var fromCi = Environment.GetEnvironmentVariable("TICKETING_PUBLISHED_APP");
            if (!string.IsNullOrEmpty(fromCi) && File.Exists(Path.Combine(fromCi, "Ticketing.Web.dll")))
                return _directory = fromCi;

            var output = Path.Combine(RepositoryRoot, "artifacts", "publish-tests");
            var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryRoot };
            foreach (var a in new[] { "publish", "Ticketing.Web", "-c", "Release", "-o", output }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(5)).Token);
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"dotnet publish failed: {await stdout} {await stderr}");
            return _directory = output;
        }
        finally { Gate.Release(); }
    }

}

/// <summary>
/// A child process whose output is kept (the last lines) for the failure message, and which is always killed with
/// its whole tree on dispose.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LinkedList<string> _lines = new();
    private const int MaxLines = 400;

    public string Name { get; }
    public bool HasExited => _process.HasExited;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    public static ChildProcess Start(string name, ProcessStartInfo psi)
    {
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process);
        process.OutputDataReceived += (_, e) => child.Add(e.Data);
        process.ErrorDataReceived += (_, e) => child.Add(e.Data);
        if (!process.Start()) throw new InvalidOperationException($"could not start {name}");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        line = Compact(line);
        lock (_lines)
        {
            _lines.AddLast(line);
            if (_lines.Count > MaxLines) _lines.RemoveFirst();
        }
    }

    /// <summary>A JSON console log line as "Level Category: first line of the message | first line of the exception".</summary>
    private static string Compact(string line)
    {
        if (!line.StartsWith('{')) return line.Length > 1000 ? line[..1000] + " ..." : line;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            var root = doc.RootElement;
            string Field(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString()! : "";
            static string First(string text) => text.Split('\n', 2)[0];
            var exception = Field("Exception");
            var compact = $"{Field("Timestamp")} {Field("LogLevel")} {Field("Category")}: {First(Field("Message"))}" +
                          (exception.Length > 0 ? " | " + First(exception) : "");
            return compact.Length > 1000 ? compact[..1000] + " ..." : compact;
        }
        catch (System.Text.Json.JsonException)
        {
            return line;
        }
    }

    public string Output
    {
        get
        {
            lock (_lines)
            {
                var sb = new StringBuilder();
                sb.AppendLine($"----- {Name} (last {_lines.Count} lines{(_process.HasExited ? $", exited {_process.ExitCode}" : "")}) -----");
                foreach (var l in _lines) sb.AppendLine(l);
                return sb.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(15)).Token);
            }
        }
        catch (InvalidOperationException) { }
        catch (OperationCanceledException) { }
        _process.Dispose();
    }
}
