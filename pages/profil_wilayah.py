"""One regency's whole picture: scorecard, every program with its indicators, budget beside output,
the operator's own explanations, versions and review status, and the province median beside each."""

import re

import streamlit as st

from kesbang import nomenclature, regions
from kesbang.analysis import regional
from kesbang.charts import profile
from ui import data, fmt, followups, source, url
from ui.page import open_data_page
from ui.state import T
from ui.widgets import Score, chart, empty_state, guard, labelled, plain, scorecards, table

MEDIAN_COLUMNS = {"kode_program": "ui.col.program_code", "kode_indikator": "ui.col.indicator_code",
                  "indikator": "ui.col.indicator", "capaian": "ui.col.capaian", "kategori": "ui.col.category",
                  "median_provinsi": "ui.col.province_median"}
BUDGET_COLUMNS = {"kode_program": "ui.col.program_code", "nama_program": "ui.col.program",
                  "n_indikator": "ui.col.n_indicators", "capaian_rata": "ui.col.avg_capaian",
                  "kategori": "ui.col.category", "pagu": "ui.col.pagu", "anggaran": "ui.col.spent",
                  "serapan": "ui.col.absorption"}


def region_charts(m_all, region: str, name: str, lang: str) -> dict:
    """The regency's indicators beside the province median, its programs' budget beside output: the
    frames, figures and downloads, cached per data version (`data.derived`) and never changed once built."""
    m = m_all[m_all["region"] == region]
    mm = m.merge(regional.province_median_by_indicator(m_all), on="kode_indikator", how="left")
    # a median only means something when this regency's unit is the compared one
    same_unit = mm["satuan"].astype(str).str.casefold() == mm["satuan_banding"].astype(str).str.casefold()
    mm["median_provinsi"] = mm["median_provinsi"].where(same_unit)
    per = regional.per_program(m)
    return {"mm": mm, "per": per,
            "median": (profile.indicators_vs_median(mm, lang, name), labelled(mm, MEDIAN_COLUMNS)),
            "budget": (profile.budget_and_output(per, lang, name), labelled(per, BUDGET_COLUMNS))}


f = open_data_page("profil.title", "profil.caption")

registry = regions.regions_in(f.province)
region_names = dict(zip(registry["kemendagri"], registry["name"]))
if not region_names:
    empty_state("selection", link_upload=False)
    st.stop()
# in the URL as `wilayah=62.02` (links from before said `kab=`); the widget key stays "kab"
region = url.selectbox(T("profil.pick"), list(region_names), param="wilayah", labels=region_names, key="kab",
                       aliases=("kab",))
name = region_names[region]

m_all = data.metrics_frame()
m = m_all[m_all["region"] == region]
if m.empty:
    empty_state("region")
    st.stop()

# --- scorecard ---
scores = data.derived(regional.region_scores)
mine = scores[scores["region"] == region].iloc[0]
ranked = scores[scores["capaian_rata"].notna()].reset_index(drop=True)
rank = ranked.index[ranked["region"] == region]
sub = data.dataset().submissions
sub = sub[sub["region"] == region].iloc[0]
status = sub["status"] if isinstance(sub["status"], str) else "submitted"
scorecards(
    [
        Score(
            T("profil.score.average"),
            fmt.percent(mine["capaian_rata"]),
            help=T("profil.score.average_help", median=fmt.percent(scores["capaian_rata"].median())),
        ),
        Score(T("profil.score.category"), T(f"category.{mine['kategori'] or 'none'}")),
        Score(T("profil.score.rank"), f"{int(rank[0]) + 1} / {len(ranked)}" if len(rank) else "—"),
        Score(
            T("profil.score.absorption"),
            fmt.percent(mine["serapan"]),
            help=T(
                "ringkasan.score.absorption_help",
                spent=fmt.rupiah(mine["anggaran"]),
                pagu=fmt.rupiah(mine["pagu"]),
            ),
        ),
        Score(
            T("profil.score.status"),
            T(f"store.status.{status}"),
            help=T("profil.score.status_help", version=int(sub["version"]), period=str(sub["period"])),
        ),
    ]
)

# --- every indicator against the province median; budget beside output ---
shown = data.derived(region_charts, region, name, f.lang)
mm, per = shown["mm"], shown["per"]
chart(*shown["median"], f"profil-{region}-capaian")
st.caption(T("profil.median_note"))
chart(*shown["budget"], f"profil-{region}-anggaran")

# --- every program with its indicators ---
st.subheader(T("profil.programs_title"))
columns = {
    "kode_indikator": "ui.col.indicator_code",
    "indikator": "ui.col.indicator",
    "level": "ui.col.level",
    "satuan": "ui.col.unit",
    "target_text": "ui.col.target",
    "realisasi": "ui.col.realisasi",
    "capaian": "ui.col.capaian",
    "kategori": "ui.col.category",
    "median_provinsi": "ui.col.province_median",
    "alasan": "ui.col.reason",
}
OPEN_KEY = "program-open-"  # + the program's place in the list (its code is user text: never in a key)
CODE_SHAPE = re.compile(r"[0-9]+(\.[0-9A-Za-z]+)*")  # a code that reads the same as markdown
for place, (code, part) in enumerate(mm.groupby("kode_program", sort=True)):
    # an expander label renders markdown: only the official name goes there, the operator's own name inside
    official = nomenclature.name_of(code)
    title = f"{code} · {official}" if official else (str(code) if CODE_SHAPE.fullmatch(str(code)) else "…")
    row = per[per["kode_program"] == code]
    avg = fmt.percent(row["capaian_rata"].iat[0]) if not row.empty else "—"
    # drawn only when opened (a rerun): every program's table on every rerun was 45% of this page's time
    box = st.expander(T("profil.program_expander", program=title, n=len(part), avg=avg),
                      key=f"{OPEN_KEY}{place}", on_change="rerun")
    if box.open:
        with box:
            if not official:
                plain(f"{code} · {part['nama_program'].dropna().head(1).str.cat()}")
            shown = part.assign(alasan=[T(k) if isinstance(k, str) else "" for k in part["alasan"]])
            table(labelled(shown, columns), f"profil-{region}-{code}", key=f"prog-{place}")

# --- the operator's own explanations, as plain text ---
st.subheader(T("profil.factors_title"))
factors = m[m[["faktor_pendorong", "faktor_penghambat", "tindak_lanjut"]].notna().any(axis=1)]
if factors.empty:
    st.info(T("profil.no_factors"), icon=":material/info:")
else:
    table(
        labelled(
            factors,
            {
                "kode_indikator": "ui.col.indicator_code",
                "indikator": "ui.col.indicator",
                "faktor_pendorong": "ui.col.driver",
                "faktor_penghambat": "ui.col.obstacle",
                "tindak_lanjut": "ui.col.follow_up",
                "data_dukung": "ui.col.evidence",
            },
        ),
        f"profil-{region}-faktor",
        key="factors",
    )

# --- follow-ups decided on this regency's indicators (overdue ones marked) ---
with guard("followups"):
    followups.region_section(region, f.year)

# --- versions and review status ---
st.subheader(T("profil.versions_title"))
with guard("history"):
    history = source.store().history(region, f.year)
    if history.empty:
        st.info(T("ui.empty.region"), icon=":material/info:")
    else:
        history = history.assign(
            status=[T(f"store.status.{s}") if isinstance(s, str) else "—" for s in history["status"]],
            uploaded_at=[fmt.datetime(v) for v in history["uploaded_at"]],
        )
        table(
            labelled(
                history,
                {
                    "version": "ui.col.version",
                    "period": "ui.col.period",
                    "status": "ui.col.status",
                    "uploaded_by": "ui.col.uploaded_by",
                    "uploaded_at": "ui.col.uploaded_at",
                    "comments": "ui.col.comments",
                    "n_errors": "ui.col.errors",
                    "n_warnings": "ui.col.warnings",
                    "filename": "ui.col.filename",
                },
            ),
            f"profil-{region}-versi",
            key="versions",
        )
        st.caption(T("profil.versions_note"))
