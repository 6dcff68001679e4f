"""The package graph, read from the imports of the non-test tree with `ast` (nothing is imported or run):
analytics is pure, the packages and the top-level modules import each other in one direction only, only the UI
imports Streamlit, and an import inside a function says why it is there (`# lazy: <reason>`)."""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.repo import ROOT, listed_files

PACKAGES = ("analytics", "exports", "loaders", "store", "samples", "service")  # service: once it exists
UI_PARTS = ("app.py", "pages/", "components/")  # the only code that may import streamlit
# Tools that drive the real Streamlit server or AppTest, as the tests do: the page benchmark runs the pages in
# AppTest, the load test speaks Streamlit's websocket protocol (its protobuf messages come with streamlit).
STREAMLIT_TOOLS = ("bench_pages.py", "loadtest/")
# Files whose imports inside functions are not converted yet (owned by other work while the conversion was made):
# PENDING. Shrink this list as they are converted; a converted file must leave it (test below).
LAZY_PENDING: tuple[str, ...] = ()


@dataclass(frozen=True)
class Import:
    file: str  # path from the root, "analytics/units.py"
    line: int
    module: str  # the module named: "store.queries", "streamlit.runtime", "formats"
    in_function: bool
    lazy: bool  # carries a `# lazy: <reason>` comment


def _code_files() -> list[str]:
    """The project's Python files, tests and migrations left out."""
    return [f for f in listed_files() if f.endswith(".py") and not f.startswith(("tests/", "store/migrations/"))]


def _imports(path: str) -> list[Import]:
    text = (ROOT / path).read_text(encoding="utf-8")
    lines = text.split("\n")
    tree = ast.parse(text, path)
    inside: set[int] = set()
    for fn in ast.walk(tree):
        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inside.update(id(n) for n in ast.walk(fn) if n is not fn)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        lazy = any("# lazy:" in line and line.split("# lazy:", 1)[1].strip()
                   for line in lines[node.lineno - 1:node.end_lineno])
        out += [Import(path, node.lineno, name, id(node) in inside, lazy) for name in names]
    return out


IMPORTS = [i for f in _code_files() for i in _imports(f)]
TOP_LEVEL = {Path(f).stem for f in _code_files() if "/" not in f}


def _part(path: str) -> str | None:
    """The node of the package graph a file belongs to: its package, or its own name for a top-level module."""
    head = path.split("/", 1)[0]
    if head in PACKAGES:
        return head
    if "/" not in path:
        return Path(path).stem
    return None  # pages/, components/, scripts/, loadtest/: above the graph, no rule here but the ones below


def _target(module: str) -> str | None:
    head = module.split(".", 1)[0]
    return head if head in PACKAGES or head in TOP_LEVEL else None


def test_the_tree_is_read() -> None:
    """The rules below have something to hold against: the analytics files and their imports are there."""
    files = {i.file for i in IMPORTS}
    assert {"analytics/units.py", "analytics/meeting.py", "formats.py", "quarter.py", "store/snapshot.py"} <= files
    assert any(i.file == "store/snapshot.py" and i.module.startswith("analytics") for i in IMPORTS)


def test_analytics_imports_neither_store_nor_exports_nor_streamlit() -> None:
    bad = [f"{i.file}:{i.line} imports {i.module}" for i in IMPORTS
           if i.file.startswith("analytics/") and i.module.split(".")[0] in ("store", "exports", "streamlit")]
    assert bad == []


def _graph() -> dict[str, dict[str, list[str]]]:
    """part → part it imports → where ("file:line"), imports inside functions included (a cycle they hide is
    still a cycle)."""
    graph: dict[str, dict[str, list[str]]] = {}
    for i in IMPORTS:
        a, b = _part(i.file), _target(i.module)
        if a and b and a != b:
            graph.setdefault(a, {}).setdefault(b, []).append(f"{i.file}:{i.line}")
    return graph


def _cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected parts with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted({*graph, *(w for e in graph.values() for w in e)}):
        if v not in index:
            visit(v)
    return out


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b": []}, "b": {"c": []}}, []),
    ({"a": {"b": []}, "b": {"a": []}}, [["a", "b"]]),
    ({"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}, [["a", "b", "c"]]),
    ({"a": {"b": []}, "b": {"a": []}, "c": {"d": []}, "d": {"c": []}}, [["a", "b"], ["c", "d"]]),
])
def test_the_cycle_finder(graph, expected) -> None:
    assert sorted(_cycles(graph)) == expected


def test_no_cycle_between_the_packages_and_the_top_level_modules() -> None:
    graph = _graph()
    assert {"store", "analytics", "loaders"} <= set(graph), "the graph was not read"
    found = {" ↔ ".join(c): {a: {b: w[:3] for b, w in graph[a].items() if b in c} for a in c} for c in _cycles(graph)}
    assert found == {}


@pytest.mark.parametrize("low, high", [("loaders", "analytics"), ("analytics", "exports"), ("analytics", "store"),
                                       ("loaders", "store"), ("loaders", "exports"), ("model", "loaders"),
                                       ("quarter", "formats"), ("formats", "analytics")])
def test_the_layers_point_one_way(low, high) -> None:
    """The intended order, lowest first: a lower layer never imports a higher one."""
    climbs = _graph().get(low, {}).get(high, [])
    assert climbs == []


def test_only_the_ui_imports_streamlit() -> None:
    bad = [f"{i.file}:{i.line}" for i in IMPORTS if i.module.split(".")[0] == "streamlit"
           and not i.file.startswith(UI_PARTS + STREAMLIT_TOOLS)]
    assert bad == []


def test_every_import_inside_a_function_says_why() -> None:
    bad = sorted({f"{i.file}:{i.line}" for i in IMPORTS if i.in_function and not i.lazy and i.file not in LAZY_PENDING})
    assert bad == []


def test_the_pending_list_only_names_files_still_pending() -> None:
    """A file converted (no import inside a function without its reason) leaves LAZY_PENDING."""
    pending = {i.file for i in IMPORTS if i.in_function and not i.lazy}
    assert [f for f in LAZY_PENDING if (ROOT / f).exists() and f not in pending] == []
