#!/usr/bin/env python3
"""First contentful paint of pages in headless Chromium over a throttled network (DevTools protocol, stdlib only).

usage: first-paint.py --port DEVTOOLS_PORT --runs N URL...
Prints one JSON object: {url: {"fcp": [ms...], "fcpMedian": ms, "bytes": transferred, "requests": n, "blocking": [...]}}.
Each run is a new tab with the cache disabled (a first visit), a 390x844 phone viewport, and the network throttled
to 1.6 Mbps down / 750 kbps up / 150 ms latency (Network.emulateNetworkConditions).
"""
import base64, json, os, socket, statistics, struct, sys, time, urllib.request
from urllib.parse import urlparse


class DevTools:
    """A minimal WebSocket client (RFC 6455 text frames) speaking the Chrome DevTools protocol."""

    def __init__(self, ws_url):
        u = urlparse(ws_url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=120)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(head.decode(errors="replace"))
        self.next_id, self.events = 0, []

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError("DevTools closed the connection")
            data += chunk
        return data

    def _recv(self):
        message = b""
        while True:
            b1, b2 = self._recv_exact(2)
            length = b2 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._recv_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._recv_exact(8))[0]
            payload = self._recv_exact(length)
            opcode = b1 & 0x0F
            if opcode == 8:
                raise EOFError("closed")
            if opcode in (0, 1, 2):
                message += payload
                if b1 & 0x80:
                    return json.loads(message)

    def send(self, method, **params):
        self.next_id += 1
        data = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        header = bytes([0x81])
        n = len(data)
        header += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n) if n < 65536 else bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))
        while True:
            msg = self._recv()
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, method, timeout):
        end = time.time() + timeout
        for i, e in enumerate(self.events):
            if e.get("method") == method:
                return self.events.pop(i)
        while time.time() < end:
            msg = self._recv()
            if msg.get("method") == method:
                return msg
            self.events.append(msg)
        raise TimeoutError(method)


def http_json(url, method="GET"):
    req = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def measure(port, url):
    target = http_json(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT")
    dt = DevTools(target["webSocketDebuggerUrl"])
    try:
        dt.send("Network.enable")
        dt.send("Network.setCacheDisabled", cacheDisabled=True)
        dt.send("Network.emulateNetworkConditions", offline=False, latency=150,
                downloadThroughput=1_600_000 / 8, uploadThroughput=750_000 / 8)
        dt.send("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
        dt.send("Page.enable")
        dt.events.clear()
        dt.send("Page.navigate", url=url)
        dt.wait_event("Page.loadEventFired", 120)
        fcp = None
        for _ in range(50):
            r = dt.send("Runtime.evaluate", returnByValue=True, expression=
                        "(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || null")
            fcp = r.get("result", {}).get("value")
            if fcp:
                break
            time.sleep(0.2)
        r = dt.send("Runtime.evaluate", returnByValue=True, expression=
                    "JSON.stringify(performance.getEntriesByType('resource').filter(e => e.renderBlockingStatus === 'blocking').map(e => e.name.replace(location.origin, '')))")
        blocking = json.loads(r.get("result", {}).get("value") or "[]")
        transferred = sum(e["params"].get("encodedDataLength", 0) for e in dt.events if e.get("method") == "Network.loadingFinished")
        requests = sum(1 for e in dt.events if e.get("method") == "Network.requestWillBeSent")
        return fcp, blocking, transferred, requests
    finally:
        dt.sock.close()
        urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/json/close/{target['id']}"), timeout=10).read()


def main():
    args = sys.argv[1:]
    port, runs, urls = None, 3, []
    while args:
        a = args.pop(0)
        if a == "--port":
            port = int(args.pop(0))
        elif a == "--runs":
            runs = int(args.pop(0))
        else:
            urls.append(a)
    out = {}
    for url in urls:
        fcps, last = [], None
        for _ in range(runs):
            fcp, blocking, transferred, requests = measure(port, url)
            fcps.append(round(fcp) if fcp else None)
            last = (blocking, transferred, requests)
        ok = [f for f in fcps if f]
        out[url] = {"fcp": fcps, "fcpMedian": round(statistics.median(ok)) if ok else None,
                    "blocking": last[0], "bytes": last[1], "requests": last[2]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
