"""One indicator across regencies and years: realisation against target (range targets as bands),
quarterly progress s.d. TW, polarity and the formula used.

The three figures and their downloads are pure functions of the metrics frame and the indicator,
cached per data version (`data.derived`); they are shared between viewers, never changed once built.
"""

import streamlit as st

from kesbang import regions
from kesbang.analysis import metrics, regional
from kesbang.charts import indicator as charts
from ui import data
from ui.page import open_data_page, year_dataset
from ui.pickers import indicator_picker
from ui.state import T
from ui.widgets import chart, empty_state, guard, labelled, plain, table

TARGET_COLUMNS = {"name": "ui.col.region", "target_text": "ui.col.target", "target_min": "ui.col.target_min",
                  "target_max": "ui.col.target_max", "realisasi": "ui.col.realisasi", "capaian": "ui.col.capaian",
                  "kategori": "ui.col.category"}
EXCLUDED_COLUMNS = {"name": "ui.col.region", "satuan": "ui.col.unit", "alasan_eksklusi": "ui.col.excluded_reason"}
QUARTER_COLUMNS = {"name": "ui.col.region", "quarter": "ui.col.quarter", "realisasi": "ui.col.realisasi",
                   "capaian": "ui.col.capaian", "kategori": "ui.col.category"}
YEAR_COLUMNS = {"name": "ui.col.region", "year": "ui.col.year", "target_text": "ui.col.target",
                "realisasi": "ui.col.realisasi", "capaian": "ui.col.capaian", "kategori": "ui.col.category"}


def target_vs_realisation(m, code: str, name: str, unit: str, lang: str):
    """The figure, its download, and the regencies left out (None when none were)."""
    keep, excluded, _median = regional.comparison(m, code)
    left_out = None if excluded.empty else labelled(
        excluded.assign(alasan_eksklusi=[T(k) for k in excluded["alasan_eksklusi"]]), EXCLUDED_COLUMNS)
    return charts.target_vs_realisation(keep, lang, name, unit), labelled(keep, TARGET_COLUMNS), left_out


def quarterly(m, code: str, name: str, unit: str, lang: str):
    keep = regional.comparison(m, code)[0]
    ind = data.dataset().indicators  # the same province and year as `m` (the cache key holds both)
    ind = ind[(ind["kode_indikator"] == code) & ind["region"].isin(keep["region"])]
    q = regional.quarterly(ind, metrics.Rules.from_settings())
    return charts.quarterly_progress(q, lang, name, unit), labelled(q, QUARTER_COLUMNS)


def over_years(m_all, code: str, name: str, lang: str):
    yearly = regional.comparison_over_years(m_all, code)
    return charts.achievement_over_years(yearly, lang, name), labelled(yearly, YEAR_COLUMNS)


f = open_data_page("indikator.title", "indikator.caption")
year_dataset()

m = data.metrics_frame()
choices = data.derived(regional.indicator_choices)
code = indicator_picker(choices, "indikator.pick")
if code is None:
    empty_state("indicator")
    st.stop()

keep, excluded, median = data.derived(regional.comparison, code)
rows = m[m["kode_indikator"] == code]
first = (keep if not keep.empty else rows).iloc[0]
name, unit = str(first["indikator"]), str(first["satuan"])

# --- what the indicator is and how it is scored (user text as plain text) ---
plain(f"{name} · {T('ui.col.unit')}: {unit}")  # names and units are operators' text: plain only
polarity, rollup = str(first["polaritas"]), str(first["akumulasi"])
facts = st.columns(3)
facts[0].metric(
    T("ui.col.polarity"),
    T(f"indikator.polarity_short.{polarity}") if polarity in ("positif", "negatif") else "—",
    help=T(f"indikator.polarity.{polarity}") if polarity in ("positif", "negatif") else None,
)
known_rollup = rollup in ("kumulatif", "stok", "persentase")
facts[1].metric(  # the short name as the number, the full one on hover: "Stok (posisi akhir)" was cut
    T("ui.col.rollup"),
    T(f"indikator.rollup_short.{rollup}") if known_rollup else "—",
    help=T(f"indikator.rollup.{rollup}") if known_rollup else None,
)
facts[2].metric(T("indikator.regions"), str(rows["region"].nunique()))
formulas = sorted({k for k in rows["rumus"].dropna()})
for key in formulas:
    st.caption(T(key))
rule = metrics.Rules.from_settings()
if first["polaritas"] == "negatif":
    st.caption(T("indikator.negative_rule", rule=T(f"metrics.rule.{rule.negative_rule}")))
st.caption(T("indikator.rollup_note", period=f.period_label))

# --- target vs realisation this year ---
with guard("target vs realisation"):
    fig, download, left_out = data.derived(target_vs_realisation, code, name, unit, f.lang)
    chart(fig, download, f"target-realisasi-{code}")
    if left_out is not None:
        st.warning(T("bandingkan.excluded", n=len(left_out)), icon=":material/filter_alt_off:")
        table(left_out, f"dikecualikan-{code}", key="excluded")

# --- quarterly progress s.d. TW ---
with guard("quarterly"):
    chart(*data.derived(quarterly, code, name, unit, f.lang), f"triwulan-{code}")

# --- across the years ---
with guard("years"):
    chart(*data.derived(over_years, code, name, f.lang, all_years=True), f"antar-tahun-{code}")

# --- the numbers ---
st.subheader(T("indikator.table_title"))
detail = rows.assign(
    name=[regions.name_of(c) for c in rows["region"]],
    rumus=[T(k) if isinstance(k, str) else "" for k in rows["rumus"]],
    alasan=[T(k) if isinstance(k, str) else "" for k in rows["alasan"]],
)
table(
    labelled(
        detail,
        {
            "name": "ui.col.region",
            "satuan": "ui.col.unit",
            "target_text": "ui.col.target",
            "realisasi_tw1": "indikator.col.tw1",
            "realisasi_tw2": "indikator.col.tw2",
            "realisasi_tw3": "indikator.col.tw3",
            "realisasi_tw4": "indikator.col.tw4",
            "realisasi": "ui.col.realisasi",
            "capaian": "ui.col.capaian",
            "kategori": "ui.col.category",
            "rumus": "ui.col.formula",
            "alasan": "ui.col.reason",
        },
    ),
    f"indikator-{code}",
    key="detail",
)
