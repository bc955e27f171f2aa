// Live badges on the (static, cached) event page: each date's [data-live-badge] is refreshed from the small cached
// GET /api/performances/{id}/availability, without re-rendering the page. Labels come from the list's data-label-*.
(() => {
  const classes = { LastSeats: 'tk-badge-last', AllHeld: 'tk-badge-held', SoldOut: 'tk-badge-soldout' };
  const refresh = async () => {
    for (const slot of document.querySelectorAll('[data-live-badge][data-availability]')) {
      if (slot.querySelector('.tk-badge-cancelled')) continue;
      const list = slot.closest('[data-label-soldout]');
      if (!list) continue;
      let state;
      try {
        const r = await fetch(slot.dataset.availability, { headers: { Accept: 'application/json' } });
        if (!r.ok) continue;
        state = (await r.json()).state;
      } catch { continue; }
      const label = list.dataset['label' + String(state).toLowerCase()];
      const current = slot.querySelector('.tk-badge');
      if (!label) { current?.remove(); continue; }
      if (current && current.textContent === label) continue;
      const badge = document.createElement('span');
      badge.className = 'tk-badge tk-badge-inline ' + classes[state];
      badge.textContent = label;
      if (state === 'AllHeld') badge.title = list.dataset.labelAllheldtext || '';
      slot.replaceChildren(badge);
    }
  };
  let timer = null;
  const start = () => {
    clearInterval(timer);
    timer = null;
    if (!document.querySelector('[data-live-badge][data-availability]')) return;
    refresh();
    timer = setInterval(() => { if (!document.hidden) refresh(); }, 15000);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
  const hook = () => window.Blazor?.addEventListener?.('enhancedload', start);
  if (window.Blazor) hook(); else document.addEventListener('DOMContentLoaded', hook);
})();
