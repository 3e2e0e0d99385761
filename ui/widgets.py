"""Shared page widgets: charts and tables with an Excel download, scorecards, empty states, plain user
text, and an error boundary so no traceback ever reaches a viewer.

Every helper here swallows its own failure (logged server-side with the traceback, shown as
`app.error_generic`), so one broken chart leaves the rest of the page standing.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kesbang.charts.common import SEPARATORS
from kesbang.exports import tables as export
from ui import builtin_text
from ui.state import T, lang

log = logging.getLogger("kesbang.ui")

# plotly's own toolbar: no logo, no link to plotly's cloud; PNG export stays (works offline)
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["sendDataToCloud", "lasso2d", "select2d"]}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_PAGE = "pages/unggah.py"
MISSING = "—"  # how every table shows a cell with nothing in it


@contextmanager
def guard(what: str = "section") -> Iterator[None]:
    """Error boundary: `with guard("peta"): ...` shows a translated notice instead of a traceback."""
    try:
        yield
    except Exception:
        log.exception("UI %s failed", what)
        st.error(T("app.error_generic"), icon=":material/error:")


def _slug(name: str) -> str:
    return re.sub(r"[^0-9A-Za-z_-]+", "-", name).strip("-").lower() or "data"


def download(df: pd.DataFrame, name: str, *, label: str | None = None, key: str | None = None) -> None:
    """A button that downloads `df` as an Excel file `<name>.xlsx` (text never becomes a formula), with
    the "Keterangan" sheet beside it."""
    from ui.filters import current

    f = current()
    frame = df.copy()
    about = export.about_sheet(name, f.lang, f.province, f.year, f.period_label, dt.datetime.now())
    sheets = {name: frame, T("download.about.sheet"): about}

    def build() -> bytes:  # deferred: only built when someone clicks
        return export.to_xlsx(sheets)

    st.download_button(
        label or T("common.download_data"),
        data=build,
        file_name=f"{_slug(name)}.xlsx",
        mime=XLSX_MIME,
        key=key or f"dl-{_slug(name)}",
        on_click="ignore",
        icon=":material/download:",
    )


def chart(fig: go.Figure, data: pd.DataFrame, name: str, *, key: str | None = None) -> None:
    """A plotly figure at full width plus a download of the data behind it."""
    with guard(f"chart {name}"):
        # Every figure gets the UI language's decimal and thousands marks, whichever builder made it; a
        # finished one has them already and is left untouched (a cached figure is shared between viewers).
        if fig.layout.separators != SEPARATORS[lang()]:
            fig.update_layout(separators=SEPARATORS[lang()])
        config = {**PLOTLY_CONFIG, **builtin_text.plotly_config(lang())}  # plotly's toolbar in that language too
        st.plotly_chart(fig, width="stretch", config=config, key=key or f"chart-{_slug(name)}")
        download(data, name, key=f"dl-chart-{_slug(key or name)}")


def table(
    df: pd.DataFrame,
    name: str,
    *,
    column_config: dict | None = None,
    height: int | str = "auto",
    key: str | None = None,
) -> None:
    """A read-only table (user text shown as plain cells, never HTML) plus an Excel download.

    Numbers are shown with the language's separators (money without decimals), missing values as a
    dash, and a translated category column in the category's palette colour.
    """
    with guard(f"table {name}"):
        # placeholder: the grid draws a missing number itself (as "None") whatever the Styler says
        st.dataframe(_styled(df), width="stretch", hide_index=True, column_config=column_config, height=height,
                     key=key, placeholder=MISSING)
        download(df, name, key=f"dl-table-{_slug(key or name)}")


def _numeric(df: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding only numbers (or nothing) become numeric; text columns show a dash for
    missing cells (both would otherwise print as "None")."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype != object and not pd.api.types.is_string_dtype(out[col]):
            continue
        # only values that already are numbers: text such as region code "62.10" stays text
        kind = pd.api.types.infer_dtype(out[col], skipna=True)
        if kind in ("integer", "floating", "mixed-integer-float", "decimal", "empty"):
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
        else:  # text: a dash where nothing was written, never "None"
            out[col] = out[col].astype(object).where(out[col].notna(), "—")
    return out


_YEAR_WORD = re.compile(r"\b(tahun|year)\b", re.IGNORECASE)


def _is_year(header: object, values: pd.Series) -> bool:
    """A year column ("Tahun", "Year measured", "Tahun terbit"): a label, not a quantity, so 2026 never
    becomes "2.026". Told by its header and whole values in a calendar range ("Change from the previous
    year (%)" is a quantity)."""
    if not _YEAR_WORD.search(str(header)) or not pd.api.types.is_numeric_dtype(values):
        return False
    v = values.dropna()
    return bool(len(v)) and bool(v.mod(1).eq(0).all() and v.between(1900, 2100).all())


def _styled(df: pd.DataFrame):
    from kesbang.charts import palette
    from ui.state import lang

    view = _numeric(df)
    decimal, thousands = (",", ".") if lang() == "id" else (".", ",")
    years = [c for c in view.columns if _is_year(c, view[c])]
    numbers = [c for c in view.columns if c not in years]
    floats = [c for c in numbers if pd.api.types.is_float_dtype(view[c])]
    # integer columns need the thousands mark too (the grid prints 2941 raw, beside a float column's 4.031)
    integers = [c for c in numbers if pd.api.types.is_integer_dtype(view[c])]
    money = [c for c in floats if "(Rp)" in str(c)]
    whole = [c for c in floats if c not in money and view[c].dropna().mod(1).eq(0).all()] + integers
    styler = view.style.format(na_rep="—")
    if floats:
        styler = styler.format(precision=2, thousands=thousands, decimal=decimal, na_rep="—", subset=floats)
    if money or whole:
        styler = styler.format(precision=0, thousands=thousands, decimal=decimal, na_rep="—", subset=money + whole)
    if years:
        styler = styler.format(precision=0, na_rep="—", subset=years)
    category = T("ui.col.category")
    if category in view.columns:
        codes = {T(f"category.{c}"): c for c in [*palette.ORDER, palette.NONE]}
        styler = styler.map(lambda v: palette.css(codes[v]) if v in codes else "", subset=[category])
    return styler


def empty_state(kind: str = "selection", *, link_upload: bool = True) -> None:
    """A helpful empty state: `kind` is one of store | year | region | selection | indicator.

    Says what is missing and points to the upload page.
    """
    st.info(T(f"ui.empty.{kind}"), icon=":material/info:")
    if link_upload:
        with guard("page link"):
            st.page_link(UPLOAD_PAGE, label=T("ui.go_upload"), icon=":material/upload_file:")


@dataclass(frozen=True)
class Score:
    """One scorecard: label (catalogue text), value already formatted, optional delta and help."""

    label: str
    value: str
    delta: str | None = None
    help: str | None = None
    delta_color: str = "normal"


def scorecards(items: Sequence[Score], *, per_row: int = 5) -> None:
    with guard("scorecards"):
        for start in range(0, len(items), per_row):
            cols = st.columns(per_row)
            for col, item in zip(cols, items[start : start + per_row]):
                col.metric(
                    item.label,
                    item.value,
                    item.delta,
                    delta_color=item.delta_color,
                    help=item.help,
                    border=True,
                )


def file_uploader(label: str, types: Sequence[str], *, key: str, max_mb: float, help: str | None = None):
    """st.file_uploader whose built-in size/type line and refusal message speak the session's language.

    The limit shown is the one that applies: Streamlit's own (`server.maxUploadSize`) or the page's `max_mb`,
    whichever is smaller."""
    from ui import fmt

    limit = min(float(st.get_option("server.maxUploadSize")), float(max_mb))
    mb = fmt.number(limit, 0 if limit.is_integer() else 1)
    kinds = ", ".join(t.upper() for t in types)
    st.html(f"<style>{builtin_text.uploader_rules(key, mb, kinds)}</style>")
    return st.file_uploader(label, type=list(types), key=key, help=help)


def plain(text: object) -> None:
    """User text (names, narratives, comments): shown literally, never as markdown or HTML."""
    if text is None or (isinstance(text, float) and pd.isna(text)) or str(text).strip() == "":
        st.text("—")
    else:
        st.text(str(text))


def page_header(title_key: str, caption_key: str | None = None) -> None:
    """Page title, what the page is for, the active filters and the synthetic-data notice."""
    from ui.filters import current

    f = current()
    st.title(T(title_key))
    if caption_key:
        st.caption(T(caption_key))
    st.caption(T("ui.filters_caption", province=f.province_name, year=f.year, period=f.period_label))
    synthetic_note()


def synthetic_note() -> None:
    """Mark synthetic sample data so nobody mistakes it for a real report."""
    from ui import source
    from ui.filters import current

    with guard("synthetic note"):
        if source.is_sample(current().province):
            st.caption(T("app.synthetic"))


def labelled(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """The given columns of `df`, in order, renamed to translated headers: `{"name": "ui.col.region"}`."""
    present = [c for c in columns if c in df.columns]
    out = df[present]
    if "kategori" in present:  # category codes read as their names (ST -> "Sangat Tinggi")
        out = out.assign(
            kategori=[T(f"category.{c}") if isinstance(c, str) else T("category.none") for c in out["kategori"]]
        )
    return out.rename(columns={c: T(columns[c]) for c in present})
