// Small progressive enhancements of the static pages (no circuit needed). Loaded on every page.
(() => {
  const menus = () => document.querySelectorAll('details.tk-menu[open]');
  const closeAll = except => menus().forEach(d => { if (d !== except) d.open = false; });

  // One header menu open at a time; a click elsewhere, a chosen link or Escape closes it.
  document.addEventListener('toggle', e => {
    if (e.target instanceof HTMLDetailsElement && e.target.matches('.tk-menu') && e.target.open) closeAll(e.target);
  }, true);
  document.addEventListener('click', e => {
    const menu = e.target.closest?.('details.tk-menu');
    if (!menu) { closeAll(null); return; }
    if (e.target.closest('.tk-menu-panel a')) menu.open = false;
  });
  document.addEventListener('keydown', e => {
    if (e.key !== 'Escape') return;
    const open = document.activeElement?.closest?.('details.tk-menu[open]');
    closeAll(null);
    open?.querySelector('summary')?.focus();
  });

  // Buttons that fold a panel (the search filters on phones): data-tk-toggle names the class set on the parent.
  document.addEventListener('click', e => {
    const button = e.target.closest?.('[data-tk-toggle]');
    if (!button) return;
    const open = button.parentElement.classList.toggle(button.dataset.tkToggle);
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  });

  // After choosing a date ("See availability" -> ?date=...#booking), focus moves to the booking section.
  const focusBooking = () => {
    if (location.hash !== '#booking' || !new URLSearchParams(location.search).has('date')) return;
    const section = document.querySelector('[data-testid=booking-section]');
    if (section && !section.contains(document.activeElement)) section.focus({ preventScroll: false });
  };
  // Static pages load MudBlazor's stylesheet as media="print" (not render-blocking): apply it once it has arrived
  // (again after an enhanced navigation, whose DOM merge restores the attribute).
  const applyDeferredStyles = () => document.querySelectorAll('link[data-tk-deferred-style]').forEach(link => {
    const apply = () => { link.media = 'all'; document.documentElement.classList.add('tk-mud'); };
    if (link.sheet) apply(); else link.addEventListener('load', apply, { once: true });
  });
  if (!document.querySelector('link[data-tk-deferred-style]')) document.documentElement.classList.add('tk-mud');
  applyDeferredStyles();
  // The home carousel: previous / next and pause / play buttons (hidden until this runs), the current dot, and a move to
  // the next show every 7 s unless the visitor prefers reduced motion, points at it, has focus in it or paused it.
  const started = new WeakSet();
  const initCarousels = () => document.querySelectorAll('[data-tk-carousel]').forEach(root => {
    const track = root.querySelector('.tk-carousel-track');
    const slides = root.querySelectorAll('.tk-slide');
    if (started.has(root) || !track || slides.length < 2) return;
    started.add(root);
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    const dots = [...root.querySelectorAll('[data-tk-carousel-dot]')];
    const pause = root.querySelector('[data-tk-carousel-pause]');
    root.querySelectorAll('[data-tk-carousel-prev], [data-tk-carousel-next], [data-tk-carousel-pause]').forEach(b => { b.hidden = false; });
    const current = () => Math.round(track.scrollLeft / Math.max(1, track.clientWidth));
    const mark = n => dots.forEach((d, i) => { if (i === n) d.setAttribute('aria-current', 'true'); else d.removeAttribute('aria-current'); });
    // While a button's smooth scroll runs, the dot already shows where it goes (the slides it passes do not flicker).
    let target = -1, settle = 0, frame = 0;
    const go = i => {
      const n = (i + slides.length) % slides.length;
      target = n;
      clearTimeout(settle);
      settle = setTimeout(() => { target = -1; mark(current()); }, 1000);
      track.scrollTo({ left: n * track.clientWidth, behavior: reduce ? 'auto' : 'smooth' });
      mark(n);
    };
    track.addEventListener('scroll', () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const c = current();
        if (target >= 0 && c !== target) return;
        target = -1;
        mark(c);
      });
    }, { passive: true });
    const position = () => (target >= 0 ? target : current()); // where the slideshow is, or is going
    root.querySelector('[data-tk-carousel-prev]').addEventListener('click', () => go(position() - 1));
    root.querySelector('[data-tk-carousel-next]').addEventListener('click', () => go(position() + 1));
    dots.forEach((d, i) => d.addEventListener('click', e => { e.preventDefault(); go(i); }));
    let paused = reduce, pointer = false, focus = false;
    const showPaused = () => {
      pause.setAttribute('aria-label', paused ? pause.dataset.labelPlay : pause.dataset.labelPause);
      pause.querySelector('span').textContent = paused ? '\u25B6' : '\u275A\u275A';
      root.toggleAttribute('data-paused', paused);
    };
    showPaused();
    pause.addEventListener('click', () => { paused = !paused; showPaused(); });
    root.addEventListener('pointerenter', e => { pointer = e.pointerType === 'mouse'; }); // a finger's touch leaves no hover behind
    root.addEventListener('pointerleave', () => { pointer = false; });
    root.addEventListener('focusin', () => { focus = true; });
    root.addEventListener('focusout', e => { focus = root.contains(e.relatedTarget); });
    const timer = setInterval(() => {
      if (!root.isConnected) { clearInterval(timer); return; }
      if (!paused && !pointer && !focus && !document.hidden) go(position() + 1);
    }, 7000);
  });
  const afterLoad = () => { closeAll(null); focusBooking(); applyDeferredStyles(); initCarousels(); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', afterLoad); else afterLoad();
  const hook = () => window.Blazor?.addEventListener?.('enhancedload', afterLoad);
  if (window.Blazor) hook(); else document.addEventListener('DOMContentLoaded', hook);
})();
