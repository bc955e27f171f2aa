using System.Diagnostics;
using System.Text.RegularExpressions;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.EndToEnd;

/// <summary>Debian's nginx with the repo's <c>deploy/nginx/nginx.conf</c>, templated for instances on local ports.</summary>
public static class NginxFront
{
    /// <summary>The repo's nginx.conf with the compose names swapped for our ports and every path moved to a temp folder.</summary>
    public static string TemplateNginxConfig(string config, string directory, int listenPort, IReadOnlyList<int> appPorts, bool asRoot)
    {
        string Replace(string text, string pattern, MatchEvaluator replacement)
        {
            var replaced = Regex.Replace(text, pattern, replacement, RegexOptions.Multiline);
            if (replaced == text) throw new InvalidOperationException($"deploy/nginx/nginx.conf no longer contains /{pattern}/: update the test's template");
            return replaced;
        }

        config = Replace(config, @"server app(\d+):8080", m =>
        {
            var i = int.Parse(m.Groups[1].Value) - 1;
            if (i >= appPorts.Count) throw new InvalidOperationException($"nginx.conf names app{i + 1}, the test runs {appPorts.Count} instances");
            return $"server 127.0.0.1:{appPorts[i]}";
        });
        config = Replace(config, @"^(\s*)listen 80;", m => $"{m.Groups[1].Value}listen 127.0.0.1:{listenPort};");
        config = Replace(config, @"^pid .*;", _ => $"pid {directory}/nginx.pid;");
        config = Replace(config, @"^error_log \S+", _ => $"error_log {directory}/error.log");
        config = Replace(config, @"access_log /var/log/nginx/access.log;", _ => $"access_log {directory}/access.log;");
        config = Replace(config, @"^http \{", _ => "http {\n" + string.Join("\n",
            new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }.Select(t => $"    {t}_temp_path {directory}/{t}_temp;")));
        config = Replace(config, @"^worker_processes auto;", _ => "worker_processes 1;");
        return (asRoot ? "user root;\n" : "") + config;
    }

    /// <summary>
    /// Starts nginx on <paramref name="listenPort"/> in front of the instances on <paramref name="appPorts"/>, with the repo's
    /// config (checked by <c>nginx -t</c> first), its files in a new temp folder; answers the process and that folder.
    /// </summary>
    public static (ChildProcess Nginx, string Directory) Start(int listenPort, IReadOnlyList<int> appPorts)
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("nginx not found: install it (apt-get install nginx) — bash .ci/test.sh does as root");
        var directory = Path.Combine(Path.GetTempPath(), "ticketing-nginx-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var source = File.ReadAllText(Path.Combine(PublishedBuild.RepositoryRoot, "deploy", "nginx", "nginx.conf"));
        var conf = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(conf, TemplateNginxConfig(source, directory, listenPort, appPorts, PostgresServer.IsRoot));

        var args = new[] { "-p", directory + "/", "-c", conf, "-e", Path.Combine(directory, "error.log") };
        var check = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args.Append("-t")) check.ArgumentList.Add(a);
        using (var test = Process.Start(check)!)
        {
            var errors = test.StandardError.ReadToEnd();
            test.WaitForExit();
            if (test.ExitCode != 0) throw new InvalidOperationException($"nginx -t refused the templated config: {errors}\n{File.ReadAllText(conf)}");
        }

        var psi = new ProcessStartInfo(nginx);
        foreach (var a in args.Concat(["-g", "daemon off;"])) psi.ArgumentList.Add(a);
        return (ChildProcess.Start($"nginx :{listenPort}", psi), directory);
    }
}
