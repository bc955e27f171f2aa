using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.Localization;
using Ticketing.Core;

namespace Ticketing.Web.Features.Door;

/// <summary>
/// The door device's scanner: one small static page (no Blazor circuit: it must open with no network), its web app
/// manifest, and a service worker (<c>/door/device-sw.js</c>, scope <c>/door/device</c>) that keeps the page and its
/// script for offline use. The logic is in <c>wwwroot/js/door-device.js</c> (the CSP allows no inline script).
/// </summary>
public static class DoorDeviceScanner
{
    public const string Path = "/door/device";
    public const string ServiceWorkerPath = "/door/device-sw.js";
    public const string ManifestPath = "/door/device/manifest.webmanifest";

    private static readonly string[] Keys =
    [
        "Title", "CodeLabel", "Check", "Admitted", "AlreadyUsed", "Voided", "Invalid", "WrongPerformance", "Unknown", "NeedsNetwork",
        "Online", "Offline", "Pending.One", "Pending.Other", "Freshness", "NoList", "NoToken", "Revoked", "Conflicts.One",
        "Conflicts.Other", "Admissions", "Sync", "Synced", "Gate", "Conflict",
    ];

    public static void MapDoorDeviceScanner(this WebApplication app)
    {
        app.MapGet(Path, (HttpContext http, IStringLocalizer<SharedResource> l) =>
        {
            var strings = Keys.ToDictionary(k => k, k => l["DoorDevice." + k].Value);
            var lang = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            var a = HtmlEncoder.Default;
            http.Response.Headers.CacheControl = "no-cache";
            var html = $$"""
                <!DOCTYPE html>
                <html lang="{{a.Encode(lang)}}">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="theme-color" content="#1a1a2e">
                <title>{{a.Encode(strings["Title"])}}</title>
                <link rel="manifest" href="{{ManifestPath}}">
                <link rel="icon" href="/img/favicon.svg">
                <link rel="stylesheet" href="/css/door-device.css">
                <script src="/js/door-device.js" defer></script>
                </head>
                <body data-strings="{{a.Encode(JsonSerializer.Serialize(strings))}}">
                <header class="tkd-head">
                  <h1 id="tkd-title">{{a.Encode(strings["Title"])}}</h1>
                  <p id="tkd-event" class="tkd-event"></p>
                  <p id="tkd-network" class="tkd-network" role="status"></p>
                </header>
                <main>
                  <form id="tkd-form" class="tkd-form" autocomplete="off">
                    <label for="tkd-code">{{a.Encode(strings["CodeLabel"])}}</label>
                    <input id="tkd-code" name="code" autocapitalize="characters" spellcheck="false" maxlength="200" autofocus>
                    <button id="tkd-check" type="submit">{{a.Encode(strings["Check"])}}</button>
                  </form>
                  <section id="tkd-result" class="tkd-result" role="alert" aria-live="assertive" hidden></section>
                  <dl class="tkd-stats">
                    <dt id="tkd-freshness" class="tkd-freshness"></dt>
                    <dd id="tkd-pending"></dd>
                    <dd id="tkd-admissions"></dd>
                    <dd id="tkd-conflicts"></dd>
                  </dl>
                  <button id="tkd-sync" type="button" class="tkd-sync">{{a.Encode(strings["Sync"])}}</button>
                  <p id="tkd-message" class="tkd-message"></p>
                </main>
                </body>
                </html>
                """;
            return Results.Content(html, "text/html; charset=utf-8");
        }).ExcludeFromDescription();

        app.MapGet(ManifestPath, (IStringLocalizer<SharedResource> l) => Results.Json(new
        {
            name = l["DoorDevice.Title"].Value,
            short_name = l["DoorDevice.ShortName"].Value,
            start_url = Path,
            scope = Path,
            display = "standalone",
            background_color = "#ffffff",
            theme_color = "#1a1a2e",
            icons = new[] { new { src = "/img/logo-mark.svg", sizes = "any", type = "image/svg+xml" } },
        }, contentType: "application/manifest+json")).ExcludeFromDescription();
    }
}
