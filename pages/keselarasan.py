"""RPJMD alignment: how regency indicators cascade into the provincial RPJMD, and the gaps both ways."""

import streamlit as st

from kesbang import nomenclature, regions
from kesbang.analysis import alignment
from kesbang.analysis.plans import normalise_period, parse_period
from kesbang.charts import analysis as charts
from ui import fmt, source
from ui import followups as fu
from ui.page import open_data_page
from ui.state import T
from ui.widgets import Score, chart, empty_state, labelled, scorecards, table


@st.cache_data(show_spinner=False, max_entries=16)
def analyse(version: str, province: str, year: int) -> alignment.Alignment:
    return alignment.analyse(source.full_dataset(), province, year)


def program_label(code: str) -> str:
    name = nomenclature.name_of(code)
    return f"{code} · {name}" if name else code


def translated(df, column: str, prefix: str):
    """Status, reason and kind columns hold message ids or keys: show them in the session's language."""
    return df.assign(**{column: [T(f"{prefix}{v}") if isinstance(v, str) and v else "" for v in df[column]]})


def polarity(df, *columns: str):
    """Polarity cells hold the workbook's canonical word (positif/negatif): shown in the session's language;
    anything else the Bappeda wrote stays as written."""
    def label(v):
        key = str(v).strip().lower() if isinstance(v, str) else ""
        return T(f"indikator.polarity_short.{key}") if key in ("positif", "negatif") else v
    return df.assign(**{c: [label(v) for v in df[c]] for c in columns})


f = open_data_page("keselarasan.title", "keselarasan.intro")
res = analyse(source.data_version(), f.province, f.year)
if res.plan.empty:
    st.info(T("keselarasan.no_plan"), icon=":material/info:")
    if res.links.empty:
        empty_state("year")
    st.stop()

# the period is Bappeda's own text: a caption renders markdown, so only a period read as two years goes there
reference = T("keselarasan.plan_caption", province=f.province_name, period=normalise_period(res.period),
              year=f.year)
if parse_period(res.period):
    st.caption(reference)
else:
    st.text(reference)
if res.links.empty:
    st.info(T("keselarasan.no_regency"), icon=":material/info:")

s = res.summary
scorecards([
    Score(T("keselarasan.covered"),
          T("keselarasan.covered_value", covered=fmt.number(s["covered"]),
            total=fmt.number(s["plan_indicators"])),
          help=T("keselarasan.covered_help")),
    Score(T("keselarasan.cascade_share"), fmt.percent(s["cascade_share"]),
          help=T("keselarasan.cascade_help")),
    Score(T("keselarasan.unmapped"), fmt.number(s["unmapped"] + s["unknown_code"]),
          help=T("keselarasan.unmapped_help")),
    Score(T("keselarasan.mismatches"), fmt.number(s["mismatches"]), help=T("keselarasan.mismatch_help")),
    Score(T("keselarasan.other_period"), fmt.number(s["other_period"]), help=T("keselarasan.period_help")),
])

flows = res.sankey(program_name=program_label, no_regency_label=T("keselarasan.sankey_no_regency"))
chart(charts.alignment_sankey(flows, f.lang),
      labelled(flows, {"source_label": "keselarasan.col.source", "target_label": "keselarasan.col.target",
                       "value": "keselarasan.sankey_value"}),
      "keselarasan-aliran")

region_names = {c: regions.name_of(c) for c in res.coverage.columns}
coverage_table = res.coverage.rename(columns=region_names).reset_index()
coverage_table.insert(1, "indikator", coverage_table["kode_rpjmd"].map(
    dict(zip(res.plan["kode_rpjmd"], res.plan["indikator"]))))
chart(charts.coverage_heatmap(res.coverage, res.plan, region_names, f.lang),
      coverage_table.rename(columns={"kode_rpjmd": T("keselarasan.col.kode_rpjmd"),
                                     "indikator": T("keselarasan.col.indikator")}),
      "keselarasan-cakupan")

tab_prov, tab_reg, tab_mis, tab_per = st.tabs([
    f"{T('keselarasan.tab_provincial')} ({len(res.provincial_gaps)})",
    f"{T('keselarasan.tab_regency')} ({len(res.regency_gaps)})",
    f"{T('keselarasan.tab_mismatch')} ({len(res.mismatches)})",
    f"{T('keselarasan.tab_period')} ({len(res.periods)})",
])
with tab_prov:
    st.caption(T("keselarasan.provincial_gaps_help"))
    if res.provincial_gaps.empty:
        st.success(T("keselarasan.none_provincial"), icon=":material/check_circle:")
    else:
        table(labelled(polarity(res.provincial_gaps, "polaritas"),
                       {c: f"keselarasan.col.{c}" for c in alignment.GAP_COLUMNS}),
              "celah-provinsi", key="gaps-prov")
with tab_reg:
    st.caption(T("keselarasan.regency_gaps_help"))
    if res.regency_gaps.empty:
        st.success(T("keselarasan.none_regency"), icon=":material/check_circle:")
    else:
        gaps = translated(translated(res.regency_gaps, "status", "keselarasan.status."), "saran_alasan", "")
        gaps = gaps.astype(object).where(gaps.notna(), "")  # no suggestion: a blank cell, not "None"
        cols = ["region_name", "kode_indikator", "indikator", "level", "kode_rpjmd", "status",
                "saran_kode_rpjmd", "saran_indikator", "saran_skor", "saran_alasan"]
        table(labelled(gaps, {c: f"keselarasan.col.{c}" for c in cols}), "indikator-tanpa-pasangan",
              key="gaps-reg")
with tab_mis:
    st.caption(T("keselarasan.mismatch_help"))
    if res.mismatches.empty:
        st.success(T("keselarasan.none_mismatch"), icon=":material/check_circle:")
    else:
        cols = ["region_name", "kode_indikator", "indikator", "kode_rpjmd", "prov_indikator", "kind",
                "regency_value", "provincial_value"]
        table(labelled(translated(polarity(res.mismatches, "regency_value", "provincial_value"), "kind",
                                  "keselarasan.kind."),
                       {c: f"keselarasan.col.{c}" for c in cols}), "ketidaksesuaian", key="mismatch")
with tab_per:
    st.caption(T("keselarasan.period_help"))
    if res.periods.empty:
        st.success(T("keselarasan.none_period"), icon=":material/check_circle:")
    else:
        cols = ["region_name", "year", "periode_wilayah", "periode_provinsi"]
        table(labelled(res.periods, {c: f"keselarasan.col.{c}" for c in cols}), "periode-rpjmd",
              key="periods")

# an unmapped regency indicator becomes a follow-up for its regency (followed up on Peringatan Dini)
gaps_found = res.regency_gaps.assign(
    finding=[T(f"keselarasan.status.{v}") if isinstance(v, str) and v else None for v in res.regency_gaps["status"]])
fu.finding_section(gaps_found, f.province, f.year, "alignment", key="keselarasan_followup")
