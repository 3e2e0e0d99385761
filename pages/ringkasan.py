"""Overview: how the province's regencies are doing this year, s.d. the chosen quarter.

The figures and their downloads are pure functions of the metrics frame, cached per data version
(`data.derived`): the overview is every viewer's first page, and the map alone took a quarter of it.
The figures are shared between viewers: nothing changes them after they are built.
"""

import streamlit as st

from kesbang import settings
from kesbang.analysis import regional
from kesbang.charts import maps, overview
from ui import data, fmt
from ui.filters import quarter_label
from ui.page import open_data_page, year_dataset
from ui.state import T
from ui.widgets import Score, chart, guard, labelled, scorecards, table

MAP_COLUMNS = {"region": "ui.col.code", "name": "ui.col.region", "lat": "ui.col.lat", "lon": "ui.col.lon",
               "population": "ui.col.population", "capaian_rata": "ui.col.avg_capaian", "kategori": "ui.col.category"}
SCORE_COLUMNS = {"name": "ui.col.region", "capaian_rata": "ui.col.avg_capaian", "kategori": "ui.col.category",
                 "n_dihitung": "ui.col.n_computable", "n_indikator": "ui.col.n_indicators",
                 "serapan": "ui.col.absorption"}
CHANGE_COLUMNS = {"name": "ui.col.region", "sebelum": "ui.col.before", "sekarang": "ui.col.now",
                  "perubahan": "ui.col.change_pp", "naik": "ui.col.moved_up", "turun": "ui.col.moved_down"}


def region_map(m, province: str, geojson_path, lang: str):
    points = maps.with_coordinates(regional.region_scores(m), province)
    geojson = maps.load_geojson(geojson_path)
    fig = maps.region_choropleth(points, geojson, lang) if geojson is not None else maps.region_pins(points, lang)
    return fig, labelled(points, MAP_COLUMNS)


def categories(m, lang: str):
    counts = regional.category_counts(m)
    return (overview.category_distribution(counts, lang),
            labelled(counts, {"kategori": "ui.col.category", "jumlah": "ui.col.n_indicators"}))


def ranking(m, lang: str):
    scores = regional.region_scores(m)
    median = scores["capaian_rata"].median()
    return overview.region_ranking(scores, lang, median=median), labelled(scores, SCORE_COLUMNS)


def change(m, before_year: int, before_quarter: int, now_label: str, before_label: str, lang: str):
    """The change since the previous quarter (or the previous year's TW IV): None when nothing to compare."""
    moved = regional.change_since(m, data.metrics_frame(year=before_year, quarter=before_quarter))
    if not moved["sebelum"].notna().any():
        return None
    return overview.quarter_change(moved, lang, now_label, before_label), labelled(moved, CHANGE_COLUMNS)


f = open_data_page("ringkasan.title", "ringkasan.caption")
ds = year_dataset()

m = data.metrics_frame()
scores = data.derived(regional.region_scores)
rep = regional.reporting(ds.submissions, f.province, f.year)
pagu, spent, serapan = data.derived(regional.absorption)
counts = data.derived(regional.category_counts)

scorecards(
    [
        Score(
            T("ringkasan.score.reporting"),
            f"{rep['reporting']} / {rep['expected']}",
            help=T("ringkasan.score.reporting_help"),
        ),
        Score(
            T("ringkasan.score.indicators"),
            fmt.number(len(m)),
            help=T("ringkasan.score.indicators_help", n=fmt.number(int(m["capaian"].notna().sum()))),
        ),
        Score(
            T("ringkasan.score.average"),
            fmt.percent(m["capaian"].mean()),
            help=T("ringkasan.score.average_help"),
        ),
        Score(
            T("ringkasan.score.absorption"),
            fmt.percent(serapan),
            help=T("ringkasan.score.absorption_help", spent=fmt.rupiah(spent), pagu=fmt.rupiah(pagu)),
        ),
        Score(
            T("ringkasan.score.awaiting"),
            fmt.number(rep["awaiting_review"]),
            help=T("ringkasan.score.awaiting_help"),
        ),
    ]
)
# Three per row (two rows for the six categories): at six per row a card is too narrow for the longest
# label ("Tidak dapat dihitung") and the label was cut off.
scorecards(
    [Score(T(f"category.{row.kategori}"), fmt.number(row.jumlah)) for row in counts.itertuples()],
    per_row=3,
)
if rep["missing"]:
    st.caption(T("ringkasan.missing_title", n=len(rep["missing"])))
    st.text(", ".join(rep["missing"]))

left, right = st.columns([3, 2])
with left, guard("map"):
    chart(*data.derived(region_map, f.province, settings.get("geojson_path"), f.lang), "peta-wilayah")
    st.caption(T("ringkasan.map_note"))
with right:
    chart(*data.derived(categories, f.lang), "kategori-capaian")

chart(*data.derived(ranking, f.lang), "peringkat-wilayah")

ranked = scores[scores["capaian_rata"].notna()]
# half-width tables: name, average and category fit; the full columns are in the ranking's download
top_cols = {k: SCORE_COLUMNS[k] for k in ("name", "capaian_rata", "kategori")}
best_col, weak_col = st.columns(2)
with best_col:
    st.subheader(T("ringkasan.best"))
    table(labelled(ranked.head(3), top_cols), "wilayah-terbaik", key="best")
with weak_col:
    st.subheader(T("ringkasan.weakest"))
    table(labelled(ranked.tail(3).iloc[::-1], top_cols), "wilayah-terlemah", key="weakest")

st.subheader(T("ringkasan.change_title"))
with guard("change"):
    if f.quarter > 1:
        before_year, before_quarter = f.year, f.quarter - 1
        now_label, before_label = quarter_label(f.quarter), quarter_label(f.quarter - 1)
    else:
        before_year, before_quarter = f.year - 1, 4
        now_label, before_label = f"TW I {f.year}", f"TW IV {f.year - 1}"
    moved = data.derived(change, before_year, before_quarter, now_label, before_label, f.lang)
    if moved is not None:
        chart(*moved, "perubahan-triwulan")
    else:
        st.info(T("ringkasan.no_previous", before=before_label), icon=":material/info:")
