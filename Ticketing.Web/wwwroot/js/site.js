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
  const afterLoad = () => { closeAll(null); focusBooking(); applyDeferredStyles(); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', afterLoad); else afterLoad();
  const hook = () => window.Blazor?.addEventListener?.('enhancedload', afterLoad);
  if (window.Blazor) hook(); else document.addEventListener('DOMContentLoaded', hook);
})();
