"""Early warning and follow-ups: every indicator projected to the year end, the regency x indicator pairs
at risk or off track (with the operators' reasons and the peers doing well), and the follow-ups decided
on them: opened by reviewers and heads, answered by the regency's operators, closed by reviewers."""

import pandas as pd
import streamlit as st

from kesbang.analysis import metrics, projection
from ui import auth, data, fmt, source, url
from ui import followups as fu
from ui.page import open_data_page
from ui.state import T
from ui.widgets import Score, guard, labelled, scorecards, table

WATCH_COLUMNS = {"wilayah": "ui.col.region", "kode_indikator": "ui.col.indicator_code",
                 "indikator": "ui.col.indicator", "status": "peringatan.col.status",
                 "proj_capaian": "peringatan.col.proj_capaian", "proj_year_end": "peringatan.col.proj_year_end",
                 "tw": "peringatan.col.last_quarter", "perubahan_tw": "peringatan.col.change",
                 "faktor_penghambat": "ui.col.obstacle", "tindak_lanjut": "ui.col.follow_up",
                 "peers": "peringatan.col.peers", "open_followups": "peringatan.col.open_followups"}


def projected(m: pd.DataFrame, quarter: int) -> tuple[pd.DataFrame, dict]:
    """The watch list and the count of each status, for the sidebar's province, year and quarter."""
    p = projection.project(m, metrics.Rules.from_settings(), upto_quarter=quarter)
    counts = p["proj_status"].value_counts()
    return projection.watch_list(p), {s: int(counts.get(s, 0)) for s in projection.STATUSES} | {
        "none": int(p["proj_status"].isna().sum())}


f = open_data_page("peringatan.title", "peringatan.caption")
scale = metrics.Rules.from_settings().scale
st.caption(T("peringatan.method", top=fmt.number(scale[0]), s_band=fmt.number(scale[2])))
watch, counts = data.derived(projected, f.quarter)
scorecards([Score(T(f"peringatan.{s}"), fmt.number(counts[s])) for s in projection.STATUSES]
           + [Score(T("peringatan.not_projected"), fmt.number(counts["none"]))], per_row=4)

records = source.store().followups(province=f.province, year=f.year)
open_count = pd.Series([(r["region"], r["indicator_code"]) for r in records if r["status"] == "open"],
                       dtype=object).value_counts()

# --- the lagging pairs ---
st.subheader(T("peringatan.list_title"))
lagging = [projection.OFF_TRACK, projection.AT_RISK]
statuses = url.multiselect(T("peringatan.show_status"), lagging, param="status", default=lagging,
                           labels=lambda s: T(f"peringatan.{s}"), key="peringatan_status")
names = dict(zip(watch["region"], watch["region_name"]))
picked = url.multiselect(T("peringatan.pick_regions"), sorted(names), param="wilayah", key="peringatan_regions",
                         labels=lambda c: f"{c} {names[c]}", placeholder=T("peringatan.all_regions"))
shown = watch[watch["proj_status"].isin(statuses) & (watch["region"].isin(picked) if picked else True)]
if shown.empty:
    st.info(T("peringatan.none_lagging"), icon=":material/task_alt:")
else:
    with guard("watch list"):
        view = shown.assign(
            wilayah=shown["region"] + " " + shown["region_name"],
            status=[T(f"peringatan.{s}") for s in shown["proj_status"]],
            tw=[T("peringatan.quarter_value", q=int(q), value=fmt.number(v, 2)) if q else None
                for q, v in zip(shown["tw_terakhir"], shown["nilai_tw_terakhir"])],
            peers=["; ".join(f"{name} ({fmt.percent(c)})" for _, name, c in p) or T("peringatan.peers_none")
                   for p in shown["peers"]],
            open_followups=[int(open_count.get((r, c), 0)) for r, c in zip(shown["region"], shown["kode_indikator"])],
        )
        table(labelled(view, WATCH_COLUMNS), T("peringatan.list_file"), key="peringatan-list")

# --- follow-ups ---
st.subheader(T("peringatan.followups_title"))
fu.show_outcome()
user = auth.current_user()
if user is not None and user.role == "operator":
    st.caption(T("peringatan.own_region_note", region=auth.region_label(user)))
    records = [r for r in records if r["region"] == user.region]
fu.show_list(records, key="peringatan-followups")
if user is None:
    st.caption(T("peringatan.login_to_act"))
    st.stop()
# every form is drawn for every signed-in role; what a role cannot do is disabled (the store decides anyway)
if not shown.empty:
    fu.open_form(user, shown.reset_index(drop=True), f.year, key="followup_open")
fu.respond_form(user, records, key="followup_respond")
fu.close_form(user, records, key="followup_close")
