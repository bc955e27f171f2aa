using System.Text.Json;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Contract;

/// <summary>
/// The live OpenAPI document passes Redocly CLI's recommended rules with the repository's redocly.yaml (the warnings we
/// accept are turned off there, each with its reason): no error and no warning. npx fetches the CLI once
/// (.ci/test.sh warms its cache).
/// </summary>
public abstract class OpenApiLintTests(TicketingApp app)
{
    public const string RedoclyCli = "@redocly/cli@2.77.0";

    [Fact]
    public async Task TheLiveDocument_PassesRedoclysRecommendedRules_WithNoErrorAndNoWarning()
    {
        var directory = Path.Combine(Path.GetTempPath(), "ticketing-openapi-lint-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        try
        {
            var document = Path.Combine(directory, "swagger.json");
            // As a partner reads it: through the public host name (the servers entry follows it; localhost is a lint warning).
            var client = app.CreateClient();
            client.DefaultRequestHeaders.Host = "tickets.ticketing.test";
            await File.WriteAllTextAsync(document, await client.GetStringAsync("/swagger/v1/swagger.json"));
            var repository = PublishedBuild.RepositoryRoot;
            var output = await ToolRun.RunAsync("npx",
                ["--yes", RedoclyCli, "lint", "--config", Path.Combine(repository, "redocly.yaml"), "--format", "json", document],
                directory, TimeSpan.FromMinutes(5), throwOnFailure: false);

            var json = output[output.IndexOf('{')..(output.LastIndexOf('}') + 1)];
            using var report = JsonDocument.Parse(json);
            var problems = report.RootElement.GetProperty("problems").EnumerateArray()
                .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at "
                             + p.GetProperty("location")[0].GetProperty("pointer").GetString())
                .ToList();
            Assert.True(problems.Count == 0, string.Join('\n', problems));
            var totals = report.RootElement.GetProperty("totals");
            Assert.Equal(0, totals.GetProperty("errors").GetInt32());
            Assert.Equal(0, totals.GetProperty("warnings").GetInt32());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOpenApiLintTests(SqliteApp app) : OpenApiLintTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOpenApiLintTests(PostgresApp app) : OpenApiLintTests(app);
