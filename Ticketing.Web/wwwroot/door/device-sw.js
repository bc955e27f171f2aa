// The door scanner's service worker (scope /door/device): network first, so a connected device always gets the
// current page and script; the last good copies answer when there is no network. The API is never cached.
const CACHE = 'door-device-v1';
const SHELL = ['/door/device', '/js/door-device.js', '/css/door-device.css', '/door/device/manifest.webmanifest', '/img/logo-mark.svg', '/img/favicon.svg'];

self.addEventListener('install', event => {
  event.waitUntil(caches.open(CACHE).then(cache => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(k => k !== CACHE).map(k => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  const key = request.mode === 'navigate' ? '/door/device' : url.pathname;
  if (!SHELL.includes(key)) return;
  event.respondWith(fetch(request).then(response => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then(cache => cache.put(key, copy));
    }
    return response;
  }).catch(() => caches.match(key).then(hit => hit || Response.error())));
});
