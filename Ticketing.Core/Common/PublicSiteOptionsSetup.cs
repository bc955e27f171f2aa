using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Common;

/// <summary>
/// In Development only, a missing <c>App:PublicBaseUrl</c> becomes the first address of <c>urls</c> (the
/// <c>--urls</c> argument or ASPNETCORE_URLS; a wildcard host reads as localhost), else http://localhost:5000.
/// </summary>
internal sealed class PublicSiteOptionsSetup(IHostEnvironment environment, IConfiguration configuration) : IPostConfigureOptions<PublicSiteOptions>
{
    public void PostConfigure(string? name, PublicSiteOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.PublicBaseUrl) || !environment.IsDevelopment())
            return;
        var first = (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "http://localhost:5000";
        options.PublicBaseUrl = first.Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost")
            .Replace("://[::]", "://localhost");
    }
}
