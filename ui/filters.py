"""The sidebar filters (province, year, reporting period, language), bound to the URL's query parameters.

The router (`dashboard.py`) draws them once per run with `sidebar()`; pages read `current()`. Widget
labels are translated but option *values* shown in the URL are not (`?provinsi=Kalimantan+Tengah&tahun=
2026&tw=TW+III&lang=English`), so a shared link means the same thing in either language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from kesbang import regions
from ui import source
from ui.state import LANGUAGE_NAMES, T, lang

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# URL parameter names (= widget keys)
KEY_PROVINCE, KEY_YEAR, KEY_QUARTER, KEY_LANG = "provinsi", "tahun", "tw", "lang"


@dataclass(frozen=True)
class Filters:
    province: str      # Kemendagri province code, e.g. "62"
    year: int
    quarter: int       # reporting period: figures "s.d. TW n" (1..4)
    lang: str          # "id" | "en"

    @property
    def period_label(self) -> str:
        return f"TW {ROMAN[self.quarter]}"

    @property
    def province_name(self) -> str:
        return regions.province_name(self.province)


def quarter_label(q: int) -> str:
    return f"TW {ROMAN[q]}"


def language_picker(where=None) -> str:
    """The language switch; drawn first so every later text uses the chosen language."""
    (where or st.sidebar).selectbox(T("app.language"), ["id", "en"], key=KEY_LANG,
                                    format_func=LANGUAGE_NAMES.get, bind="query-params")
    return lang()


def _province_options() -> list[str]:
    known = regions.provinces_with_regions()
    with_data = [p for p in source.provinces_with_data() if p in known]
    # provinces that have submissions first, then the other registered ones
    return with_data + [p for p in known if p not in with_data]


def sidebar(where=None) -> Filters:
    """Draw province, year and period in the sidebar (after `language_picker`) and return them."""
    where = where or st.sidebar
    provinces = _province_options()
    province = where.selectbox(T("app.province"), provinces, key=KEY_PROVINCE,
                                    format_func=regions.province_name, bind="query-params")
    years = source.years(province) or [dt.date.today().year]
    year = where.selectbox(T("app.year"), years, key=KEY_YEAR, bind="query-params")
    latest = source.latest_quarter(province, year)
    quarter = where.selectbox(T("app.period"), [1, 2, 3, 4], index=latest - 1, key=KEY_QUARTER,
                                   format_func=quarter_label, bind="query-params",
                                   help=T("ui.period_help"))
    return Filters(province, int(year), int(quarter), lang())


def current() -> Filters:
    """The filters of this run, as the router drew them (safe defaults if a page runs alone)."""
    ss = st.session_state
    province = ss.get(KEY_PROVINCE)
    if province is None:
        province = (_province_options() or ["62"])[0]
    year = ss.get(KEY_YEAR)
    if year is None:
        year = (source.years(province) or [dt.date.today().year])[0]
    quarter = ss.get(KEY_QUARTER) or source.latest_quarter(province, int(year))
    return Filters(str(province), int(year), int(quarter), lang())
