"""The frame: page config, login, and navigation over the pages this user's role may open."""
from __future__ import annotations

import streamlit as st

from catalogue import UI
from components import auth

# (file, title key, icon, url path, roles allowed, section)
PAGES = [
    ("pages/mine.py", "page_mine", ":material/person:", "cua-toi", auth.READERS, "section_views"),
    ("pages/overview.py", "page_overview", ":material/dashboard:", "tong-quan", auth.READERS, "section_views"),
    ("pages/targets.py", "page_targets", ":material/flag:", "chi-tieu", auth.READERS, "section_views"),
    ("pages/areas.py", "page_areas", ":material/map:", "dia-ban", auth.READERS, "section_views"),
    ("pages/agencies.py", "page_agencies", ":material/apartment:", "co-quan", auth.READERS, "section_views"),
    ("pages/rankings.py", "page_rankings", ":material/leaderboard:", "xep-hang", auth.READERS, "section_views"),
    ("pages/tasks.py", "page_tasks", ":material/checklist:", "nhiem-vu", auth.READERS, "section_views"),
    ("pages/meeting.py", "page_present", ":material/co_present:", "trinh-chieu", auth.READERS, "section_views"),
    ("pages/upload.py", "page_upload", ":material/upload_file:", "tai-len", auth.EDITORS, "section_data"),
    ("pages/completeness.py", "page_completeness", ":material/fact_check:", "muc-do-bao-cao", auth.EDITORS, "section_data"),
    ("pages/history.py", "page_history", ":material/history:", "lich-su", auth.EDITORS, "section_data"),
    ("pages/audit.py", "page_audit", ":material/policy:", "nhat-ky", auth.ADMINS, "section_admin"),
    ("pages/users.py", "page_users", ":material/group:", "nguoi-dung", auth.ADMINS, "section_admin"),
]


def page_roles() -> dict[str, frozenset[str]]:
    """url path → roles allowed (pages check it again themselves)."""
    return {url: roles for _f, _t, _i, url, roles, _s in PAGES}


def build(role: str | None, home: str = "tong-quan") -> dict[str, list[st.Page]]:
    """The pages to register, by section: all of them while logged out (so a deep link survives the
    login form), only the allowed ones once the role is known."""
    sections: dict[str, list[st.Page]] = {}
    for file, title, icon, url, roles, section in PAGES:
        if role is None or role in roles:
            sections.setdefault(UI[section], []).append(
                st.Page(file, title=UI[title], icon=icon, url_path=url, default=(url == home)))
    return sections


def run() -> None:
    """One run of the app."""
    st.set_page_config(page_title=UI["app_title"], page_icon=":material/account_balance:", layout="wide",
                       initial_sidebar_state="collapsed" if st.query_params.get("present") else "auto")
    from components import data
    from components.errors import reported

    with reported("app"), auth.run_scope():  # an unexpected error: logged with an id, shown as one line with it
        data.engine()  # first run: create the database, the first admin (password printed once) and load the samples
        page = _frame()
        try:
            with reported(page.url_path or "tong-quan"):
                page.run()
        finally:
            data.settle()  # after a run that filled caches: keep the collector off the long-lived heap


def _frame() -> st.Page:
    """Navigation over the pages this user may open, the login gate and the sidebar; returns the page to run."""
    role = auth.session_role()
    sections = build(role, auth.home_url())
    present = st.query_params.get("present") == "1"
    page = st.navigation(sections, position="hidden")
    user = auth.gate()  # shows the login form and stops the run when nobody is logged in
    page = _land(sections, page)
    if not present:
        from components.nav import sidebar_links

        sidebar_links(sections)
        auth.sidebar(user)
    return page


def _land(sections: dict[str, list[st.Page]], page: st.Page) -> st.Page:
    """Once per session, a user logged in at "/" goes to their start page (Của tôi for an editor or agency head):
    the run that logs in still shows the logged-out default, and a rerun keeps the page it showed."""
    from urllib.parse import urlparse

    home = auth.home_url()
    if st.session_state.get("_cchc_landed") or not st.session_state.get("authentication_status"):
        return page
    st.session_state["_cchc_landed"] = True
    path = urlparse(str(st.context.url or "")).path.rstrip("/")
    if home == "tong-quan" or page.url_path not in ("", "tong-quan") or path.endswith("/tong-quan"):
        return page
    target = next((p for ps in sections.values() for p in ps if p.url_path == home), None)
    if target is not None:
        st.switch_page(target)
    return page


if __name__ == "__main__":
    run()
