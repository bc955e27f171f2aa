using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// One published site and one headless Debian Chromium for the whole end-to-end collection: by default what compose.yaml
/// runs — two instances on PostgreSQL behind nginx (<see cref="PublishedApp.StartClusterAsync"/>), so every journey's
/// pages, circuits and API calls go through the proxy and spread over both instances; with
/// <c>TICKETING_E2E_SITE=single</c>, one instance on SQLite (quicker to debug a journey alone).
/// Tests in the collection run one after the other; each test opens its own browser context and uses its own users.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    public PublishedApp App { get; private set; } = default!;
    /// <summary>A real OpenID Connect provider, offered by the app as "Sign in with Test ID" (ExternalSignInJourneyTests).</summary>
    public OidcProviderProcess Oidc { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Root of the screenshots: bin/.../e2e-artifacts/&lt;test&gt;/&lt;step&gt;-&lt;viewport&gt;.png</summary>
    public static string ArtifactsRoot { get; } = Path.Combine(AppContext.BaseDirectory, "e2e-artifacts");

    /// <summary>One SQLite instance instead of the cluster (<c>TICKETING_E2E_SITE=single</c>).</summary>
    public static bool Single => Environment.GetEnvironmentVariable("TICKETING_E2E_SITE") == "single";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ArtifactsRoot);
        Console.WriteLine($"[e2e] screenshots: {ArtifactsRoot}");
        // The OpenID Connect provider first, on its own free port: it binds at once (a port picked long before it binds
        // can be taken meanwhile by any outgoing connection on a busy machine), and another port is tried if it was.
        // It needs the app's callback address, so the site's port (nginx's, for the cluster) is chosen now and the site
        // started after it.
        var appPort = TestPorts.Free();
        var browser = LaunchBrowserAsync();
        for (var attempt = 1; ; attempt++)
        {
            var oidcPort = TestPorts.Free();
            try
            {
                Oidc = await OidcProviderProcess.StartAsync(oidcPort, $"http://127.0.0.1:{appPort}/signin-oidc-test");
                break;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                Console.WriteLine($"[e2e] port {oidcPort} was taken before the OpenID Connect provider bound it: another one");
            }
        }
        var settings = OidcProviderProcess.AppSettings("test", Oidc.Port)
            .ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!);
        App = Single ? await PublishedApp.StartAsync(settings, appPort) : await PublishedApp.StartClusterAsync(settings, appPort);
        Console.WriteLine($"[e2e] site: {App.BaseUrl} ({(App.IsCluster ? "nginx in front of " + string.Join(", ", App.InstanceUrls) : "one instance, SQLite")})");
        Browser = await browser;
    }

    private async Task<IBrowser> LaunchBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (App is not null)
        {
            try { await File.WriteAllTextAsync(Path.Combine(ArtifactsRoot, "app.log"), App.Log); } catch (IOException) { }
            await App.DisposeAsync();
        }
        if (Oidc is not null) await Oidc.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture> { public const string Name = "end to end"; }

/// <summary>The two screens every journey runs on.</summary>
public sealed record Viewport(string Name, int Width, int Height, bool IsMobile)
{
    public static readonly Viewport Desktop = new("desktop", 1366, 768, false);
    public static readonly Viewport Phone = new("phone", 390, 844, true);

    public static Viewport Named(string name) => name switch
    {
        "desktop" => Desktop,
        "phone" => Phone,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "desktop or phone"),
    };
}
