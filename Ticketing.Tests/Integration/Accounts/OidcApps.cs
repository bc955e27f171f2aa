using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>
/// The app with two OpenID Connect providers: <c>test</c>, a real provider process (<see cref="OidcProviderProcess"/>),
/// and <c>down</c>, configured on a loopback port where nothing listens (a provider that is down).
/// </summary>
public abstract class OidcTicketingApp : TicketingApp
{
    /// <summary>Where the provider sends the browser back: the TestServer's own address.</summary>
    public const string RedirectUri = "http://localhost/signin-oidc-test";
    private readonly int _port = TestPorts.Free();
    private readonly int _downPort = TestPorts.Free();
    public OidcProviderProcess Oidc { get; private set; } = default!;

    protected override IDictionary<string, string?> ExtraSettings
    {
        get
        {
            var settings = OidcProviderProcess.AppSettings("test", _port);
            foreach (var (k, v) in OidcProviderProcess.AppSettings("down", _downPort, "Down ID")) settings[k] = v;
            return settings;
        }
    }

    public override async Task InitializeAsync()
    {
        Oidc = await OidcProviderProcess.StartAsync(_port, RedirectUri);
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Oidc is not null) await Oidc.DisposeAsync();
    }
}

public sealed class OidcSqliteApp : OidcTicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class OidcPostgresApp : OidcTicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
