using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// What compose.yaml runs, without Docker (<see cref="PublishedApp.StartClusterAsync"/>: two published instances on one
/// PostgreSQL database, Debian's nginx in front with the repo's config), with an SMTP server standing in for mailpit so
/// that the mails the instances send can be counted. Started once per test class and killed at the end.
/// </summary>
public sealed class MultiInstanceCluster : IAsyncLifetime
{
    public const string AdminEmail = PublishedApp.AdminEmail;
    public const string AdminPassword = PublishedApp.AdminPassword;

    private PublishedApp? _site;

    public SmtpSink Smtp { get; } = new();
    public string ConnectionString => Site.ConnectionString;
    public Uri NginxUri => Site.BaseUrl;
    public Uri InstanceUri(int index) => Site.InstanceUrls[index];

    /// <summary>The last lines of every instance and nginx's error log: attached to a failing test.</summary>
    public string Logs => _site?.Log ?? "";

    private PublishedApp Site => _site ?? throw new InvalidOperationException("the cluster is not started");

    public async Task InitializeAsync()
    {
        _site = await PublishedApp.StartClusterAsync(new Dictionary<string, string>
        {
            ["Email__Smtp__Host"] = "127.0.0.1",
            ["Email__Smtp__Port"] = Smtp.Port.ToString(),
            ["Email__Smtp__From"] = "tickets@cluster.test",
            ["Email__Smtp__UseTls"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        if (_site is not null) await _site.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}
