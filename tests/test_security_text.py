"""User text is shown literally on every page: never as markdown, HTML, a Streamlit directive or a formula.

A real workbook (written by the template writer from a stored sample version) carries hostile text in every
free-text column — indicator and programme names, faktor pendorong/penghambat, follow-up, activities,
stories of change, notes, the office and the operator — and goes through the loader and the store like any
upload, as does a comment in the review thread and a hostile file name. Every page of the router then runs
through AppTest signed in as the reviewer (and the operator), and the element tree is read back:
- the hostile text shows up verbatim in plain-text elements or table values (proof that it was rendered);
- no markdown-interpreting element (markdown, caption, alerts, titles, expander/tab labels, metric labels,
  button labels, page links …) holds it unescaped;
- chart specs hold it only HTML-escaped (plotly renders a subset of HTML in titles, ticks and hovers).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import storekit
from app_router import router_pages
from streamlit.testing.v1 import AppTest

from kesbang import i18n
from kesbang.exports import template
from kesbang.intake import loader
from kesbang.store import open_store
from ui import builtin_text

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard.py")
TIMEOUT = 60
SAMPLE_FILES = ["rpjmd_62.xlsx"] + [f"62.0{n}_{y}.xlsx" for n in range(1, 5) for y in (2025, 2026)]

# every page runs through the router (dashboard.py), as a real server does (fixture in conftest.py)
pytestmark = pytest.mark.usefixtures("through_the_router")


# Each payload is unique per column so a finding names the column it came from.
MARKERS = ("<script>", "**bold**", "](javascript:", ":red[", "=HYPERLINK(", "<img")  # icons are ours: not a marker


def hostile(tag: str) -> str:
    return (f'{tag} <script>alert(1)</script> **bold** [link](javascript:alert(1)) :red[x] '
            f':material/lock: <img src=x onerror=alert(2)> =HYPERLINK("http://evil","x")')


def formula_first(tag: str) -> str:
    """Starts with `=`, as a spreadsheet formula would."""
    return f'=HYPERLINK("http://evil/{tag}","x") **bold** <script>alert(1)</script>'


INDIKATOR_TEXT = ("nama_program", "indikator", "faktor_pendorong", "faktor_penghambat", "tindak_lanjut", "satuan")
NILAI_TEXT = ("kegiatan", "lokasi", "sasaran", "narasi")
UNKNOWN_PROGRAM = "8.01.99"
FILENAME = "**laporan** <b>x</b> :red[62.02].xlsx"
COMMENT = hostile("komentar")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("db") / "kesbang.sqlite3"
    store = open_store(f"sqlite:///{path}")
    storekit.seed_samples(store, tmp_path_factory, SAMPLE_FILES)

    hist = store.history("62.02", 2026)
    latest = int(hist.iloc[-1]["submission_id"])
    sub = store.submission(latest)
    ind = sub.indikator.copy()
    for col in INDIKATOR_TEXT:
        ind[col] = [hostile(f"{col}{i}") if i % 2 else formula_first(f"{col}{i}") for i in range(len(ind))]
    # a programme code outside the national nomenclature: its name can only come from the operator's text
    ind.loc[ind.index[:2], "kode_program"] = UNKNOWN_PROGRAM
    # code columns take any text today: a hostile code must not become markup either
    ind.loc[ind.index[2:3], "kode_program"] = "8.01.98 **kode** <script>alert(3)</script>"
    ind.loc[ind.index[3:4], "kode_indikator"] = "8.01.98.1 **kode** :red[x] <img src=x>"
    nil = sub.nilai.copy()
    for col in NILAI_TEXT:
        nil[col] = [hostile(f"{col}{i}") if i % 2 else formula_first(f"{col}{i}") for i in range(len(nil))]
    pas = sub.paskibraka.copy()
    pas["catatan"] = [hostile(f"catatan{i}") for i in range(len(pas))]
    sub.indikator, sub.nilai, sub.paskibraka = ind, nil, pas
    sub.identitas["perangkat_daerah"] = hostile("perangkat")
    sub.identitas["operator"] = formula_first("operator")
    data = template.write_submission(sub, "62.02", 2026, store.dataset().rpjmd)
    result = loader.load_submission(data, FILENAME)
    assert result.ok, [i.code for i in result.errors]
    back = result.submission
    # the workbook kept every hostile value as text (a leading `=` did not become a formula)
    assert back.indikator["faktor_pendorong"].tolist() == ind["faktor_pendorong"].tolist()
    assert back.nilai["narasi"].tolist() == nil["narasi"].tolist()
    assert back.identitas["operator"] == formula_first("operator")

    operator = store.user("operator.62.02")
    out = store.submit(operator, result, data, FILENAME)
    assert out.status == "stored", out
    assert store.comment(store.user("reviewer"), out.submission_id, COMMENT).ok
    store.close()
    return path


@pytest.fixture
def store(hostile_db, isolated_store, monkeypatch):
    s = open_store(storekit.use_copy(hostile_db, isolated_store, monkeypatch, seed_sample=False))
    yield s
    s.close()


def walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


# Elements that show text literally (their strings are data, not markup).
LITERAL = {"text", "code", "json"}
TABLES = {"arrow_data_frame", "dataframe", "table"}


# ui/builtin_text.py's script (Streamlit's built-in English swapped for catalogue text), in every language
ROUTER_SCRIPTS = {builtin_text.names_script(lang) for lang in i18n.LANGUAGES}


def markup_of(node) -> list[str]:
    """The strings of `node` that Streamlit may render as markdown: the whole element (body, label, help,
    radio options, expander/tab labels …), except select boxes, whose options are plain text."""
    proto = getattr(node, "proto", None)
    kind = getattr(node, "type", None)
    if proto is None or kind in LITERAL or kind in TABLES or kind == "plotly_chart":
        return []
    if kind == "html" and proto.body in ROUTER_SCRIPTS:  # the router's own script: catalogue text only
        return []
    if kind in ("selectbox", "multiselect"):
        return [proto.label, proto.help]
    return [str(proto)]


def literal_text(at: AppTest) -> str:
    """Everything shown literally: text/code elements and every table's cell values."""
    parts = []
    for node in walk(at._tree):
        if getattr(node, "type", None) in LITERAL:
            parts.append(str(getattr(node, "value", "")))
        elif getattr(node, "type", None) in TABLES:
            frame = node.value
            if isinstance(frame, pd.DataFrame):
                parts += [str(v) for v in frame.to_numpy().ravel()] + [str(c) for c in frame.columns]
    return "\n".join(parts)


def chart_strings(at: AppTest) -> list[str]:
    out: list[str] = []

    def collect(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    for el in at.get("plotly_chart"):
        collect(json.loads(el.proto.spec))
    return out


def run(page: str, user: str, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"provinsi": "62", "tahun": "2026"})
    at.session_state["auth_user"] = {"username": user}
    for key, value in state.items():  # e.g. the profile's regency picker (key "kab")
        at.session_state[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    if page == "pages/profil_wilayah.py":  # its program tables are drawn only when opened: open them all
        for place in range(len(at.expander)):
            at.session_state[f"program-open-{place}"] = True
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


REVIEW_TABS = ("report", "diff", "data", "file")  # pages/tinjauan.py draws only the open one


def views(at: AppTest, page: str):
    """The page as drawn, once per view: the review page once per tab, opened in turn."""
    if page != "pages/tinjauan.py":
        yield at
        return
    for tab in REVIEW_TABS:
        at.session_state["tinjauan_tab"] = i18n.t(f"tinjauan.tab_{tab}", "id")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        yield at


def assert_no_markup(at: AppTest, page: str) -> None:
    for node in walk(at._tree):
        for s in markup_of(node):
            found = [m for m in MARKERS if m in s]
            assert not found, f"{page}: {node.type} renders user text as markup: {s[:200]!r}"
    for s in chart_strings(at):
        assert "<script>" not in s and "<img" not in s, f"{page}: chart holds raw HTML: {s[:200]!r}"


PAGES_WITH_TEXT = {
    # page -> (session state, fragments that must show verbatim as text on it)
    "pages/profil_wilayah.py": ({"kab": "62.02"}, [hostile("faktor_pendorong1"), hostile("faktor_penghambat1"),
                                                 hostile("tindak_lanjut1"), FILENAME]),
    "pages/program_nilai.py": ({}, [[f(f"narasi{i}") for i in range(60) for f in (hostile, formula_first)]]),
    "pages/tinjauan.py": ({}, [COMMENT, FILENAME, hostile("faktor_pendorong1")]),
}


@pytest.mark.parametrize("page", list(PAGES_WITH_TEXT))
def test_hostile_text_shows_verbatim_as_text(store, page):
    state, fragments = PAGES_WITH_TEXT[page]
    if page == "pages/tinjauan.py":  # open the hostile version
        state = {"tinjauan_open": int(store.history("62.02", 2026).iloc[-1]["submission_id"])}
    shown = ""
    for view in views(run(page, "reviewer", **state), page):
        shown += "\n" + literal_text(view)
        assert_no_markup(view, page)
    for fragment in fragments:  # a string, or a list of which at least one must show
        options = fragment if isinstance(fragment, list) else [fragment]
        assert any(o in shown for o in options), f"{page}: {options[0][:40]!r} not shown literally"


@pytest.mark.parametrize("page", router_pages())
def test_no_page_renders_user_text_as_markup(store, page):
    for view in views(run(page, "reviewer", kab="62.02"), page):
        assert_no_markup(view, page)


@pytest.mark.parametrize("page", ["pages/unggah.py", "pages/profil_wilayah.py"])
def test_operator_sees_own_hostile_text_literally(store, page):
    at = run(page, "operator.62.02", kab="62.02")
    assert_no_markup(at, page)


def test_uploading_a_hostile_file_shows_its_names_literally(store):
    """File name, an extra sheet's name and a bad cell value of an upload: report, notices, diff."""
    import io

    import openpyxl

    latest = int(store.history("62.02", 2026).iloc[-1]["submission_id"])
    _, data = store.file(latest)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    extra = wb.create_sheet("_lembar_ <img src=x> <script>")
    extra["A1"] = "catatan"
    ws = wb["Indikator"]
    col = next(c.column for c in ws[1] if c.value and "Realisasi" in str(c.value))
    ws.cell(2, col).value = "**12** <script>alert(1)</script>"
    buf = io.BytesIO()
    wb.save(buf)
    at = run("pages/unggah.py", "operator.62.02")
    at.file_uploader(key="unggah_file").upload(FILENAME, buf.getvalue(),
                                              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = literal_text(at)
    assert "**12** <script>alert(1)</script>" in shown  # the bad value, in the report table
    assert_no_markup(at, "pages/unggah.py (upload)")
