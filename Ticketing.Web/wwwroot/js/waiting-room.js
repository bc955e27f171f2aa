// The waiting page (/waiting-room/{performanceId}, static, no circuit): polls the small cached GET /api/queue/{entryId}
// and shows place, people ahead, estimated wait and progress; when admitted it keeps the admission token for the booking
// and sends the fan there. A reload or a phone waking up simply polls again (the entry lives in the database).
(() => {
  const start = () => {
    const room = document.querySelector('[data-waiting-room]');
    if (!room || room.dataset.started) return;
    room.dataset.started = '1';
    const $ = (name) => room.querySelector('[data-wr-' + name + ']');
    const nf = new Intl.NumberFormat(document.documentElement.lang || undefined);
    let firstAhead = null;
    let timer = null;
    const wait = (s) => s == null ? '–'
      : s < 60 ? room.dataset.labelUnderMinute
      : Math.round(s / 60) === 1 ? room.dataset.labelMinute
      : room.dataset.labelMinutes.replace('{0}', nf.format(Math.round(s / 60)));
    const schedule = (ms) => { clearTimeout(timer); timer = setTimeout(poll, ms); };
    const poll = async () => {
      if (document.hidden) return schedule(5000);
      let s;
      try {
        const r = await fetch('/api/queue/' + room.dataset.entry, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
        if (!r.ok) throw new Error(String(r.status));
        s = await r.json();
        $('message').textContent = '';
      } catch {
        $('message').textContent = room.dataset.labelOffline;
        return schedule(5000);
      }
      $('position').textContent = s.position == null ? '–' : nf.format(s.position);
      $('ahead').textContent = s.ahead == null ? '–' : nf.format(s.ahead);
      $('wait').textContent = wait(s.estimatedWaitSeconds);
      if (s.ahead != null) {
        if (firstAhead == null || s.ahead > firstAhead) firstAhead = s.ahead;
        $('progress').value = firstAhead > 0 ? Math.round(100 * (1 - s.ahead / firstAhead)) : 100;
      }
      const before = $('before');
      if (before && s.position != null) before.hidden = true;
      if (s.status === 'Admitted') {
        $('progress').value = 100;
        $('admitted').hidden = false;
        try { sessionStorage.setItem('admission:' + s.performanceId, s.admissionToken); } catch { /* private mode */ }
        setTimeout(() => { location.href = room.dataset.booking; }, 1500);
        return;
      }
      if (s.status === 'Expired') { $('expired').hidden = false; return; }
      // Close to the turn: poll often; far away: rarely (the answer is cached server-side anyway).
      const eta = s.estimatedWaitSeconds ?? 30;
      schedule(eta < 30 ? 2000 : eta < 300 ? 5000 : 15000);
    };
    document.addEventListener('visibilitychange', () => { if (!document.hidden) schedule(0); });
    poll();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
  const hook = () => window.Blazor?.addEventListener?.('enhancedload', start);
  if (window.Blazor) hook(); else document.addEventListener('DOMContentLoaded', hook);
})();
