"""The real server, driven through Streamlit's own websocket protocol (loadtest/client.py), and nginx in front of
two server processes with deploy/nginx-cchc.conf. One site for the module: a SQLite file without samples, two
`streamlit run app.py` processes sharing it (the production settings of .streamlit/config.toml).

Waits are conditions with deadlines (a server's health, a page's `script_finished`), never sleeps."""
from __future__ import annotations

import asyncio
import re
import urllib.request

import pytest

from catalogue import UI
from loadtest import servers as sv
from loadtest.client import Viewer, one_view
from loadtest.run import PAGES, burst


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    s = sv.Site(tmp_path_factory.mktemp("serving"), samples=False)
    s.init()
    return s


@pytest.fixture(scope="module")
def two(site):
    with sv.servers(site, 2) as procs:
        # the first session after a start gets Streamlit's "page not found" notice over the right page (README, known
        # limits: until some session has run st.navigation, the app counts as an old-style multipage app)
        for s in procs:
            first = asyncio.run(one_view(s.url, "", {"cchc_auth": site.login_cookie()}))
            assert UI["page_overview"] in first.headings
        yield procs


def test_two_viewers_render_their_pages(site, two):
    """Two logged-in viewers at once, each in its own session, three pages each: every run finishes, without an
    error, and shows its page's title and the viewer's name; the later pages of a session are navigation reruns."""
    out = asyncio.run(burst(two[0].url, [site.login_cookie(), site.login_cookie()], rounds=3))
    assert len(out) == 6
    for view, _first in out:
        assert view.ok, view.problem
        title = UI[dict(PAGES)[view.page]]
        assert any(title in h for h in view.headings), (view.page, view.headings)
        assert view.deltas > 3
        assert UI["no_data"] in view.texts  # the site has no data yet: the empty state, not an error
    assert sorted(v.page for v, first in out if first) == ["", "chi-tieu"]


def test_without_a_cookie_the_login_form_is_all_there_is(two):
    view = asyncio.run(one_view(two[0].url, "chi-tieu"))
    assert view.ok  # the login form is no error
    assert UI["page_targets"] not in view.headings and UI["no_data"] not in view.texts


def test_a_forged_cookie_logs_nobody_in(site, two):
    import jwt

    forged = jwt.encode({"username": sv.VIEWER, "exp_date": 4_000_000_000}, "x" * 48, algorithm="HS256")
    view = asyncio.run(one_view(two[0].url, "chi-tieu", {"cchc_auth": forged}))
    assert view.ok and UI["page_targets"] not in view.headings


def test_an_unknown_page_is_reported(site, two):
    view = asyncio.run(one_view(two[0].url, "khong-co-trang-nay", {"cchc_auth": site.login_cookie()}))
    assert not view.ok and "page not found" in view.problem


def test_a_page_the_role_may_not_open_is_not_rendered(site, two):
    """A viewer asking for the users page (admins only) does not get it."""
    view = asyncio.run(one_view(two[0].url, "nguoi-dung", {"cchc_auth": site.login_cookie()}))
    assert UI["page_users"] not in view.headings


# --- nginx ------------------------------------------------------------------------------------------------------
needs_nginx = pytest.mark.skipif(not sv.PROXY_READY, reason="nginx or openssl is not installed (apt-get install nginx)")


@pytest.fixture(scope="module")
def proxy(two, site):
    if not sv.PROXY_READY:
        pytest.skip("nginx or openssl is not installed")
    with sv.nginx([s.port for s in two], site.folder / "nginx") as p:
        yield p


@needs_nginx
def test_a_page_loads_through_nginx(site, proxy):
    ctx = proxy.ssl_context()
    status, headers, body = sv.http_get(proxy.url + "/", context=ctx)
    assert status == 200 and b"<title>" in body.lower() or b"<!doctype html>" in body.lower()
    route = re.search(r"cchc_route=([0-9a-f]{32})", headers.get("Set-Cookie", ""))
    assert route, headers
    assert "HttpOnly" in headers["Set-Cookie"] and "Secure" in headers["Set-Cookie"]
    assert sv.healthy(proxy.url, ctx)
    view = asyncio.run(one_view(proxy.url, "xep-hang", {"cchc_auth": site.login_cookie(), "cchc_route": route.group(1)},
                                ssl_context=ctx))
    assert view.ok, view.problem
    assert UI["page_rankings"] in view.headings
    # a browser that has its route cookie gets none again
    _s, again, _b = sv.http_get(proxy.url + "/", context=ctx, cookie=f"cchc_route={route.group(1)}")
    assert "cchc_route" not in again.get("Set-Cookie", "")


@needs_nginx
def test_plain_http_is_sent_to_https(proxy):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as err:
        opener.open(f"http://127.0.0.1:{proxy.http_port}/chi-tieu", timeout=5)
    assert err.value.code == 301 and err.value.headers["Location"].startswith("https://")


@needs_nginx
def test_sessions_stick_to_one_process_and_spread_over_both(site, proxy, two):
    """Every request of a route cookie goes to one process (the websocket included); twelve browsers use both."""
    ctx = proxy.ssl_context()
    routes = [f"{i:032x}" for i in range(12)]

    async def browse() -> None:
        for r in routes:
            async with Viewer(proxy.url, {"cchc_auth": site.login_cookie(), "cchc_route": r}, ssl_context=ctx) as v:
                assert (await v.view("")).ok
            await asyncio.to_thread(sv.http_get, proxy.url + "/", 5.0, ctx, f"cchc_route={r}")

    asyncio.run(browse())
    served: dict[str, set[str]] = {}
    for line in proxy.access_log():
        m = re.search(r"upstream=(\S+) route=(\S+)", line)
        if m and m.group(2) in routes:
            served.setdefault(m.group(2), set()).add(m.group(1))
    assert set(served) == set(routes)
    assert all(len(ups) == 1 for ups in served.values()), served
    assert {u for ups in served.values() for u in ups} == {f"127.0.0.1:{s.port}" for s in two}
