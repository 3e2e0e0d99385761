"""Review (reviewer, admin; heads and operators read): the queue by status and age, who has not reported
per quarter, one report opened (validation report, changes against the previous version, its data, the
original file), approve / return / reopen with a comment, and the region-year's review and audit trail.

Actions a role cannot take are shown disabled, never relied on: the store authorises every write.
"""

import json

import pandas as pd
import streamlit as st

from kesbang import auth as rules
from kesbang import regions, schema
from kesbang.analysis import completeness
from kesbang.analysis.diff import compare
from kesbang.exports import downloads, template
from kesbang.store import review
from ui import auth, fmt, reports, source
from ui.filters import current, quarter_label
from ui.state import T
from ui.widgets import XLSX_MIME, guard, table

OUTCOMES = ("ok", "refused", "denied", "failed")  # audit outcomes (kesbang.store.core)

st.title(T("tinjauan.title"))
st.caption(T("tinjauan.caption"))
user = auth.require_login()
auth.who_line(user)
store = source.store()
f = current()
if not rules.allowed(user, "review.approve"):
    st.info(T("tinjauan.read_only", role=auth.role_label(user)), icon=":material/visibility:")

# An action's outcome survives the rerun that refreshes the page after it.
reports.show_outcome("tinjauan_outcome")

queue = store.queue(province=f.province)
names = dict(zip(regions.regions_in(f.province)["kemendagri"], regions.regions_in(f.province)["name"]))

# --- queue ---
st.subheader(T("tinjauan.queue"))
if queue.empty:
    st.info(T("tinjauan.queue_empty", province=f.province_name), icon=":material/inbox:")
else:
    statuses = [s for s in ("submitted", "resubmitted", "reopened", "returned", "approved")
                if s in set(queue["status"])]
    default = [s for s in statuses if s in review.WAITING] or statuses
    shown = st.multiselect(T("tinjauan.queue_status"), statuses, default=default, key="tinjauan_status",
                           format_func=reports.status_text)
    waiting = queue[queue["status"].isin(shown)].sort_values("age_hours", ascending=False)
    age = waiting["age_hours"].map(lambda h: T("tinjauan.age_days", days=fmt.number(h / 24, 1)) if h >= 48
                                   else T("tinjauan.age_hours", hours=fmt.number(h, 0)))
    table(pd.DataFrame({
        # code and name in one text column: the shared table shows number-like text columns as numbers
        T("ui.col.region"): waiting["region"].map(lambda c: f"{c} {names.get(c, regions.name_of(c))}"),
        T("ui.col.year"): waiting["year"].astype(int),
        T("ui.col.version"): waiting["version"].astype(int),
        T("ui.col.period"): waiting["period"].astype(str),
        T("ui.col.status"): waiting["status"].map(reports.status_text),
        T("tinjauan.col.age"): age,
        T("ui.col.uploaded_by"): waiting["uploaded_by"].astype(str),
        T("ui.col.errors"): waiting["n_errors"].astype(int),
        T("ui.col.warnings"): waiting["n_warnings"].astype(int),
    }), T("tinjauan.queue_file"), key="tinjauan-queue")

# --- completeness: who has not reported, per quarter ---
st.subheader(T("tinjauan.completeness", year=f.year, period=f.period_label))
with guard("completeness"):
    grid = completeness.completeness(queue, f.province, f.year, f.quarter)
    if grid.empty:
        st.info(T("tinjauan.no_regions"), icon=":material/info:")
    else:
        owing = completeness.missing(grid, f.quarter)
        reported = len(grid) - len(owing)
        st.metric(T("tinjauan.reported", period=f.period_label), f"{reported} / {len(grid)}", border=True)
        if owing:
            st.warning(T("tinjauan.not_reported", period=f.period_label,
                         regions=", ".join(f"{c} {names.get(c, c)}" for c in owing)), icon=":material/schedule:")
        else:
            st.success(T("tinjauan.all_reported", period=f.period_label), icon=":material/task_alt:")
        shown_grid = pd.DataFrame({
            T("ui.col.region"): grid["region"] + " " + grid["name"],
            **{quarter_label(q): grid[f"tw{q}"].map(lambda s: T(f"tinjauan.cell.{s}"))
               for q in completeness.QUARTERS},
            T("ui.col.status"): grid["status"].map(reports.status_text),
        })
        table(shown_grid, T("tinjauan.completeness_file"), key="tinjauan-completeness")

if queue.empty:
    st.stop()

# --- open one report ---
st.subheader(T("tinjauan.open"))
order = queue.sort_values(["year", "region"], ascending=[False, True])
options = [int(s) for s in order["submission_id"]]
# opened first: the newest upload still waiting for a decision (queue is oldest upload first)
waiting_now = queue[queue["status"].isin(review.WAITING)]
newest = int((waiting_now if not waiting_now.empty else queue)["submission_id"].iloc[-1])
labels = {int(r.submission_id): T("tinjauan.open_label", code=r.region, name=names.get(r.region, r.region),
                                  year=int(r.year), version=int(r.version), status=reports.status_text(r.status))
          for r in order.itertuples(index=False)}
sid = st.selectbox(T("tinjauan.pick"), options, index=options.index(newest), key="tinjauan_open",
                   format_func=labels.get)
meta = store.submission_meta(sid)
if meta is None:  # gone between the queue read and now: nothing to show
    st.stop()
region, year = meta["region"], int(meta["year"])
st.text(T("tinjauan.meta", filename=meta["filename"], uploaded_by=meta["uploaded_by"],
          uploaded_at=fmt.datetime(meta["uploaded_at"]), period=meta["period"] or "—"))
history = store.history(region, year)
sub = store.submission(sid)

# Only the open tab runs (a rerun on switching): the data tables and the diff were most of every rerun.
tab_report, tab_diff, tab_data, tab_file = st.tabs(
    [T("tinjauan.tab_report"), T("tinjauan.tab_diff"), T("tinjauan.tab_data"), T("tinjauan.tab_file")],
    key="tinjauan_tab", on_change="rerun",
)
if tab_report.open:
    with tab_report, guard("report"):
        reports.show_issues(sub.issues, "tinjauan-issues")
if tab_diff.open:
    with tab_diff, guard("diff"):
        earlier = history[history["version"] < meta["version"]]
        if earlier.empty:
            st.info(T("tinjauan.diff_first"), icon=":material/info:")
        else:
            prev = earlier.iloc[-1]
            st.caption(T("tinjauan.diff_against", version=int(prev["version"]), latest=int(meta["version"])))
            reports.show_diff(compare(store.submission(int(prev["submission_id"])), sub), "tinjauan-diff")
if tab_data.open:
    with tab_data, guard("data"):
        for spec, frame in ((schema.INDIKATOR, sub.indikator), (schema.PASKIBRAKA, sub.paskibraka),
                            (schema.PROGRAM_NILAI, sub.nilai)):
            st.markdown(f"**{reports.sheet_label(spec.name)}**")
            labels_of = {c.key: (c.label_en if f.lang == "en" else c.label) for c in spec.columns}
            labels_of["row"] = T("tinjauan.col.row")  # the row in the uploaded workbook
            if frame is None or frame.empty:
                st.caption(T("tinjauan.sheet_empty"))
            else:
                table(frame.rename(columns=labels_of), f"{spec.key}_{region}_{year}_v{meta['version']}",
                      key=f"tinjauan-data-{spec.key}")
if tab_file.open:
    with tab_file, guard("file"):
        stored = store.file(sid)
        if stored is not None:
            # recommended: the template writer's copy of what was read (no macros or formulas can ride along),
            # written only when clicked: writing it took half of every rerun of this page
            def clean_copy(sub=sub, region=region, year=year):
                return template.write_submission(sub, region, year)

            st.download_button(T("tinjauan.download_clean"), data=clean_copy,
                               file_name=downloads.clean_copy_name(stored[0], T("tinjauan.clean_mark")),
                               mime=XLSX_MIME, key="tinjauan_clean", on_click="ignore", type="primary",
                               icon=":material/download:", help=T("tinjauan.download_clean_help"))
            # the original bytes under their real kind (.xlsm keeps its macro warning in Excel)
            name, mime, kind = downloads.original_download(stored[0], stored[1])
            st.download_button(T("tinjauan.download_original"), data=stored[1], file_name=name, mime=mime,
                               key="tinjauan_original", on_click="ignore", icon=":material/download:")
            st.caption(T("tinjauan.original_caption", kind=kind))
            st.text(stored[0])

# --- actions ---
st.subheader(T("tinjauan.actions"))
status = meta["status"]
latest = int(history["version"].max()) == int(meta["version"])
comment = st.text_area(T("tinjauan.comment"), key="tinjauan_comment", max_chars=4000)
cols = st.columns(3)
pressed = None
for col, action, icon in zip(cols, ("approve", "return", "reopen"),
                             (":material/check:", ":material/undo:", ":material/lock_open:")):
    may = rules.allowed(user, f"review.{action}", region)
    possible = latest and status in review.ALLOWED_FROM[action]
    why = None if may and possible else (T("tinjauan.help_role") if not may else T("tinjauan.help_status"))
    # Not offered when the role or the status does not allow it; a forged click still reaches the store,
    # which refuses it and audits the refusal.
    if col.button(T(f"tinjauan.{action}"), key=f"tinjauan_{action}", disabled=why is not None, help=why,
                  icon=icon, type="primary" if action == "approve" else "secondary"):
        pressed = action
if pressed:
    result = store.review(user, sid, pressed, comment)
    st.session_state["tinjauan_outcome"] = (result.ok, auth.message(result.message_id, result.params))
    if result.ok:
        st.session_state.pop("tinjauan_comment", None)
        st.rerun()
    ok, text = st.session_state.pop("tinjauan_outcome")
    st.error(text, icon=":material/block:")

# --- comment thread and the region-year's trail ---
st.subheader(T("tinjauan.thread", version=int(meta["version"])))
reports.show_thread(store.comments(sid))
if rules.allowed(user, "comment", region):
    # the outcome is shown at the top after the rerun
    reports.reply_form("tinjauan", lambda text: store.comment(user, sid, text), "tinjauan_outcome")

st.subheader(T("tinjauan.trail", region=f"{region} {names.get(region, region)}", year=year))
with guard("trail"):
    events = store.events(region, year)
    if not events.empty:
        table(pd.DataFrame({
            T("ui.col.version"): events["version"].astype(int),
            T("tinjauan.col.event"): events["kind"].map(reports.status_text),
            T("tinjauan.col.actor"): events["actor"].astype(str),
            T("tinjauan.col.at"): events["at"].map(fmt.datetime),
            T("ui.col.comments"): events["comment"].fillna("").astype(str),
        }), f"jejak_{region}_{year}", key="tinjauan-events")
    audit = store.audit(limit=2000)
    audit = audit[(audit["region"] == region) & (audit["year"] == year)].head(50)
    if not audit.empty:
        st.caption(T("tinjauan.audit", n=len(audit)))

        def said(row) -> str:
            try:
                params = json.loads(row["detail"] or "{}")
            except ValueError:
                params = {}
            return auth.message(row["message_id"], params, markdown=False) if row["message_id"] else ""

        table(pd.DataFrame({
            T("tinjauan.col.at"): audit["at"].map(fmt.datetime),
            T("tinjauan.col.actor"): audit["actor"].astype(str),
            T("tinjauan.col.action"): audit["action"].map(lambda a: T(f"auth.action.{a}")
                                                          if a in rules.PERMISSIONS else str(a)),
            T("tinjauan.col.outcome"): audit["outcome"].map(lambda o: T(f"tinjauan.outcome.{o}")
                                                            if o in OUTCOMES else str(o)),
            T("tinjauan.col.message"): audit.apply(said, axis=1),
        }), f"audit_{region}_{year}", key="tinjauan-audit")
