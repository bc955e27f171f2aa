using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Contract;

/// <summary>
/// The client a partner generates: Kiota (the local tool of .config/dotnet-tools.json) run on the live OpenAPI document,
/// built with PartnerClient/PartnerJourney.cs into a library and loaded into the test. Generated and built once per
/// document (the build is kept under the temp directory, keyed by a hash of the document and the journey), shared by
/// the SQLite and PostgreSQL runs.
/// </summary>
public static class GeneratedClient
{
    public delegate Task<IReadOnlyDictionary<string, string>> Journey(HttpClient http, string eventTitle, string categoryName,
        string email, string password, CancellationToken ct);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Journey? _journey;

    public static async Task<Journey> GetJourneyAsync(HttpClient app)
    {
        await Gate.WaitAsync();
        try
        {
            return _journey ??= await BuildAsync(app);
        }
        finally { Gate.Release(); }
    }

    private static async Task<Journey> BuildAsync(HttpClient app)
    {
        var document = await app.GetStringAsync("/swagger/v1/swagger.json");
        var sources = Path.Combine(AppContext.BaseDirectory, "Integration", "Contract", "PartnerClient");
        var journey = await File.ReadAllTextAsync(Path.Combine(sources, "PartnerJourney.cs"));
        var project = await File.ReadAllTextAsync(Path.Combine(sources, "PartnerJourney.csproj.txt"));
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document + journey + project)))[..16];
        var root = Path.Combine(Path.GetTempPath(), "ticketing-partner-client", key);
        var dll = Path.Combine(root, "bin", "PartnerJourney.dll");

        if (!File.Exists(dll))
        {
            var work = root + ".build-" + Guid.NewGuid().ToString("N")[..8];
            try
            {
                await GenerateAndBuildAsync(work, document, journey, project);
                Directory.Move(work, root);
            }
            catch (IOException) when (File.Exists(dll))
            {
                // Another test run built the same document meanwhile: its build is as good.
                Directory.Delete(work, recursive: true);
            }
            catch
            {
                if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
                throw;
            }
            PruneOldBuilds(Path.GetDirectoryName(root)!, keep: root);
        }

        var assembly = new PartnerLoadContext(dll).LoadFromAssemblyPath(dll);
        var run = assembly.GetType("Partner.Journey.PartnerJourney", throwOnError: true)!.GetMethod("RunAsync", BindingFlags.Public | BindingFlags.Static)!;
        return run.CreateDelegate<Journey>();
    }

    private static async Task GenerateAndBuildAsync(string work, string document, string journey, string project)
    {
        Directory.CreateDirectory(work);
        var documentPath = Path.Combine(work, "openapi.json");
        await File.WriteAllTextAsync(documentPath, document);
        await File.WriteAllTextAsync(Path.Combine(work, "PartnerJourney.cs"), journey);
        await File.WriteAllTextAsync(Path.Combine(work, "PartnerJourney.csproj"), project);

        var repository = PublishedBuild.RepositoryRoot;
        await ToolRun.RunAsync("dotnet", ["tool", "restore"], repository, TimeSpan.FromMinutes(3));
        // The command docs/api.md gives partners (with the namespace and class name of this test's journey).
        var kiota = await ToolRun.RunAsync("dotnet",
            ["kiota", "generate", "--language", "CSharp", "--openapi", documentPath, "--output", Path.Combine(work, "client"),
             "--class-name", "TicketingClient", "--namespace-name", "Partner.Ticketing", "--exclude-backward-compatible",
             "--clean-output", "--log-level", "Warning"],
            repository, TimeSpan.FromMinutes(3));
        Assert.DoesNotContain("fail:", kiota);
        Assert.DoesNotContain("OpenAPI error", kiota);
        Assert.DoesNotContain("OpenAPI warning", kiota);
        // No build server or MSBuild node outlives the test.
        await ToolRun.RunAsync("dotnet", ["build", Path.Combine(work, "PartnerJourney.csproj"), "-c", "Release", "-o", Path.Combine(work, "bin"),
                "--disable-build-servers"],
            work, TimeSpan.FromMinutes(5));
    }

    /// <summary>Builds of documents not seen for a day go (each is a few megabytes of Kiota's libraries).</summary>
    private static void PruneOldBuilds(string parent, string keep)
    {
        foreach (var dir in Directory.EnumerateDirectories(parent))
            if (dir != keep && Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddDays(-1))
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
