"""Upload a report (operator): the pre-filled template, upload, the validation report at once, what changes
against the last version, submit, and the history with the reviewers' comments.

Parse and validate first, then one short store write; no Streamlit call runs inside the store's
transaction. The store authorises every write itself, so this page only decides what to offer.
"""

import datetime as dt
import hashlib

import streamlit as st

from kesbang import auth as rules
from kesbang import regions, settings
from kesbang.analysis.diff import compare, dropped_sections, section_rows
from kesbang.exports import carry, template
from kesbang.intake import loader
from ui import auth, counters, fmt, reports, source
from ui.filters import current
from ui.state import T
from ui.widgets import XLSX_MIME, file_uploader, guard

st.title(T("unggah.title"))
st.caption(T("unggah.caption"))
user = auth.require_login()
auth.who_line(user)
store = source.store()
f = current()

if user.role not in ("operator", "admin"):
    st.info(T("unggah.not_for_role", role=auth.role_label(user)), icon=":material/info:")
    st.page_link("pages/tinjauan.py", label=T("nav.tinjauan"), icon=":material/fact_check:")
    st.stop()

# --- which region and year ---
if user.role == "operator":
    region = user.region
    st.text(T("unggah.region_fixed", region=auth.region_label(user)))
else:
    registry = regions.regions_in(f.province)
    names = dict(zip(registry["kemendagri"], registry["name"]))
    if not names:
        st.info(T("tinjauan.no_regions"), icon=":material/info:")
        st.stop()
    region = st.selectbox(T("unggah.region"), list(names), key="unggah_region",
                          format_func=lambda c: f"{c} {names[c]}")
this_year = dt.date.today().year
years = sorted({f.year, this_year, this_year - 1}, reverse=True)
year = int(st.selectbox(T("unggah.year"), years, index=years.index(f.year), key="unggah_year"))

# --- 1. template ---
st.subheader(T("unggah.step_template"))
st.caption(T("unggah.template_help", region=regions.name_of(region), year=year))
with guard("template"):
    rpjmd = source.full_dataset().rpjmd
    if regions.normalise_code(region) is None:
        st.error(template.TemplateError("template.unknown_region", value=region).message(f.lang))
    else:
        known = store.history(region, year)
        if known.empty:
            st.caption(T("carry.page_first", year=year))
        else:
            last_period = known.iloc[-1]["period"]
            st.caption(T("carry.page_note", version=int(known.iloc[-1]["version"]), period=last_period or "—",
                         next=carry.next_period(last_period) or "—"))

        def carried_template(region=region, year=year):
            """What is known carried over: the last stored version for the next quarter, the plan's targets."""
            previous, version = carry.last_version(store, region, year)
            return template.write_template(region, year, rpjmd, previous, version=version)

        # built only when clicked (the template takes a moment to write)
        st.download_button(T("unggah.template_button", region=region, year=year), data=carried_template,
                           file_name=f"templat_{region}_{year}.xlsx", mime=XLSX_MIME, key="unggah_template",
                           on_click="ignore", icon=":material/download:")

# --- 2. upload and validate ---
st.subheader(T("unggah.step_upload"))
max_mb = float(settings.get("max_upload_mb"))
uploaded = file_uploader(T("unggah.file"), ["xlsx", "xlsm", "xls", "ods"], key="unggah_file", max_mb=max_mb,
                         help=T("unggah.file_help", mb=settings.get("max_upload_mb")))
ss = st.session_state
too_big = uploaded is not None and uploaded.size > max_mb * 1024 * 1024
if uploaded is None:
    st.caption(T("unggah.no_file"))
elif too_big:
    st.error(T("unggah.too_big", filename=auth.md_escape(uploaded.name), size=f"{uploaded.size / 1024 / 1024:.1f}",
               mb=settings.get("max_upload_mb")), icon=":material/error:")
    if ss.get("unggah_too_big") != uploaded.file_id:  # counted once per file, not once per rerun
        ss["unggah_too_big"] = uploaded.file_id
        counters.count("kesbang_uploads_total", outcome="too_big")
else:
    content = uploaded.getvalue()
    sha = hashlib.sha256(content).hexdigest()
    parsed = ss.get("unggah_parsed")
    if not parsed or parsed[0] != sha:
        # a long import shows progress; the result is kept per file so reruns don't parse it again
        with st.status(T("unggah.reading", filename=uploaded.name), expanded=False) as progress:
            result = loader.load_submission(content, uploaded.name)
            progress.update(label=T("unggah.read_done"), state="complete")
        if not result.ok:
            counters.count("kesbang_uploads_total", outcome="invalid")
        ss["unggah_parsed"] = (sha, result)
    result = ss["unggah_parsed"][1]
    sub = result.submission

    # --- 3. validation report ---
    st.subheader(T("unggah.step_report"))
    if sub is not None:
        st.text(T("unggah.detected", region=f"{sub.region} {regions.name_of(sub.region)}", year=sub.year,
                  period=sub.period or "—"))
    reports.show_issues(result.issues, "unggah-issues")
    if result.issues:
        reports.download_highlighted(content, result, "unggah_report")
    if not result.ok:
        st.error(T("unggah.nothing_stored"), icon=":material/block:")
    else:
        # --- 4. what changes against the last stored version ---
        st.subheader(T("unggah.step_diff"))
        dropped = []
        with guard("diff"):
            previous = store.history(sub.region, sub.year)
            if previous.empty:
                st.info(T("unggah.diff_first", region=sub.region, year=sub.year), icon=":material/info:")
            else:
                last = previous.iloc[-1]
                st.caption(T("unggah.diff_against", version=int(last["version"]),
                             uploaded_at=fmt.datetime(last["uploaded_at"])))
                old = store.submission(int(last["submission_id"]))
                reports.show_diff(compare(old, sub), "unggah-diff")
                dropped = dropped_sections(section_rows(old), section_rows(sub))

        # --- 5. submit ---
        st.subheader(T("unggah.step_submit"))
        blocked = None  # why the button is not offered; the store still decides if it is pressed anyway
        if not rules.allowed(user, "submit", sub.region):
            blocked = auth.message("auth.region_denied", {"user": user.username, "region": sub.region,
                                                          "own_region": user.region or "-"})
        else:
            lock = store.locked(sub.region, sub.year)
            if lock:
                blocked = auth.message("store.locked", {"region": sub.region, "year": sub.year, **lock})
        if blocked:
            st.warning(blocked, icon=":material/lock:")
        allow_drop = False
        if dropped and not blocked:
            st.warning(auth.message("unggah.drop_warning", {"dropped": dropped, "version": int(last["version"])}),
                       icon=":material/delete:")
            allow_drop = st.checkbox(T("unggah.drop_confirm"), key="unggah_allow_drop")
        done = ss.setdefault("unggah_done", {})
        if st.button(T("unggah.submit"), key="unggah_submit", type="primary", disabled=bool(blocked),
                     icon=":material/send:"):
            outcome = done.get(sha)
            if outcome is None:
                # A double click or a rerun mid-submit never sends the same file twice: the session
                # remembers what it stored (and the store recognises identical bytes). No Streamlit
                # call runs inside the write.
                result_of = store.submit(user, result, content, uploaded.name, allow_drop=allow_drop)
                counters.count("kesbang_uploads_total", outcome=result_of.status)
                outcome = (result_of.status, result_of.message_id, result_of.params)
                if result_of.status != "refused":  # a refusal may be retried once its reason is gone
                    done[sha] = outcome
            status, message_id, params = outcome
            text = auth.message(message_id, params)
            if status == "stored":
                st.success(text, icon=":material/check_circle:")
            elif status == "duplicate":
                st.info(text, icon=":material/info:")
            else:
                st.error(text, icon=":material/block:")

# --- history with status and the reviewers' comments ---
st.subheader(T("unggah.history", region=regions.name_of(region), year=year))
with guard("history"):
    history = store.history(region, year)
    if history.empty:
        st.caption(T("unggah.history_empty"))
    else:
        latest = history.iloc[-1]
        if latest["status"] in ("returned", "reopened"):
            st.warning(T("unggah.returned_note", version=int(latest["version"])), icon=":material/undo:")
        elif latest["status"] == "approved":
            st.success(T("unggah.approved_note", version=int(latest["version"])), icon=":material/lock:")
        st.dataframe(reports.history_frame(history), hide_index=True, width="stretch", key="unggah-history")
        versions = [int(v) for v in history["version"]][::-1]
        picked = st.selectbox(T("unggah.thread_pick"), versions, key="unggah_thread_version")
        sid = int(history.loc[history["version"] == picked, "submission_id"].iloc[0])
        reports.show_thread(store.comments(sid))
        if rules.allowed(user, "comment", region):
            reports.reply_form("unggah", lambda text: store.comment(user, sid, text), "unggah_said")
            reports.show_outcome("unggah_said")
