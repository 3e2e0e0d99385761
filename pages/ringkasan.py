"""Overview: how the province's regencies are doing this year, s.d. the chosen quarter."""

import streamlit as st

from kesbang import regional, settings
from kesbang.charts import maps, overview
from ui import data, fmt
from ui.filters import quarter_label
from ui.page import open_data_page, year_dataset
from ui.state import T
from ui.widgets import Score, chart, guard, labelled, scorecards, table

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
    points = maps.with_coordinates(scores, f.province)
    geojson = maps.load_geojson(settings.get("geojson_path"))
    if geojson is not None:
        fig = maps.region_choropleth(points, geojson, f.lang)
    else:
        fig = maps.region_pins(points, f.lang)
    chart(
        fig,
        labelled(
            points,
            {
                "region": "ui.col.code",
                "name": "ui.col.region",
                "lat": "ui.col.lat",
                "lon": "ui.col.lon",
                "population": "ui.col.population",
                "capaian_rata": "ui.col.avg_capaian",
                "kategori": "ui.col.category",
            },
        ),
        "peta-wilayah",
    )
    st.caption(T("ringkasan.map_note"))
with right:
    chart(
        overview.category_distribution(counts, f.lang),
        labelled(
            counts,
            {"kategori": "ui.col.category", "jumlah": "ui.col.n_indicators"},
        ),
        "kategori-capaian",
    )

score_cols = {
    "name": "ui.col.region",
    "capaian_rata": "ui.col.avg_capaian",
    "kategori": "ui.col.category",
    "n_dihitung": "ui.col.n_computable",
    "n_indikator": "ui.col.n_indicators",
    "serapan": "ui.col.absorption",
}
chart(
    overview.region_ranking(scores, f.lang, median=scores["capaian_rata"].median()),
    labelled(scores, score_cols),
    "peringkat-wilayah",
)

ranked = scores[scores["capaian_rata"].notna()]
# half-width tables: name, average and category fit; the full columns are in the ranking's download
top_cols = {k: score_cols[k] for k in ("name", "capaian_rata", "kategori")}
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
        before = data.metrics_frame(quarter=f.quarter - 1)
        now_label, before_label = quarter_label(f.quarter), quarter_label(f.quarter - 1)
    else:
        before = data.metrics_frame(year=f.year - 1, quarter=4)
        now_label, before_label = f"TW I {f.year}", f"TW IV {f.year - 1}"
    change = regional.change_since(m, before)
    if change["sebelum"].notna().any():
        chart(
            overview.quarter_change(change, f.lang, now_label, before_label),
            labelled(
                change,
                {
                    "name": "ui.col.region",
                    "sebelum": "ui.col.before",
                    "sekarang": "ui.col.now",
                    "perubahan": "ui.col.change_pp",
                    "naik": "ui.col.moved_up",
                    "turun": "ui.col.moved_down",
                },
            ),
            "perubahan-triwulan",
        )
    else:
        st.info(T("ringkasan.no_previous", before=before_label), icon=":material/info:")
