using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Notifications;

/// <summary>The app wired to a real SMTP server on a loopback socket; at most 3 attempts so that failure tests stay short.</summary>
public abstract class SmtpTicketingApp : TicketingApp
{
    public TestSmtpServer Smtp { get; } = new();
    public const int MaxAttempts = 3;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = Smtp.Port.ToString(),
        ["Email:Smtp:From"] = "Ticketing <tickets@ticketing.test>",
        ["Email:Smtp:TimeoutSeconds"] = "5",
        // The test server speaks plain SMTP on loopback: TLS (on by default for a configured host) is turned off explicitly.
        ["Email:Smtp:UseTls"] = "false",
        ["Notifications:MaxAttempts"] = MaxAttempts.ToString(),
    };

    public override async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class SmtpSqliteApp : SmtpTicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class SmtpPostgresApp : SmtpTicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
