"""The frame: page config, login, and navigation over the pages this user's role may open."""
from __future__ import annotations

import streamlit as st

from catalogue import UI
from components import auth, data, frame
from components.errors import reported
from components.nav import go, sidebar_links

# (file, title key, icon, url path, roles allowed, section)
PAGES = [
    ("pages/cua-toi.py", "page_mine", ":material/person:", "cua-toi", auth.READERS, "section_views"),
    ("pages/tong-quan.py", "page_overview", ":material/dashboard:", "tong-quan", auth.READERS, "section_views"),
    ("pages/chi-tieu.py", "page_targets", ":material/flag:", "chi-tieu", auth.READERS, "section_views"),
    ("pages/dia-ban.py", "page_areas", ":material/map:", "dia-ban", auth.READERS, "section_views"),
    ("pages/co-quan.py", "page_agencies", ":material/apartment:", "co-quan", auth.READERS, "section_views"),
    ("pages/xep-hang.py", "page_rankings", ":material/leaderboard:", "xep-hang", auth.READERS, "section_views"),
    ("pages/nhiem-vu.py", "page_tasks", ":material/checklist:", "nhiem-vu", auth.READERS, "section_views"),
    ("pages/trinh-chieu.py", "page_present", ":material/co_present:", "trinh-chieu", auth.READERS, "section_views"),
    ("pages/tai-len.py", "page_upload", ":material/upload_file:", "tai-len", auth.EDITORS, "section_data"),
    ("pages/muc-do-bao-cao.py", "page_completeness", ":material/fact_check:", "muc-do-bao-cao", auth.EDITORS, "section_data"),
    ("pages/lich-su.py", "page_history", ":material/history:", "lich-su", auth.EDITORS, "section_data"),
    ("pages/nhat-ky.py", "page_audit", ":material/policy:", "nhat-ky", auth.ADMINS, "section_admin"),
    ("pages/nguoi-dung.py", "page_users", ":material/group:", "nguoi-dung", auth.ADMINS, "section_admin"),
]


def page_roles() -> dict[str, frozenset[str]]:
    """url path → roles allowed (pages check it again themselves)."""
    return {url: roles for _f, _t, _i, url, roles, _s in PAGES}


START = "tong-quan"  # where the start page sends a logged-out visitor, an admin or a viewer who opens "/"


def _start() -> None:
    """The default page, served at "/": it is no view of its own (a default page's url_path is no page, so
    Tổng quan must not be the default, or `/tong-quan?...` would be "Page not found"); it opens the user's
    start view (auth.home_url: Của tôi for an editor or agency head), keeping the query parameters."""
    go(f"pages/{auth.home_url()}.py")


def build(role: str | None) -> dict[str, list[st.Page]]:
    """The pages to register, by section: all of them while logged out (so a deep link survives the
    login form), only the allowed ones once the role is known. The first entry is the hidden start page."""
    sections: dict[str, list[st.Page]] = {
        "": [st.Page(_start, title=UI["app_title"], icon=":material/home:", url_path="bat-dau", default=True,
                     visibility="hidden")]}
    for file, title, icon, url, roles, section in PAGES:
        if role is None or role in roles:
            sections.setdefault(UI[section], []).append(st.Page(file, title=UI[title], icon=icon, url_path=url))
    return sections


def run() -> None:
    """One run of the app."""
    st.set_page_config(page_title=UI["app_title"], page_icon=":material/account_balance:", layout="wide",
                       initial_sidebar_state="collapsed" if st.query_params.get("present") else "auto")

    with reported("app"), auth.run_scope():  # an unexpected error: logged with an id, shown as one line with it
        data.engine()  # first run: create the database, the first admin (password printed once) and load the samples
        page = _frame()
        try:
            with reported(page.url_path or START), frame.inside():
                page.run()
        finally:
            data.settle()  # after a run that filled caches: keep the collector off the long-lived heap


def _frame() -> st.Page:
    """Navigation over the pages this user may open, the login gate and the sidebar; returns the page to run."""
    sections = build(auth.session_role())
    present = st.query_params.get("present") == "1"
    page = st.navigation(sections, position="hidden")
    user = auth.gate()  # shows the login form and stops the run when nobody is logged in
    if not present:
        sidebar_links(sections)
        auth.sidebar(user)
    return page


if __name__ == "__main__":
    run()
