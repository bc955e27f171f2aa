using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// One journey in one browser context at one viewport: navigation that waits for Blazor, a screenshot per step,
/// and on every step the page checks (axe-core: no serious/critical violation; on the phone: no horizontal
/// scrolling at 390 and 360 px, touch targets of at least 44x44 px).
/// </summary>
public sealed class Journey
{
    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "EndToEnd", "axe", "axe.min.js")));
    private readonly ITestOutputHelper _output;
    private int _step;

    private Journey(EndToEndFixture fixture, IBrowserContext context, IPage page, Viewport viewport, string name, ITestOutputHelper output)
    {
        (Fixture, Context, Page, Viewport, Name, _output) = (fixture, context, page, viewport, name, output);
        ArtifactsDirectory = Path.Combine(EndToEndFixture.ArtifactsRoot, name);
        if (Directory.Exists(ArtifactsDirectory)) Directory.Delete(ArtifactsDirectory, recursive: true);
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    public EndToEndFixture Fixture { get; }
    public PublishedApp App => Fixture.App;
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public Viewport Viewport { get; }
    public string Name { get; }
    public string ArtifactsDirectory { get; }
    public bool IsPhone => Viewport.IsMobile;

    /// <summary>Runs a journey in a fresh browser context; on failure saves a last screenshot and prints the app's log.</summary>
    public static async Task RunAsync(EndToEndFixture fixture, ITestOutputHelper output, string name, string viewportName, Func<Journey, Task> body)
    {
        var viewport = Viewport.Named(viewportName);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.App.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            IsMobile = viewport.IsMobile,
            HasTouch = viewport.IsMobile,
            DeviceScaleFactor = 1,
            Locale = "en-US",
            TimezoneId = "Europe/Paris",
            UserAgent = viewport.IsMobile
                ? "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36"
                : null,
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var journey = new Journey(fixture, context, page, viewport, $"{name}-{viewport.Name}", output);
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") lock (consoleErrors) consoleErrors.Add(m.Text); };
        page.PageError += (_, e) => { lock (consoleErrors) consoleErrors.Add("page error: " + e); };
        output.WriteLine($"[e2e] {journey.Name}: screenshots in {journey.ArtifactsDirectory}");
        try
        {
            await body(journey);
            // Every journey runs under the app's real Content-Security-Policy: anything it refused is a bug (ours or a library's).
            lock (consoleErrors)
            {
                var refused = consoleErrors.Where(e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToList();
                Assert.True(refused.Count == 0, $"{journey.Name}: the browser refused something under the CSP: " + string.Join(" | ", refused));
            }
        }
        catch (Exception)
        {
            try { await page.ScreenshotAsync(new() { Path = Path.Combine(journey.ArtifactsDirectory, $"failure-{viewport.Name}.png"), FullPage = true }); }
            catch (PlaywrightException) { }
            try { await File.WriteAllTextAsync(Path.Combine(journey.ArtifactsDirectory, $"failure-{viewport.Name}.html"), await page.ContentAsync()); }
            catch (PlaywrightException) { }
            output.WriteLine($"[e2e] failed at {page.Url}");
            lock (consoleErrors) foreach (var e in consoleErrors) output.WriteLine("[browser] " + e);
            var log = fixture.App.Log;
            output.WriteLine("[app log, last 8000 chars]\n" + (log.Length > 8000 ? log[^8000..] : log));
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    public void Log(string message) => _output.WriteLine($"[e2e] {Name}: {message}");

    /// <summary>Navigates and waits until Blazor is ready (static page loaded, or interactive circuit connected).</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForBlazorAsync();
    }

    /// <summary>
    /// Waits for blazor.web.js and for the app's own marker: <c>[data-blazor-render]</c> is "static" on static
    /// SSR pages and turns from "prerendered" to "interactive" when the circuit has connected.
    /// </summary>
    public async Task WaitForBlazorAsync()
    {
        await Page.WaitForFunctionAsync("""
            () => {
              const m = document.querySelector('[data-blazor-render]');
              return !!window.Blazor && !!m && (m.dataset.blazorRender === 'interactive' || m.dataset.blazorRender === 'static');
            }
            """);
    }

    /// <summary>Clicks a submit button of a static (non-interactive) form and waits for the new document to be ready.</summary>
    public async Task SubmitFormAsync(ILocator button)
    {
        await Page.EvaluateAsync("() => { window.__e2eBeforeSubmit = true; }");
        await button.ClickAsync();
        await Page.WaitForFunctionAsync("() => !window.__e2eBeforeSubmit && document.readyState !== 'loading'");
        await WaitForBlazorAsync();
    }

    /// <summary>Saves a screenshot of the step, then runs the accessibility and (on the phone) responsiveness checks.</summary>
    public async Task StepAsync(string step, bool checkPage = true)
    {
        _step++;
        await SettleAsync();
        var file = Path.Combine(ArtifactsDirectory, $"{_step:00}-{step}-{Viewport.Name}.png");
        await Page.ScreenshotAsync(new() { Path = file, FullPage = true });
        if (!checkPage) return;
        await AssertAccessibleAsync(step);
        if (IsPhone) await AssertResponsiveAsync(step);
    }

    /// <summary>Lets MudBlazor's transitions (snackbars, dialogs, popovers) finish: axe would measure colours mid-fade.</summary>
    public async Task SettleAsync()
    {
        try
        {
            await Page.WaitForFunctionAsync("""
                () => document.getAnimations().every(a => a.playState !== 'running' || !isFinite(a.effect?.getComputedTiming().endTime ?? Infinity))
                   && [...document.querySelectorAll('.mud-snackbar, .mud-dialog, .mud-popover-open')].every(e => getComputedStyle(e).opacity === '1')
                """, null, new() { Timeout = 3000, PollingInterval = 50 });
        }
        catch (TimeoutException) { }
        await Page.WaitForTimeoutAsync(100);
    }

    /// <summary>axe-core (vendored, MPL-2.0) on the current page: no serious or critical violation.</summary>
    public async Task AssertAccessibleAsync(string step)
    {
        // Evaluated through DevTools rather than added as a <script> element: the app's CSP refuses inline scripts.
        if (!await Page.EvaluateAsync<bool>("() => typeof window.axe !== 'undefined'"))
            await Page.EvaluateAsync(AxeSource.Value);
        var json = await Page.EvaluateAsync<string>("""
            async () => {
              const r = await axe.run(document, { resultTypes: ['violations'] });
              return JSON.stringify(r.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                             nodes: v.nodes.slice(0, 6).map(n => n.target.join(' ') + ' -> ' + (n.failureSummary || '').replace(/\s+/g, ' ')) })));
            }
            """);
        var violations = JsonSerializer.Deserialize<List<AxeViolation>>(json, JsonOptions)!;
        foreach (var v in violations) Log($"axe {v.Impact} {v.Id}: {v.Help}\n    " + string.Join("\n    ", v.Nodes));
        Assert.True(violations.Count == 0,
            $"{Name} step '{step}' ({Page.Url}): {violations.Count} serious/critical axe violation(s): " +
            string.Join("; ", violations.Select(v => $"{v.Id} [{v.Impact}] {v.Help} at {string.Join(" | ", v.Nodes)}")));
    }

    /// <summary>No horizontal scrolling at the phone width and at 360 px; touch targets of at least 44x44 px.</summary>
    public async Task AssertResponsiveAsync(string step)
    {
        var original = Page.ViewportSize!;
        foreach (var width in new[] { original.Width, 360 })
        {
            if (width != Page.ViewportSize!.Width)
            {
                await Page.SetViewportSizeAsync(width, original.Height);
                await Page.WaitForTimeoutAsync(150);
            }
            var overflow = await Page.EvaluateAsync<string>("""
                () => {
                  const de = document.documentElement;
                  if (de.scrollWidth <= window.innerWidth) return '';
                  const wide = [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && e.checkVisibility())
                    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.') + ' right=' + Math.round(e.getBoundingClientRect().right));
                  return `scrollWidth ${de.scrollWidth} > innerWidth ${window.innerWidth}: ` + wide.join(', ');
                }
                """);
            Assert.True(overflow.Length == 0, $"{Name} step '{step}' ({Page.Url}) scrolls horizontally at {width} px: {overflow}");
        }
        await Page.SetViewportSizeAsync(original.Width, original.Height);

        var small = await Page.EvaluateAsync<string[]>(TouchTargetsScript);
        Assert.True(small.Length == 0, $"{Name} step '{step}' ({Page.Url}): touch targets under 44x44 px: " + string.Join("; ", small));
    }

    /// <summary>
    /// Visible interactive elements smaller than 44x44 CSS px. A control inside a &lt;label&gt; counts with its label
    /// (the label is clickable); links inside running text are exempt (WCAG 2.5.8's inline exception).
    /// </summary>
    private const string TouchTargetsScript = """
        () => {
          const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [role=link], ' +
                      '[role=checkbox], [role=radio], [role=switch], [role=tab], [role=menuitem], [role=option], [tabindex="0"]';
          const out = [];
          for (const el of document.querySelectorAll(sel)) {
            if (el.closest('[aria-hidden=true], [inert]')) continue;
            if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
            let r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            if (r.bottom <= 0 || r.right <= 0 || r.left >= window.innerWidth) continue;   // off screen (skip link)
            if (el.tagName === 'A' && getComputedStyle(el).display === 'inline' && el.parentElement &&
                [...el.parentElement.childNodes].some(n => n.nodeType === 3 && n.textContent.trim().length > 0)) continue;
            let w = r.width, h = r.height;
            const label = el.closest('label') || (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.contains(el) ? el.closest('label') : null);
            if (label) { const lr = label.getBoundingClientRect(); w = Math.max(w, lr.width); h = Math.max(h, lr.height); }
            if (w < 43.5 || h < 43.5) {
              const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().replace(/\s+/g, ' ').slice(0, 40);
              const cls = (el.className && el.className.baseVal === undefined ? String(el.className) : '').split(' ').slice(0, 3).join('.');
              out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${cls} "${name}" ${Math.round(w)}x${Math.round(h)}`);
            }
          }
          return out;
        }
        """;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record AxeViolation(string Id, string Impact, string Help, string[] Nodes);
}
