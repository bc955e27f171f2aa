// The seat map of the event page (issue 22): draws the seats of one performance as SVG from the compact payload
// (GET /api/performances/{id}/seats?format=compact), zoom and pan with pointer events (one finger pans, two pinch,
// the wheel zooms), a tap toggles a seat (the Blazor component decides), and polls GET .../seats/changes every few
// seconds so seats taken by others disappear. No inline script (CSP); labels go through the DOM API (never innerHTML).
(function () {
    "use strict";
    var NS = "http://www.w3.org/2000/svg";
    var POLL_MS = 3000;
    // Above this many seats the map draws one <path> per look (category, taken) instead of one node a seat: an
    // 80,000-seat stadium is then a dozen nodes to style and lay out, not 80,000. Selected seats stay nodes of their own.
    var BULK = 4000;
    var maps = new WeakMap();

    function decode(c) {
        var seats = new Array(c.count), i = 0, ordinal = 0, x = 0, y = 0, flags = {};
        c.flags.forEach(function (f) { flags[f[0]] = f[1]; });
        c.rows.forEach(function (row) {
            for (var k = 0; k < row[2]; k++, i++) {
                ordinal += c.ordinals[i]; x += c.x[i]; y += c.y[i];
                seats[i] = { i: i, ordinal: ordinal, section: c.sections[row[0]], row: row[1], label: c.labels[i], cat: c.categories[i],
                    x: x / 10, y: y / 10, flags: flags[i] || 0, status: c.status.charAt(i) };
            }
        });
        return seats;
    }

    function el(name, attrs) {
        var e = document.createElementNS(NS, name);
        for (var k in attrs) e.setAttribute(k, attrs[k]);
        return e;
    }

    function shapeFor(seat, r) {
        // Second signal besides colour: accessible seats are squares, companion seats diamonds, the rest circles.
        if (seat.flags & 1) return el("rect", { x: seat.x - r, y: seat.y - r, width: 2 * r, height: 2 * r, rx: 1 });
        if (seat.flags & 2) return el("polygon", { points: [seat.x, seat.y - r * 1.2, seat.x + r * 1.2, seat.y, seat.x, seat.y + r * 1.2, seat.x - r * 1.2, seat.y].join(" ") });
        return el("circle", { cx: seat.x, cy: seat.y, r: r });
    }

    function classFor(m, seat) {
        var c = "tk-seat tk-seat-cat" + ((seat.cat - 1) % 6 + 1);
        if (m.selected.has(seat.ordinal)) return c + " tk-seat-selected";
        if (seat.status !== "A" || !m.open.has(seat.cat)) return "tk-seat tk-seat-taken";
        return c;
    }

    // One seat as a piece of a path: the same shapes as shapeFor (circle, accessible square, companion diamond).
    function subpath(s, r) {
        if (s.flags & 1) return "M" + (s.x - r) + " " + (s.y - r) + "h" + 2 * r + "v" + 2 * r + "h" + -2 * r + "z";
        if (s.flags & 2) { var d = r * 1.2; return "M" + s.x + " " + (s.y - d) + "l" + d + " " + d + "l" + -d + " " + d + "l" + -d + " " + -d + "z"; }
        return "M" + (s.x - r) + " " + s.y + "a" + r + " " + r + " 0 1 0 " + 2 * r + " 0a" + r + " " + r + " 0 1 0 " + -2 * r + " 0";
    }

    // Bulk mode: the seats grouped by their look into paths (taken seats drawn small, as the taken class does for nodes),
    // then the selected seats as nodes on top (they carry data-i, like every seat of a small map).
    function drawBulk(m) {
        m.redraw = 0;
        var groups = {}, selected = [];
        m.seats.forEach(function (s) {
            if (m.selected.has(s.ordinal)) { selected.push(s); return; }
            var c = classFor(m, s);
            (groups[c] = groups[c] || []).push(subpath(s, c.indexOf("tk-seat-taken") >= 0 ? 2 : 4));
        });
        var g = m.layer;
        while (g.firstChild) g.removeChild(g.firstChild);
        Object.keys(groups).forEach(function (c) {
            g.appendChild(el("path", { d: groups[c].join(""), "class": c + " tk-seat-bulk" }));
        });
        selected.forEach(function (s) {
            var n = shapeFor(s, 4);
            n.setAttribute("class", classFor(m, s));
            n.setAttribute("data-i", s.i);
            g.appendChild(n);
        });
    }

    function redrawSoon(m) {
        if (!m.redraw) m.redraw = requestAnimationFrame(function () { drawBulk(m); });
    }

    function render(m) {
        var svg = m.svg, seats = m.seats;
        while (svg.firstChild) svg.removeChild(svg.firstChild);
        var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
        seats.forEach(function (s) { if (s.x < minX) minX = s.x; if (s.y < minY) minY = s.y; if (s.x > maxX) maxX = s.x; if (s.y > maxY) maxY = s.y; });
        if (!seats.length) { minX = minY = 0; maxX = maxY = 100; }
        var pad = 20;
        m.home = { x: minX - pad, y: minY - pad - 30, w: maxX - minX + 2 * pad, h: maxY - minY + 2 * pad + 30 };
        m.view = Object.assign({}, m.home);
        var stage = el("rect", { x: (minX + maxX) / 2 - Math.min(120, (maxX - minX) / 3), y: minY - pad - 26, width: Math.min(240, 2 * (maxX - minX) / 3) || 40, height: 12, rx: 3, "class": "tk-seatmap-stage" });
        svg.appendChild(stage);
        var stageText = el("text", { x: (minX + maxX) / 2, y: minY - pad - 17, "text-anchor": "middle", "class": "tk-seatmap-stage-label" });
        stageText.textContent = m.root.getAttribute("data-stage-label") || "";
        svg.appendChild(stageText);
        var g = el("g", {});
        m.bulk = seats.length > BULK;
        if (m.bulk) {
            m.layer = g;
            svg.appendChild(g);
            drawBulk(m);
            applyView(m);
            performance.mark("tk-seatmap-rendered");
            return;
        }
        m.nodes = new Array(seats.length);
        var frag = document.createDocumentFragment();
        seats.forEach(function (s) {
            var n = shapeFor(s, 4);
            n.setAttribute("class", classFor(m, s));
            n.setAttribute("data-i", s.i);
            m.nodes[s.i] = n;
            frag.appendChild(n);
        });
        g.appendChild(frag);
        svg.appendChild(g);
        applyView(m);
        performance.mark("tk-seatmap-rendered");
    }

    function applyView(m) {
        var v = m.view;
        m.svg.setAttribute("viewBox", v.x + " " + v.y + " " + v.w + " " + v.h);
    }

    function zoom(m, factor, cx, cy) {
        var v = m.view, w = v.w / factor, h = v.h / factor;
        if (w < 40 || w > m.home.w * 2) return;
        if (cx === undefined) { cx = v.x + v.w / 2; cy = v.y + v.h / 2; }
        v.x = cx - (cx - v.x) / factor; v.y = cy - (cy - v.y) / factor; v.w = w; v.h = h;
        applyView(m);
    }

    function toPlan(m, clientX, clientY) {
        var r = m.svg.getBoundingClientRect(), v = m.view;
        var scale = Math.max(v.w / r.width, v.h / r.height);
        var offX = (r.width * scale - v.w) / 2, offY = (r.height * scale - v.h) / 2;
        return { x: v.x - offX + (clientX - r.left) * scale, y: v.y - offY + (clientY - r.top) * scale, scale: scale };
    }

    function describe(m, s) {
        return s.section + " · " + m.rowWord + " " + s.row + " · " + m.seatWord + " " + s.label;
    }

    function wire(m) {
        var svg = m.svg, pointers = new Map(), moved = false, lastDist = 0;
        svg.addEventListener("pointerdown", function (e) {
            svg.setPointerCapture(e.pointerId);
            pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
            moved = false;
            if (pointers.size === 2) { var p = Array.from(pointers.values()); lastDist = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y); }
        });
        svg.addEventListener("pointermove", function (e) {
            var prev = pointers.get(e.pointerId);
            if (!prev) return;
            if (pointers.size === 1) {
                var dx = e.clientX - prev.x, dy = e.clientY - prev.y;
                if (Math.abs(dx) + Math.abs(dy) > 3) moved = true;
                if (moved) {
                    var s = toPlan(m, 0, 0).scale;
                    m.view.x -= dx * s; m.view.y -= dy * s; applyView(m);
                    pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
                }
            } else if (pointers.size === 2) {
                pointers.set(e.pointerId, { x: e.clientX, y: e.clientY });
                var p = Array.from(pointers.values()), d = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
                if (lastDist > 0) {
                    var c = toPlan(m, (p[0].x + p[1].x) / 2, (p[0].y + p[1].y) / 2);
                    zoom(m, d / lastDist, c.x, c.y);
                }
                lastDist = d; moved = true;
            }
        });
        function up(e) {
            var had = pointers.has(e.pointerId);
            pointers.delete(e.pointerId);
            if (!had || moved || e.type === "pointercancel") return;
            var t = e.target, i = t && t.getAttribute ? t.getAttribute("data-i") : null;
            if (i === null) {
                // A tap near a seat picks the nearest one (fingers are wider than seats).
                var pt = toPlan(m, e.clientX, e.clientY), best = null, bd = Infinity;
                m.seats.forEach(function (s) { var dd = (s.x - pt.x) * (s.x - pt.x) + (s.y - pt.y) * (s.y - pt.y); if (dd < bd) { bd = dd; best = s; } });
                if (!best || bd > Math.pow(Math.max(8, 12 * pt.scale), 2)) return;
                i = best.i;
            }
            toggle(m, m.seats[+i]);
        }
        svg.addEventListener("pointerup", up);
        svg.addEventListener("pointercancel", up);
        svg.addEventListener("wheel", function (e) {
            e.preventDefault();
            var c = toPlan(m, e.clientX, e.clientY);
            zoom(m, e.deltaY < 0 ? 1.25 : 0.8, c.x, c.y);
        }, { passive: false });
        svg.addEventListener("mouseover", function (e) {
            var i = e.target.getAttribute && e.target.getAttribute("data-i");
            if (i !== null && m.tip) m.tip.textContent = describe(m, m.seats[+i]);
        });
        m.root.querySelectorAll("[data-seatmap-zoom]").forEach(function (b) {
            b.addEventListener("click", function () {
                var z = b.getAttribute("data-seatmap-zoom");
                if (z === "reset") { m.view = Object.assign({}, m.home); applyView(m); } else zoom(m, z === "in" ? 1.5 : 1 / 1.5);
            });
        });
    }

    function toggle(m, s) {
        if (!s) return;
        if (!m.selected.has(s.ordinal) && (s.status !== "A" || !m.open.has(s.cat))) return;
        if (m.tip) m.tip.textContent = describe(m, s);
        m.dotnet.invokeMethodAsync("ToggleSeat", s.ordinal);
    }

    function poll(m) {
        if (!m.root.isConnected) return;
        fetch("/api/performances/" + m.id + "/seats/changes?since=" + encodeURIComponent(m.version), { headers: { Accept: "application/json" } })
            .then(function (r) { return r.ok ? r.json() : null; })
            .then(function (d) {
                if (!d) return;
                var changed = [];
                if (d.full) {
                    for (var i = 0; i < d.status.length && i < m.seats.length; i++) if (m.seats[i].status !== d.status.charAt(i)) changed.push([i, d.status.charAt(i)]);
                } else changed = d.changes;
                m.version = d.version;
                changed.forEach(function (c) {
                    var s = m.seats[c[0]];
                    if (!s) return;
                    s.status = c[1];
                    if (!m.bulk) m.nodes[s.i].setAttribute("class", classFor(m, s));
                });
                if (m.bulk && changed.length) redrawSoon(m);
                if (changed.length) m.dotnet.invokeMethodAsync("StatusChanged");
            })
            .catch(function () { })
            .finally(function () { if (m.root.isConnected) m.timer = setTimeout(function () { poll(m); }, POLL_MS); });
    }

    window.tkSeatMap = {
        mount: function (root, dotnet, performanceId, openCategories) {
            var old = maps.get(root);
            if (old) clearTimeout(old.timer);
            var m = { root: root, dotnet: dotnet, id: performanceId, svg: root.querySelector(".tk-seatmap-svg"), tip: root.querySelector("[data-seatmap-tip]"),
                selected: new Set(), open: new Set(openCategories), rowWord: root.getAttribute("data-row-word") || "", seatWord: root.getAttribute("data-seat-word") || "" };
            maps.set(root, m);
            performance.mark("tk-seatmap-start");
            return fetch("/api/performances/" + performanceId + "/seats?format=compact", { headers: { Accept: "application/json" } })
                .then(function (r) { return r.json(); })
                .then(function (c) {
                    m.seats = decode(c);
                    m.version = c.version;
                    render(m);
                    wire(m);
                    performance.measure("tk-seatmap", "tk-seatmap-start", "tk-seatmap-rendered");
                    root.setAttribute("data-seatmap-ready", "true");
                    root.setAttribute("data-seatmap-seats", String(m.seats.length));
                    m.timer = setTimeout(function () { poll(m); }, POLL_MS);
                    return m.seats.length;
                });
        },
        setSelected: function (root, ordinals) {
            var m = maps.get(root);
            if (!m || !m.seats) return;
            var before = m.selected;
            m.selected = new Set(ordinals);
            if (m.bulk) { redrawSoon(m); return; }
            m.seats.forEach(function (s) {
                if (before.has(s.ordinal) !== m.selected.has(s.ordinal)) m.nodes[s.i].setAttribute("class", classFor(m, s));
            });
        },
        unmount: function (root) {
            var m = maps.get(root);
            if (m) { clearTimeout(m.timer); maps.delete(root); }
        }
    };
})();
