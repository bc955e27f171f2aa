#!/usr/bin/env python3
"""Seat map render time of event pages in headless Chromium (DevTools protocol, stdlib only; the client of first-paint.py).

usage: seatmap-render.py --port DEVTOOLS_PORT --runs N [--screenshot PREFIX] URL...
Prints one JSON object: {url: {"seatmapMs": [ms...], "seatmapMedian": ms, "paintedMs": [...], "paintedMedian": ms, "fromNavigationMs": [...], "seats": n}}.
seatmapMs is the page's own measure "tk-seatmap" (wwwroot/js/seatmap.js: from the compact payload's fetch to the SVG built);
paintedMs runs from the same start to the second animation frame after it (style, layout and paint of the SVG included),
fromNavigationMs from the navigation to that frame (the page, the Blazor circuit, then the map),
marked by a PerformanceObserver that DevTools adds to the page before it loads (the page itself has no inline script).
Each run is a new tab, cache disabled, no network throttling, a 1280x800 desktop viewport.
--screenshot PREFIX saves the map as drawn after the last run of each URL (PREFIX-<n>.png), to look at.
"""
import base64, importlib.util, json, os, statistics, sys, time, urllib.request

spec = importlib.util.spec_from_file_location("first_paint", os.path.join(os.path.dirname(os.path.abspath(__file__)), "first-paint.py"))
fp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fp)

OBSERVER = """
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) {
    if (e.name !== 'tk-seatmap') return;
    requestAnimationFrame(function () { requestAnimationFrame(function () { performance.mark('tk-seatmap-painted'); }); });
  });
}).observe({ entryTypes: ['measure'] });
"""

RESULT = """(function () {
  var m = performance.getEntriesByName('tk-seatmap')[0], p = performance.getEntriesByName('tk-seatmap-painted')[0],
      s = performance.getEntriesByName('tk-seatmap-start')[0];
  if (!m || !p) return null;
  return JSON.stringify({ seatmap: m.duration, painted: p.startTime - s.startTime, fromNavigation: p.startTime,
                          seats: +(document.querySelector('[data-seatmap-seats]') || {}).getAttribute?.('data-seatmap-seats')
                                 || document.querySelectorAll('.tk-seatmap-svg [data-i]').length });
})()"""


def measure(port, url, timeout=120, screenshot=None):
    target = fp.http_json(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    dt = fp.DevTools(target["webSocketDebuggerUrl"])
    try:
        dt.send("Network.enable")
        dt.send("Network.setCacheDisabled", cacheDisabled=True)
        dt.send("Emulation.setDeviceMetricsOverride", width=1280, height=800, deviceScaleFactor=1, mobile=False)
        dt.send("Page.enable")
        dt.send("Page.addScriptToEvaluateOnNewDocument", source=OBSERVER)
        dt.events.clear()
        dt.send("Page.navigate", url=url)
        end = time.time() + timeout
        while time.time() < end:
            r = dt.send("Runtime.evaluate", returnByValue=True, expression=RESULT)
            value = r.get("result", {}).get("value")
            if value:
                if screenshot:
                    dt.send("Runtime.evaluate", expression="document.querySelector('.tk-seatmap').scrollIntoView({block: 'start'})")
                    time.sleep(0.5)
                    shot = dt.send("Page.captureScreenshot", format="png")
                    with open(screenshot, "wb") as f:
                        f.write(base64.b64decode(shot["data"]))
                return json.loads(value)
            time.sleep(0.2)
        return None
    finally:
        dt.sock.close()
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/json/close/{target['id']}"), timeout=10).read()


def main():
    args = sys.argv[1:]
    port, runs, urls, prefix = None, 3, [], None
    while args:
        a = args.pop(0)
        if a == "--port":
            port = int(args.pop(0))
        elif a == "--runs":
            runs = int(args.pop(0))
        elif a == "--screenshot":
            prefix = args.pop(0)
        else:
            urls.append(a)
    out = {}
    for n, url in enumerate(urls, 1):
        maps, painted, nav, seats = [], [], [], None
        for run in range(runs):
            r = measure(port, url, screenshot=f"{prefix}-{n}.png" if prefix and run == runs - 1 else None)
            maps.append(round(r["seatmap"]) if r else None)
            painted.append(round(r["painted"]) if r else None)
            nav.append(round(r["fromNavigation"]) if r else None)
            seats = r["seats"] if r else seats
        ok_m, ok_p = [m for m in maps if m is not None], [p for p in painted if p is not None]
        out[url] = {"seatmapMs": maps, "seatmapMedian": round(statistics.median(ok_m)) if ok_m else None,
                    "paintedMs": painted, "paintedMedian": round(statistics.median(ok_p)) if ok_p else None,
                    "fromNavigationMs": nav, "seats": seats}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
