// Trình chiếu: installed once in the page (Streamlit has no key events).
// - → / space / PageDown press the Next button, ← / PageUp the Back button (found by their visible text).
// - The slide is zoomed to the screen: zoom = min(width / canvas width, height / canvas height), kept in --mt-zoom;
//   in present mode, a slide whose content still runs below the screen is zoomed out until it fits.
// - A bar that opens a slide (a[data-mt-go]) changes the URL in the same session: Streamlit runs the page again on
//   popstate with the new query (no reload, no new login); a click with a modifier key keeps the browser's own way.
// cfg: {next: label, back: label, width: canvas px, height: canvas px}
function cchcSlideKeys(cfg) {
  const NEXT = cfg.next, BACK = cfg.back;
  function press(label) {
    const b = Array.from(document.querySelectorAll("button"))
      .find(x => x.innerText.trim() === label && !x.disabled);
    if (!b) return false;
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    b.click();
    return true;
  }
  function contentBottom() {
    let bottom = 0;
    for (const el of document.querySelectorAll('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]')) {
      const r = el.getBoundingClientRect();
      if (r.height > 1) bottom = Math.max(bottom, r.bottom + window.scrollY);
    }
    return bottom;
  }
  function setZoom(z) {
    document.documentElement.style.setProperty("--mt-zoom", String(z));
  }
  let pending = 0;
  function fit() {
    pending = 0;
    const z = Math.min(window.innerWidth / cfg.width, window.innerHeight / cfg.height, 4);
    setZoom(z);
    if (new URLSearchParams(window.location.search).get("present") !== "1") return;
    const bottom = contentBottom();
    if (bottom > window.innerHeight) setZoom(Math.max(z * 0.6, z * (window.innerHeight - 4) / bottom));
  }
  function later() {
    if (!pending) pending = window.requestAnimationFrame(fit);
  }
  fit();
  window.addEventListener("resize", later);
  new MutationObserver(later).observe(document.body, {subtree: true, childList: true});
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const t = e.target, tag = ((t && t.tagName) || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return;
    let done = false;
    if (e.key === "ArrowRight" || e.key === " " || e.key === "PageDown") done = press(NEXT);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") done = press(BACK);
    if (done) { e.preventDefault(); e.stopPropagation(); }
  }, true);
  document.addEventListener("click", function (e) {
    const a = e.target && e.target.closest ? e.target.closest("a[data-mt-go]") : null;
    if (!a || e.button !== 0 || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    window.history.pushState(null, "", a.href);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, true);
}
