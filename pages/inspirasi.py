"""Program inspiration: what other regencies run and this one does not, the peer to contact, and who does
what where."""

import pandas as pd
import streamlit as st

from kesbang import inspiration, regions
from kesbang.charts import analysis as charts
from ui import data, fmt
from ui.page import open_data_page, year_dataset
from ui.state import T
from ui.widgets import Score, chart, labelled, plain, scorecards, table

CARDS = 5  # the best-ranked items get a contact card; the rest are in the table


@st.cache_data(show_spinner=False, max_entries=16)
def offers(version: str, province: str, year: int, quarter: int):
    m = data.metrics_frame(province=province, year=year, quarter=quarter)
    ds = data.dataset(province=province, year=year)
    return inspiration.offerings(m, ds.nilai)


f = open_data_page("inspirasi.title", "inspirasi.intro")
ds = year_dataset()

region_codes = sorted(ds.submissions["region"].unique())
if not region_codes:
    st.info(T("inspirasi.no_regions"), icon=":material/info:")
    st.stop()
names = {c: regions.name_of(c) for c in region_codes}
all_offers = offers(data.data_version(), f.province, f.year, f.quarter)
pick_region, pick_kind = st.columns([2, 3])
region = pick_region.selectbox(T("inspirasi.choose_region"), region_codes, key="inspirasi_wilayah",
                               format_func=names.get)
missing_all = inspiration.missing(all_offers, region)
counts = missing_all["kind"].value_counts()
# open on the first kind that has something to show; the viewer's own choice then sticks
first = next((k for k in inspiration.KINDS if counts.get(k, 0)), "subkegiatan")
kind = pick_kind.segmented_control(T("inspirasi.choose_kind"), list(inspiration.KINDS), default=first,
                                   key="inspirasi_jenis", format_func=lambda k: T(f"inspirasi.kind.{k}"))
kind = kind or first
scorecards([Score(T(f"inspirasi.kind.{k}"), fmt.number(int(counts.get(k, 0))),
                  help=T("inspirasi.missing_count")) for k in inspiration.KINDS], per_row=4)

missing = missing_all[missing_all["kind"] == kind].reset_index(drop=True)
missing["rank"] = range(1, len(missing) + 1)
# a theme's key is its name and an uncoded item's key is internal ("nama:…"): only real codes are shown
missing["key"] = ["" if k == n or str(k).startswith("nama:") else k for k, n in zip(missing["key"], missing["name"])]
columns = {c: f"inspirasi.col.{c}" for c in inspiration.MISSING_COLUMNS if c not in ("kind", "contact_region")}
if missing.empty:
    st.success(T("inspirasi.none_missing"), icon=":material/check_circle:")
else:
    measure = "capaian" if kind in ("program", "subkegiatan") else "reach"
    chart(charts.inspiration_bar(missing, names[region], f.lang, measure=measure),
          labelled(missing.dropna(axis="columns", how="all"), columns), T("inspirasi.export_name"),
          key="inspirasi-bar")

    st.subheader(T("inspirasi.cards_title"))
    for item in missing.head(CARDS).to_dict("records"):
        with st.container(border=True):
            # names, stories and links are operators' text: shown as plain text, never markdown or HTML
            plain(item["name"])
            figures = [T("inspirasi.card_contact", region=item["contact_name"])]
            for key, value, shown in (("card_capaian", item["capaian"], fmt.percent),
                                      ("card_reach", item["reach"], fmt.number),
                                      ("card_cost", item["cost_per_output"], fmt.rupiah)):
                if pd.notna(value):
                    figures.append(T(f"inspirasi.{key}", value=shown(value)))
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
    # figures this kind never has (achievement of a theme) are left out; a missing one shows blank, not "None"
    listed = missing.dropna(axis="columns", how="all")
    table(labelled(listed.astype(object).where(listed.notna(), ""), columns), T("inspirasi.export_name"),
          key="inspirasi-table")

matrix = inspiration.who_does_what(all_offers, kind, region_codes)
chart(charts.who_does_what_heatmap(matrix, f.lang, highlight=names[region]),
      matrix.reset_index(names=T("inspirasi.matrix_y")), "siapa-menjalankan-apa", key="inspirasi-matrix")
