"""Measurability audit: Bappeda's checks on every indicator, a league table of regencies, and each finding
with how to fix it, downloadable as the attachment of a follow-up letter."""

import streamlit as st

from kesbang.analysis import measurability
from kesbang.charts import analysis as charts
from kesbang.exports import tables as export
from ui import fmt, source, url
from ui import followups as fu
from ui.page import open_data_page
from ui.state import T
from ui.widgets import XLSX_MIME, Score, chart, empty_state, guard, labelled, scorecards, table


@st.cache_data(show_spinner=False, max_entries=16)
def audit(version: str, province: str, year: int):
    # every year of the province: earlier years feed the plan-year and year-to-year checks
    ds = source.full_dataset().filter(province=province)
    return measurability.audit(ds.indicators, ds.rpjmd, ds.submissions, year)


f = open_data_page("keterukuran.title", "keterukuran.intro")
results = audit(source.data_version(), f.province, f.year)
if results.empty:
    empty_state("year")
    st.stop()

league = measurability.league_table(results)
summary = measurability.check_summary(results)
failed = measurability.findings(results)
scorecards([
    Score(T("keterukuran.score"), fmt.percent(measurability.score_of(results)), help=T("keterukuran.score_help")),
    Score(T("keterukuran.indicators"), fmt.number(len(results.drop_duplicates(["region", "kode_indikator"])))),
    Score(T("keterukuran.errors"), fmt.number(int((failed["severity"] == "error").sum()))),
    Score(T("keterukuran.warnings"), fmt.number(int((failed["severity"] == "warning").sum()))),
], per_row=4)

league_cols = {c: f"keterukuran.col.{c}" for c in measurability.LEAGUE_COLUMNS}
left, right = st.columns([3, 2])
with left:
    chart(charts.league_bar(league, f.lang), labelled(league, league_cols), "keterukuran-peringkat")
with right:
    shown = summary.assign(check=[T(f"keterukuran.check.{c}") for c in summary["check"]],
                           severity=[T(f"keterukuran.severity.{s}") for s in summary["severity"]])
    chart(charts.check_pass_bar(summary, f.lang),
          labelled(shown, {c: f"keterukuran.col.{c}" for c in summary.columns}), "keterukuran-pemeriksaan")

st.subheader(T("keterukuran.findings_title"))
st.caption(T("keterukuran.findings_help"))
regions_shown = league.sort_values("region_name")
pick_region, pick_severity = st.columns([2, 1])
region_names = dict(zip(regions_shown["region"], regions_shown["region_name"]))
region = url.selectbox(T("keterukuran.filter_region"), [None, *regions_shown["region"]], param="wilayah",
                       key="keterukuran_wilayah", where=pick_region,
                       labels=lambda c: T("keterukuran.filter_all") if c is None else region_names[c])
severities = url.multiselect(T("keterukuran.filter_severity"), ["error", "warning"], param="tingkat",
                             default=["error", "warning"], key="keterukuran_tingkat", where=pick_severity,
                             labels=lambda s: T(f"keterukuran.severity.{s}"))

chosen = results if region is None else results[results["region"] == region]
rows = measurability.findings(chosen)
rows = rows[rows["severity"].isin(severities)]
if rows.empty:
    st.success(T("keterukuran.none_findings"), icon=":material/check_circle:")
else:
    # what is wrong and how to fix it come right after who and which indicator: the reason to read the table
    cols = ["region_name", "indikator", "pesan", "perbaikan", "tingkat", "pemeriksaan", "kode_indikator"]
    wide = {T("keterukuran.col.pesan"): st.column_config.TextColumn(width="large"),
            T("keterukuran.col.perbaikan"): st.column_config.TextColumn(width="large"),
            T("keterukuran.col.indikator"): st.column_config.TextColumn(width="medium")}
    table(labelled(measurability.describe(rows, f.lang), {c: f"keterukuran.col.{c}" for c in cols}),
          T("keterukuran.export_name"), key="findings", column_config=wide)

with guard("letter"):
    # the letter goes to one regency (or all): its league row and every finding, whatever is filtered above
    st.download_button(
        T("keterukuran.letter_download"),
        data=lambda: export.to_xlsx(measurability.letter_tables(chosen, f.lang)),
        file_name=f"{T('keterukuran.export_name')}-{f.year}{'-' + region if region else ''}.xlsx",
        mime=XLSX_MIME, key="keterukuran_surat", on_click="ignore", icon=":material/mail:", type="primary")

# a finding becomes a follow-up (tindak lanjut) for its regency: followed up on Peringatan Dini and in the pack
fu.finding_section(measurability.describe(rows, f.lang).rename(columns={"pesan": "finding"}) if not rows.empty
                   else rows.assign(finding=None), f.province, f.year, "measurability", key="keterukuran_followup")
