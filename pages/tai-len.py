"""Tải dữ liệu lên: dry run (sheets, errors by sheet/row/column, errors copy), the diff against the
current data, then a deliberate all-or-nothing import within the editor's scope; templates to fill."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

import service
import settings
from catalogue import MESSAGES, SHEET_KINDS, UI, label
from components import auth, data, ui
from components.audit_text import scope_text
from components.exporting import progress_template
from components.target_review import review
from exports.annotate import isolated_errors_copy as errors_copy
from exports.templates import KINDS, blank_template
from formats import fmt_quarter
from loaders.body_targets import reference_catalogue
from loaders.reference import reference
from loaders.workbook import FILE
from service.aliases import Choice
from store import users
from store.authorize import Claim, is_scope_problem, permitted
from store.completeness import agency_codes_in_scope, live_assignments, report_quarter_for
from components.frame import ensure

ensure()  # a first-session deep link runs this file outside the frame: run the frame instead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_DUPLICATE = MESSAGES["file_duplicate"].split("(")[0]
DIFF_PARTS = {"outputs": "diff_outputs", "progress": "diff_progress", "values": "diff_values", "par": "diff_par",
              "targets": "diff_targets"}

user = auth.require(auth.EDITORS)
st.title(UI["page_upload"])
eng = data.engine()
scope = users.scope_for(user.agencies, user.units, user.is_admin, eng)


def _scope_text() -> str:
    if scope.is_admin:
        return UI["upload_scope_all"]
    if not user.agencies and not user.units:
        return UI["scope_none"]
    f = data.frames()
    return scope_text(sorted(user.agencies), sorted(user.units), dict(zip(f.agencies["code"].astype(str), f.agencies["name"])),
                      dict(zip(f.units["code"].astype(str), f.units["name"])))


def _dry_run(name: str, content: bytes, key: str, confirmed: list | None = None):  # noqa: ANN202
    """Parse, validate and rehearse the import (rolled back) of one file: the service's Rehearsal and its diff (the
    preview, from the rehearsal's own matching).
    Kept in the session per file and confirmed targets, for the data version it was validated against, so reruns
    (a download click) do not redo it; the import of the same bytes then reuses its parse."""
    cache = st.session_state.setdefault("upload_dry_runs", {})
    key = (key, repr(confirmed or []))
    hit = cache.get(key)
    if hit is None or hit[0].version != data.version():
        earlier = cache.get((key[0], repr([])))  # the same bytes without confirmed targets: its parse is reused
        rehearsal = service.dry_run(eng, content, name, user=user.username, scope=scope, confirmed=confirmed,
                                    earlier=earlier[0] if earlier else None)
        diff = rehearsal.diff if rehearsal.result.parse.sheets else None
        cache[key] = hit = (rehearsal, diff)
    return hit[0], hit[1]


def _errors_copy(key: str, content: bytes, problems: list) -> bytes | None:
    """The annotated copy of an upload, made once per file and data version in a child process (it reads the
    whole workbook with openpyxl: never in the server process)."""
    cache = st.session_state.setdefault("upload_errors_copies", {})
    version = data.version()
    hit = cache.get(key)
    if hit is None or hit[0] != version:
        cache[key] = hit = (version, errors_copy(content, problems))
    return hit[1]


def _where(p) -> str:  # noqa: ANN001 - a Problem
    """ "Trang «Phụ lục», ô XFD1048576: " before a sheet's message; nothing before a file-level one."""
    if p.sheet == FILE:
        return ""
    cell = f", ô {p.column}{p.row}" if p.column and p.row else (f", dòng {p.row}" if p.row else "")
    return UI["upload_unreadable_where"].format(sheet=p.sheet, cell=cell)


def _indicator_names() -> dict[str, str]:
    """Code → name of the stored indicators (the choices when an admin re-assigns a proposal)."""
    f = data.frames()
    if f.indicators.empty:
        ref = reference_catalogue()
        return dict(zip(ref["code"], ref["name"]))
    return dict(zip(f.indicators["code"], f.indicators["name"]))


def _problem_table(problems: list) -> pd.DataFrame:
    return pd.DataFrame({
        UI["col_sheet"]: [p.sheet for p in problems],
        UI["col_row"]: [p.row if p.row is not None else "" for p in problems],
        UI["col_column"]: [p.column or "" for p in problems],
        UI["col_severity"]: [UI["severity_error"] if p.severity == "error" else UI["severity_warning"] for p in problems],
        UI["col_message"]: [p.message for p in problems],
    }).astype(str)


def _period_of(parse) -> tuple[int, int] | None:  # noqa: ANN001
    """The latest quarter in the file's progress or quarterly values."""
    found = []
    for key in ("progress", "indicator_values"):
        df = parse.frames.get(key)
        if df is not None and not df.empty:
            q = df.dropna(subset=["quarter"])
            if not q.empty:
                found.append(max(zip(q["year"].astype(int), q["quarter"].astype(int))))
    return max(found) if found else None


def _summary(parse) -> None:  # noqa: ANN001
    if parse.sheets:
        st.markdown(f"**{UI['upload_sheets']}**")
        st.dataframe(pd.DataFrame({UI["col_sheet"]: [s.name for s in parse.sheets],
                               UI["col_kind"]: [label(SHEET_KINDS, s.kind) for s in parse.sheets],
                                   UI["col_rows"]: [s.rows for s in parse.sheets]}), hide_index=True, width="stretch")
    facts = []
    if parse.plan_sheets or parse.kind != "xlsx":
        issued = f" ({parse.meta.issued_on.strftime('%d/%m/%Y')})" if parse.meta.issued_on else ""
        facts.append(f"{UI['upload_plan']}: {parse.meta.number or ''}{issued} {parse.meta.title or ''}".strip())
        info = parse.as_json()["plan"]
        facts.append(f"{UI['upload_unit']}: {info['unit'] or '–'}")
        if parse.meta.period:
            a, b = parse.meta.period
            facts.append(f"{UI['upload_period']}: {a}" + (f"–{b}" if b != a else ""))
    period = _period_of(parse)
    if period:
        facts.append(f"{UI['filter_period']}: {fmt_quarter(*period)}")
    if facts:
        st.caption(" · ".join(facts))


def _diff(diff) -> None:  # noqa: ANN001
    if diff is None or not diff.parts:
        return
    st.markdown(f"**{UI['upload_diff']}**")
    rows = [{UI["diff_part"]: UI[DIFF_PARTS[k]], UI["diff_new"]: p.new, UI["diff_changed"]: p.changed,
             UI["diff_unchanged"]: p.unchanged, UI["diff_unmatched"]: p.unmatched} for k, p in diff.parts.items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    changed = [dict(ex, **{UI["diff_part"]: UI[DIFF_PARTS[k]]}) for k, p in diff.parts.items() for ex in p.examples["changed"]]
    if changed:
        with st.expander(UI["diff_examples"]):
            st.dataframe(pd.DataFrame(changed).astype(str), hide_index=True, width="stretch")


def _claim(q, c):  # noqa: ANN001, ANN202 - a loaders.resolve Question and Candidate → store.authorize.Claim
    """What keeping this answer would write, judged like the alias write itself (to offer an editor only what
    their scope allows)."""
    if q.kind == "agency":
        ag = reference().agencies
        unit = ag.loc[ag["code"] == c.code, "unit_code"]
        return Claim("aliases", q.sheet, q.row, q.column, owner=c.code, owner_kind="agency",
                     agency_unit=str(unit.iloc[0]) if len(unit) else None)
    if q.kind == "unit":
        return Claim("aliases", q.sheet, q.row, q.column, owner=c.code)
    return Claim("layout", q.sheet, q.row, q.column)


def _question_label(q) -> str:  # noqa: ANN001
    cell = f"{q.column or ''}{q.row or ''}"
    where = (UI["resolve_where"].format(sheet=q.sheet, cell=cell) if cell and q.sheet != FILE
             else UI["resolve_where_sheet"].format(sheet=q.sheet))
    more = UI["resolve_more"].format(n=q.rows - 1) if q.rows > 1 else ""
    text = UI["resolve_question"].format(kind=UI[f"resolve_kind_{q.kind}"], text=q.text, where=where, more=more)
    return text if q.blocking else f"{text} · {UI['resolve_optional']}"


def _questions(res, key: str, name: str) -> None:  # noqa: ANN001 - an ImportResult
    """The dry run's questions: pick a meaning for each; the picks are kept as learned aliases (a batch, audited,
    undone by rollback) and the file is checked again at once."""
    saved = st.session_state.setdefault("upload_resolved", {}).get(key)
    if saved:
        st.success(UI["resolve_saved"].format(n=saved[1], batch_id=saved[0]), icon=":material/check_circle:")
    if not res.questions:
        return
    st.markdown(f"**{UI['resolve_title'].format(count=len(res.questions))}**")
    st.caption(UI["resolve_intro"])
    with st.form(key=f"resolve_{key}"):
        picks = []
        for i, q in enumerate(res.questions):
            options = [c for c in q.candidates if permitted(scope, _claim(q, c))]
            labels = [UI["resolve_skip"]] + [f"{c.label} ({c.code})" for c in options]
            choice = st.selectbox(_question_label(q), labels, key=f"rq_{key}_{i}",
                                  help=None if options else UI["resolve_none_allowed"])
            if choice != labels[0]:
                c = options[labels.index(choice) - 1]
                picks.append(Choice(q.kind, q.text, c.code, q.sheet_kind, q.sheet, q.row, q.column))
        submitted = st.form_submit_button(UI["resolve_save"], type="primary", icon=":material/school:")
    if not submitted:
        return
    if not picks:
        st.warning(UI["resolve_none_picked"])
        return
    done = service.add_aliases(eng, picks, user.username, scope, via="app", file_name=name)
    if done.problems:
        st.dataframe(_problem_table(done.problems), hide_index=True, width="stretch")
        return
    data.adopt(done.view)  # a new batch: the dry run of this file is made again at once
    st.session_state["upload_resolved"][key] = (done.batch_id, len(picks))
    st.rerun()


def _import(key: str, name: str, content: bytes, rehearsal, confirmed: list | None = None) -> None:  # noqa: ANN001
    bar = st.progress(0.0, text=UI["upload_import"])
    done = service.import_file(eng, content, name, user=user.username, scope=scope, confirmed=confirmed,
                               rehearsal=rehearsal, progress=lambda f, m: bar.progress(min(1.0, f), text=m))
    if done.status == "imported":  # the service prepared the new quarter's view data (and audited the import)
        data.adopt(done.view)  # shown at once on every view of this process, already computed
    st.session_state.setdefault("upload_done", {})[key] = done.result


def _show_import(res, name: str) -> None:  # noqa: ANN001
    if res.status == "imported":
        counts = ", ".join(f"{v} {UI.get('count_' + k, k)}" for k, v in res.counts.items())
        st.success(UI["upload_imported"].format(batch_id=res.batch_id, counts=counts), icon=":material/check_circle:")
        period = _period_of(res.parse)
        params = {"period": f"{period[0]}-Q{period[1]}"} if period else {}
        st.page_link("pages/tong-quan.py", label=UI["upload_open_overview"].format(period=fmt_quarter(*period) if period else ""),
                     icon=":material/dashboard:", query_params=params)
    else:
        st.error(UI["upload_refused"])
        st.dataframe(_problem_table(res.errors), hide_index=True, width="stretch")


def _one(f) -> None:  # noqa: ANN001
    content = f.getvalue()
    sha = hashlib.sha256(content).hexdigest()
    key = f"{sha[:16]}_{f.name}"
    done = st.session_state.get("upload_done", {}).get(key)
    with st.container(border=True):
        st.subheader(f.name)
        if done is not None:
            _show_import(done, f.name)
            return
        rehearsal, diff = _dry_run(f.name, content, key)
        res = rehearsal.result
        parse = res.parse
        if parse.sheets or parse.targets:
            _summary(parse)
        elif res.errors:  # the file could not be read at all: say why in words, not only in the table
            st.error("\n\n".join([UI["upload_unreadable"].format(file=f.name)] + [_where(p) + p.message for p in res.errors[:3]]),
                     icon=":material/block:")
        confirmed: list = []
        refused: list[str] = []
        if parse.targets:  # a plan document: its target sentences, written only as far as confirmed here
            confirmed, refused = review(parse.targets, key, scope.is_admin, _indicator_names())
            if confirmed:
                rehearsal, diff = _dry_run(f.name, content, key, confirmed)
                res = rehearsal.result
            for r in refused:
                st.error(UI["review_refused"].format(reason=r))
        _questions(res, key, f.name)
        problems = res.problems
        if any(p.message.startswith(_DUPLICATE) for p in problems):
            st.warning(UI["upload_duplicate"], icon=":material/content_copy:")
        outside = [p for p in problems if is_scope_problem(p)]
        if outside:
            st.markdown(f"**{UI['upload_out_of_scope']}**")
            st.dataframe(_problem_table(outside), hide_index=True, width="stretch")
        st.markdown(f"**{UI['upload_problems']}**")
        if problems:
            st.dataframe(_problem_table(problems), hide_index=True, width="stretch")

            copy = _errors_copy(key, content, problems) if parse.size and parse.kind == "xlsx" else None
            if copy is not None:
                st.download_button(UI["upload_errors_copy"], copy, key=f"errcopy_{key}",
                                   file_name=f.name.rsplit(".", 1)[0] + "_loi.xlsx", mime=XLSX, icon=":material/download:")
        else:
            st.caption(UI["upload_no_problems"])
        _diff(diff)
        ok = res.status == "dry_run" and not refused
        if not ok:
            st.error(UI["upload_import_blocked"])
        if st.button(UI["upload_import"], key=f"import_{key}", type="primary", disabled=not ok, icon=":material/publish:"):
            _import(key, f.name, content, rehearsal, confirmed)
            _show_import(st.session_state["upload_done"][key], f.name)


@st.cache_data(max_entries=8, show_spinner=False)
def _blank(kind: str) -> bytes:
    return blank_template(kind)


@st.cache_data(max_entries=16, show_spinner=False)
def _prefilled(_version: str, codes: tuple[str, ...], year: int, quarter: int) -> bytes:
    return progress_template(eng, list(codes), year, quarter)


def _templates() -> None:
    st.header(UI["templates_title"])
    st.caption(UI["templates_intro"])
    cols = st.columns(3)
    for i, kind in enumerate(KINDS):
        col = cols[i % 3]
        col.download_button(UI[f"template_{kind}"], _blank(kind), file_name=f"mau_{kind}.xlsx", mime=XLSX,
                            key=f"tpl_{kind}", icon=":material/download:", width="stretch")
    if scope.is_admin:
        return
    year, quarter = report_quarter_for(eng, settings.today())
    period = fmt_quarter(year, quarter)
    codes = agency_codes_in_scope(eng, scope.agencies, scope.units)
    live = live_assignments(eng, year, quarter, codes) if codes else pd.DataFrame(columns=["agency_code", "agency"])
    if live.empty:
        st.info(UI["template_prefilled_none"].format(period=period))
        return
    mine = tuple(sorted(live["agency_code"].unique()))
    names = ", ".join(dict.fromkeys(live["agency"]))
    st.download_button(UI["template_prefilled"].format(period=period, agencies=names),
                       _prefilled(data.version(), mine, year, quarter), key="tpl_prefilled", type="primary",
                       file_name=f"bao_cao_tien_do_{year}_Q{quarter}.xlsx", mime=XLSX, icon=":material/download:")


st.caption(UI["upload_intro"].format(limit=settings.get("CCHC_MAX_UPLOAD_MB")))
st.caption(UI["upload_scope"].format(scope=_scope_text()))
ui.uploader_texts("upload_files", UI["upload_button"],
                  UI["upload_limit_note"].format(limit=settings.get("CCHC_MAX_UPLOAD_MB"), types="XLSX, DOCX, PDF"))
files = st.file_uploader(UI["upload_files"], type=["xlsx", "docx", "pdf"], accept_multiple_files=True, key="upload_files")
for uploaded in files or []:
    _one(uploaded)
_templates()
