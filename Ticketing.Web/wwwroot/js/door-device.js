// The door device's scanner (/door/device): checks TK2 codes' Ed25519 signatures with the event's public key, keeps its
// list and its admitted set in localStorage, works with no network and sends its scans when the network is back.
(() => {
  'use strict';
  const S = JSON.parse(document.body.dataset.strings || '{}');
  const lang = document.documentElement.lang || 'en';
  const store = {
    get: (k, d) => { try { return JSON.parse(localStorage.getItem('tkd.' + k)) ?? d; } catch { return d; } },
    set: (k, v) => localStorage.setItem('tkd.' + k, JSON.stringify(v)),
    del: k => localStorage.removeItem('tkd.' + k),
  };
  const $ = id => document.getElementById(id);
  const fmt = (s, ...args) => String(s).replace(/\{(\d+)\}/g, (_, i) => args[+i]);
  const plural = (key, n) => fmt(S[key + (n === 1 ? '.One' : '.Other')], n);

  // The token arrives once in the link's fragment (never sent to a server), then lives in this device's storage only.
  const m = /[#&]token=([A-Za-z0-9_\-]+)/.exec(location.hash);
  if (m) {
    if (store.get('token') !== m[1]) { store.del('bundle'); store.del('admitted'); store.del('queue'); }
    store.set('token', m[1]);
    history.replaceState(null, '', location.pathname);
  }
  const token = store.get('token');
  let bundle = store.get('bundle');
  let publicKey = null;
  let revoked = false;
  let syncing = false;

  if ('serviceWorker' in navigator)
    navigator.serviceWorker.register('/door/device-sw.js', { scope: '/door/device' }).catch(e => console.warn('service worker', e));

  const b64url = s => {
    const base = s.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(base + '==='.slice((base.length + 3) % 4));
    return Uint8Array.from(bin, c => c.charCodeAt(0));
  };
  const guid = bytes => {
    const h = Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const DOMAIN = new TextEncoder().encode('ticketing.ticket.v2|');

  async function importKey() {
    publicKey = null;
    if (!bundle) return;
    try {
      publicKey = await crypto.subtle.importKey('raw', b64url(bundle.publicKey), { name: 'Ed25519' }, false, ['verify']);
    } catch (e) { console.warn('Ed25519 unavailable', e); }
  }

  /** The ticket id and performance id of a genuine TK2 code, or null. */
  async function verify(code) {
    if (!publicKey || !/^TK2\.[A-Za-z0-9_\-]{128}$/.test(code)) return null;
    let raw;
    try { raw = b64url(code.slice(4)); } catch { return null; }
    if (raw.length !== 96) return null;
    const message = new Uint8Array(DOMAIN.length + 32);
    message.set(DOMAIN); message.set(raw.slice(0, 32), DOMAIN.length);
    const ok = await crypto.subtle.verify({ name: 'Ed25519' }, publicKey, raw.slice(32), message);
    return ok ? { ticketId: guid(raw.slice(0, 16)), performanceId: guid(raw.slice(16, 32)) } : null;
  }

  const api = (path, init = {}) => fetch(path, {
    ...init, cache: 'no-store',
    headers: { ...(init.headers || {}), Authorization: 'Device ' + token, ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
  });

  function show(kind, text, detail) {
    const el = $('tkd-result');
    el.hidden = false;
    el.className = 'tkd-result tkd-' + kind;
    el.dataset.result = kind;
    el.textContent = '';
    const strong = document.createElement('strong');
    strong.textContent = text;
    el.append(strong);
    if (detail) { const p = document.createElement('p'); p.textContent = detail; el.append(p); }
  }

  function render() {
    $('tkd-network').textContent = navigator.onLine ? S.Online : S.Offline;
    $('tkd-network').className = 'tkd-network ' + (navigator.onLine ? 'tkd-online' : 'tkd-offline');
    if (!token) { $('tkd-message').textContent = S.NoToken; $('tkd-form').hidden = true; return; }
    if (revoked) { $('tkd-message').textContent = S.Revoked; $('tkd-form').hidden = true; return; }
    $('tkd-event').textContent = bundle ? bundle.eventTitle + ' · ' + bundle.deviceName + (bundle.gate ? ' · ' + fmt(S.Gate, bundle.gate) : '') : '';
    $('tkd-freshness').textContent = bundle
      ? fmt(S.Freshness, new Date(bundle.generatedAt).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'medium' }))
      : S.NoList;
    const queue = store.get('queue', []);
    $('tkd-pending').textContent = plural('Pending', queue.length);
    $('tkd-pending').dataset.count = queue.length;
    const admitted = Object.keys(store.get('admitted', {})).length;
    $('tkd-admissions').textContent = fmt(S.Admissions, admitted);
    const conflicts = store.get('conflicts', 0);
    $('tkd-conflicts').textContent = conflicts ? plural('Conflicts', conflicts) : '';
  }

  async function refreshBundle() {
    if (!token || !navigator.onLine) return;
    try {
      const r = await api('/api/door/device/bundle');
      if (r.status === 401 || r.status === 403) { revoked = true; store.del('bundle'); bundle = null; publicKey = null; return; }
      if (!r.ok) return;
      bundle = await r.json();
      store.set('bundle', bundle);
      await importKey();
    } catch (e) { /* no network: keep the last list */ }
    finally { render(); }
  }

  async function sync() {
    const queue = store.get('queue', []);
    if (syncing || !token || queue.length === 0 || !navigator.onLine) { render(); return null; }
    syncing = true;
    try {
      const r = await api('/api/door/device/sync', { method: 'POST', body: JSON.stringify({ scans: queue }) });
      if (r.status === 401 || r.status === 403) { revoked = true; return null; }
      if (!r.ok) return null;
      const answer = await r.json();
      const sent = new Set(queue.map(s => s.ticketId));
      store.set('queue', store.get('queue', []).filter(s => !sent.has(s.ticketId)));
      store.set('conflicts', store.get('conflicts', 0) + answer.conflicts);
      $('tkd-message').textContent = fmt(S.Synced, answer.results.length) + (answer.conflicts ? ' ' + plural('Conflicts', answer.conflicts) : '');
      return answer;
    } catch (e) { return null; }
    finally { syncing = false; render(); }
  }

  async function admit(ticket, label) {
    const admitted = store.get('admitted', {});
    if (ticket.status === 'Voided') return show('voided', S.Voided, label);
    if (admitted[ticket.id] || ticket.status === 'Used') return show('used', S.AlreadyUsed, label);
    const online = navigator.onLine;
    admitted[ticket.id] = new Date().toISOString();
    store.set('admitted', admitted);
    store.set('queue', [...store.get('queue', []), { ticketId: ticket.id, scannedAt: admitted[ticket.id], offline: !online }]);
    show('admitted', S.Admitted, label);
    render();
    if (!online) return;
    const answer = await sync();
    const mine = answer?.results.find(x => x.ticketId === ticket.id);
    if (!mine) return;
    if (mine.result === 'AlreadyUsed' || mine.result === 'Conflict') show('used', S.AlreadyUsed, label);
    else if (mine.result === 'Voided') show('voided', S.Voided, label);
    else if (mine.result === 'Invalid') show('invalid', S.Invalid, label);
  }

  async function check(raw) {
    const code = raw.trim();
    if (!code) return;
    if (code.startsWith('TK1.')) {
      // An older HMAC code: only the server can check it.
      if (!navigator.onLine) return show('invalid', S.NeedsNetwork);
      try {
        const r = await api('/api/checkin', { method: 'POST', body: JSON.stringify({ code }) });
        const answer = await r.json();
        const kind = { Admitted: 'admitted', AlreadyUsed: 'used', Voided: 'voided' }[answer.result] || 'invalid';
        return show(kind, S[answer.result] || S.Invalid, answer.ticket?.number);
      } catch { return show('invalid', S.NeedsNetwork); }
    }
    const tickets = bundle?.tickets || [];
    const performances = new Set((bundle?.performances || []).map(p => p.id));
    if (code.startsWith('TK2.')) {
      const signed = await verify(code);
      if (!signed || !performances.has(signed.performanceId)) return show('invalid', S.Invalid);
      // Sold after the list was made: the signature is proof enough.
      const ticket = tickets.find(t => t.id === signed.ticketId) || { id: signed.ticketId, number: '', status: 'Valid' };
      return admit(ticket, ticket.number);
    }
    const number = code.toUpperCase();
    const ticket = tickets.find(t => t.number.toUpperCase() === number);
    if (!ticket) return show('invalid', S.Unknown, code);
    return admit(ticket, ticket.number);
  }

  $('tkd-form').addEventListener('submit', async e => {
    e.preventDefault();
    const input = $('tkd-code');
    const value = input.value;
    input.value = '';
    await check(value);
    input.focus();
  });
  $('tkd-sync').addEventListener('click', async () => { await sync(); await refreshBundle(); });
  window.addEventListener('online', async () => { await sync(); await refreshBundle(); });
  window.addEventListener('offline', render);
  setInterval(async () => { await sync(); await refreshBundle(); }, 30000);

  (async () => {
    await importKey();
    render();
    await sync();
    await refreshBundle();
    document.body.dataset.ready = 'true';
  })();
})();
