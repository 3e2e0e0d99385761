"""Program inspiration: what other regencies run and this one does not, the peer to contact, and who does
what where."""

import pandas as pd
import streamlit as st

from kesbang import regions
from kesbang.analysis import inspiration
from kesbang.charts import analysis as charts
from ui import data, fmt, url
from ui.page import open_data_page, year_dataset
from ui.state import T
from ui.widgets import Score, chart, labelled, plain, scorecards, table

CARDS = 5  # the best-ranked items get a contact card; the rest are in the table
COLUMNS = {c: f"inspirasi.col.{c}" for c in inspiration.MISSING_COLUMNS if c not in ("kind", "contact_region")}


def offerings(m):
    """What every regency runs (the province, year and quarter of `m`; the values activities of that year)."""
    return inspiration.offerings(m, data.dataset().nilai)  # the same province and year (the cache key holds them)


def missing_in(m, region: str):
    return inspiration.missing(data.derived(offerings), region)


def drawn(m, region: str, kind: str, region_codes: tuple[str, ...], lang: str) -> dict:
    """One kind of what `region` does not run: ranked rows, the bar and the who-does-what matrix with their
    downloads. Cached per data version (`data.derived`); the figures are never changed once built."""
    names = {c: regions.name_of(c) for c in region_codes}
    missing_all = data.derived(missing_in, region)
    missing = missing_all[missing_all["kind"] == kind].reset_index(drop=True)
    missing["rank"] = range(1, len(missing) + 1)
    # a theme's key is its name and an uncoded item's key is internal ("nama:…"): only real codes are shown
    missing["key"] = ["" if k == n or str(k).startswith("nama:") else k
                      for k, n in zip(missing["key"], missing["name"])]
    # figures this kind never has (achievement of a theme) are left out; a missing one shows blank, not "None"
    listed = missing.dropna(axis="columns", how="all")
    out = {"missing": missing, "table": labelled(listed.astype(object).where(listed.notna(), ""), COLUMNS)}
    if not missing.empty:
        measure = "capaian" if kind in ("program", "subkegiatan") else "reach"
        out["bar"] = (charts.inspiration_bar(missing, names[region], lang, measure=measure),
                      labelled(listed, COLUMNS))
    matrix = inspiration.who_does_what(data.derived(offerings), kind, list(region_codes))
    out["matrix"] = (charts.who_does_what_heatmap(matrix, lang, highlight=names[region]),
                     matrix.reset_index(names=T("inspirasi.matrix_y")))
    return out


f = open_data_page("inspirasi.title", "inspirasi.intro")
ds = year_dataset()

region_codes = sorted(ds.submissions["region"].unique())
if not region_codes:
    st.info(T("inspirasi.no_regions"), icon=":material/info:")
    st.stop()
names = {c: regions.name_of(c) for c in region_codes}
pick_region, pick_kind = st.columns([2, 3])
region = url.selectbox(T("inspirasi.choose_region"), region_codes, param="wilayah", key="inspirasi_wilayah",
                       labels=names, where=pick_region)
counts = data.derived(missing_in, region)["kind"].value_counts()
# open on the first kind that has something to show; the viewer's own choice then sticks
first = next((k for k in inspiration.KINDS if counts.get(k, 0)), "subkegiatan")
kind = url.segmented_control(T("inspirasi.choose_kind"), list(inspiration.KINDS), param="jenis", default=first,
                             key="inspirasi_jenis", where=pick_kind, labels=lambda k: T(f"inspirasi.kind.{k}"))
kind = kind or first
scorecards([Score(T(f"inspirasi.kind.{k}"), fmt.number(int(counts.get(k, 0))),
                  help=T("inspirasi.missing_count")) for k in inspiration.KINDS], per_row=4)

shown = data.derived(drawn, region, kind, tuple(region_codes), f.lang)
missing = shown["missing"]
if missing.empty:
    st.success(T("inspirasi.none_missing"), icon=":material/check_circle:")
else:
    chart(*shown["bar"], T("inspirasi.export_name"), key="inspirasi-bar")

    st.subheader(T("inspirasi.cards_title"))
    for item in missing.head(CARDS).to_dict("records"):
        with st.container(border=True):
            # names, stories and links are operators' text: shown as plain text, never markdown or HTML
            plain(item["name"])
            figures = [T("inspirasi.card_contact", region=item["contact_name"])]
            for key, value, shown_as in (("card_capaian", item["capaian"], fmt.percent),
                                         ("card_reach", item["reach"], fmt.number),
                                         ("card_cost", item["cost_per_output"], fmt.rupiah)):
                if pd.notna(value):
                    figures.append(T(f"inspirasi.{key}", value=shown_as(value)))
            st.caption(" · ".join(figures))
            if item["activity"] and item["activity"] != item["name"]:
                st.caption(T("inspirasi.card_activity"))
                plain(item["activity"])
            if item["narrative"] or item["evidence"]:
                st.caption(T("inspirasi.card_narrative"))
                plain(item["narrative"])
                st.caption(T("inspirasi.card_evidence"))
                plain(item["evidence"])
            else:
                st.caption(T("inspirasi.card_none"))
    st.subheader(T("inspirasi.table_title"))
    table(shown["table"], T("inspirasi.export_name"), key="inspirasi-table")

chart(*shown["matrix"], "siapa-menjalankan-apa", key="inspirasi-matrix")
