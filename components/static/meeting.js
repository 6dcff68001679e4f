// Trình chiếu: installed once in the page (Streamlit has no key events). → / space / PageDown press the Next
// button, ← / PageUp the Back button (found by their visible text); the slide is zoomed to the screen
// (zoom = min(width / canvas width, height / canvas height), kept in --mt-zoom on resize).
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
  function fit() {
    const z = Math.min(window.innerWidth / cfg.width, window.innerHeight / cfg.height);
    document.documentElement.style.setProperty("--mt-zoom", String(Math.min(z, 4)));
  }
  fit();
  window.addEventListener("resize", fit);
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey || e.repeat) return;
    const t = e.target, tag = ((t && t.tagName) || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) return;
    let done = false;
    if (e.key === "ArrowRight" || e.key === " " || e.key === "PageDown") done = press(NEXT);
    else if (e.key === "ArrowLeft" || e.key === "PageUp") done = press(BACK);
    if (done) { e.preventDefault(); e.stopPropagation(); }
  }, true);
}
