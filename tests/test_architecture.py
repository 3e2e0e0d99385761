"""The layering the project promises, measured on the code: no import cycle (function-level imports
included), the domain package never reaching the UI, a small top level, and a module
map in docs/ARCHITECTURE.md that names every module there is."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = ROOT / "docs" / "ARCHITECTURE.md"


def _modules() -> dict[str, Path]:
    files = [*ROOT.glob("kesbang/**/*.py"), *ROOT.glob("ui/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "dashboard.py"]
    out = {}
    for path in files:
        rel = path.relative_to(ROOT).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every project module `path` imports, at any depth of the code (a function-level import counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                      for a in node.names}
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant)):
            found.add(str(node.args[0].value))
    return found


def _graph() -> dict[str, set[str]]:
    return {name: {t for t in _imports(path) if t in MODULES and t != name} for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle_anywhere():
    assert _cycles(_graph()) == []


def test_the_domain_package_never_reaches_the_ui():
    leaks = {name: sorted(t for t in _imports(path) if t.split(".")[0] in {"streamlit", "ui", "pages"}
                          or t == "dashboard")
             for name, path in MODULES.items() if name.startswith("kesbang")}
    assert {k: v for k, v in leaks.items() if v} == {}


def test_the_top_level_keeps_only_the_shared_vocabulary():
    top = [p.name for p in (ROOT / "kesbang").glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert len(top) <= 15, sorted(top)


def test_the_module_map_names_every_module_and_only_real_ones():
    text = ARCHITECTURE.read_text(encoding="utf-8")
    package_modules = {str(p.relative_to(ROOT)) for p in ROOT.glob("kesbang/**/*.py") if p.name != "__init__.py"}
    named = set(re.findall(r"`(kesbang/[\w/]+\.py)`", text))
    assert sorted(package_modules - named) == [], "modules missing from docs/ARCHITECTURE.md"
    assert sorted(p for p in named if not (ROOT / p).is_file()) == [], "named in the map but not in the tree"


def test_the_path_of_one_uploaded_cell_is_written_down_hop_by_real_hop():
    hops = re.findall(r"^\d+\. `([\w/]+\.py)`", ARCHITECTURE.read_text(encoding="utf-8"), re.M)
    assert hops and hops[0] == "pages/unggah.py" and hops[-1].startswith(("pages/", "kesbang/charts/"))
    assert [h for h in hops if not (ROOT / h).is_file()] == []


def test_no_intake_function_runs_over_80_lines():
    """A function of the intake fits on a screen: the loader was split along its seams for that."""
    long = {}
    for path in sorted((ROOT / "kesbang" / "intake").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno >= 80:
                long[f"{path.name}:{node.name}"] = node.end_lineno - node.lineno + 1
    assert long == {}
