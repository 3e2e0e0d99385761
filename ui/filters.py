"""The sidebar filters (province, year, reporting period, language), always in the URL as codes.

The router (`dashboard.py`) draws them once per run with `sidebar()`; pages read `current()`. Every run
writes the codes (`?provinsi=62&tahun=2026&tw=3&lang=id`, through `ui.url`), so a link copied at any
moment means the same view in either language; old links with names (`provinsi=Kalimantan+Tengah&tw=
TW+III&lang=English`) still open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from kesbang import regions
from ui import source, url
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
    url.selectbox(T("app.language"), list(LANGUAGE_NAMES), param=KEY_LANG, labels=LANGUAGE_NAMES,
                  where=where or st.sidebar)
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
    province = url.selectbox(T("app.province"), provinces, param=KEY_PROVINCE, labels=regions.province_name,
                             where=where)
    years = source.years(province) or [dt.date.today().year]
    year = url.selectbox(T("app.year"), years, param=KEY_YEAR, where=where)
    latest = source.latest_quarter(province, year)
    quarter = url.selectbox(T("app.period"), [1, 2, 3, 4], param=KEY_QUARTER, labels=quarter_label,
                            index=latest - 1, where=where, help=T("ui.period_help"))
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
