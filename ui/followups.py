"""Follow-ups (tindak lanjut) on screen: the list with overdue ones marked, and the open, answer and close forms.

The forms only decide what is offered (a button a role cannot use is disabled, with the reason); the
store authorises every write and audits refusals. An outcome is kept in session state across the rerun
that refreshes the list after a write. Follow-up texts and answers are user text: table cells only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from kesbang import auth as rules
from kesbang.auth import User
from ui import auth, fmt, source
from ui.state import T
from ui.widgets import labelled, table

KEY_OUTCOME = "followup_outcome"

COLUMNS = {
    "id": "peringatan.col.id", "about": "peringatan.col.about", "wilayah": "ui.col.region",
    "indicator_code": "ui.col.indicator_code",
    "indicator_name": "ui.col.indicator", "text": "peringatan.col.text", "due": "peringatan.col.due",
    "status": "peringatan.col.followup_status", "opened_by": "peringatan.col.opened_by",
    "value_at_opening": "peringatan.col.value_at_opening", "latest_value": "peringatan.col.latest_value",
    "answers": "peringatan.col.answers", "last_answer": "peringatan.col.last_answer",
    "closed_by": "peringatan.col.closed_by",
}


def status_text(record: dict) -> str:
    text = T(f"followup.status_{record['status']}")
    return f"{text} · {T('followup.overdue')}" if record["overdue"] else text


def _about(record: dict) -> str:
    """What the follow-up is about: the indicator, or an alignment or measurability finding (and which)."""
    kind = T(f"followup.subject_{record.get('subject') or 'indicator'}")
    return f"{kind}: {record['finding']}" if record.get("finding") else kind


def frame(records: list[dict]) -> pd.DataFrame:
    """The records as the table shows them: one row each, latest answer beside the count."""
    return pd.DataFrame([{
        "id": r["id"], "about": _about(r), "wilayah": f"{r['region']} {r['region_name']}",
        "indicator_code": r["indicator_code"],
        "indicator_name": r["indicator_name"], "text": r["text"], "due": fmt.date(r["due"]),
        "status": status_text(r), "opened_by": r["opened_by"], "value_at_opening": r["value_at_opening"],
        "latest_value": r["latest_value"], "answers": len(r["answers"]),
        "last_answer": r["answers"][-1]["text"] if r["answers"] else None, "closed_by": r["closed_by"],
    } for r in records], columns=list(COLUMNS))


def show_outcome() -> None:
    outcome = st.session_state.pop(KEY_OUTCOME, None)
    if outcome:
        ok, text = outcome
        (st.success if ok else st.error)(text, icon=":material/check_circle:" if ok else ":material/block:")


def show_list(records: list[dict], key: str) -> None:
    """The follow-ups, overdue ones counted in a warning above the table."""
    if not records:
        st.info(T("peringatan.followups_none"), icon=":material/info:")
        return
    overdue = sum(1 for r in records if r["overdue"])
    if overdue:
        st.warning(T("peringatan.overdue_notice", n=overdue), icon=":material/schedule:")
    table(labelled(frame(records), COLUMNS), T("peringatan.followups_file"), key=key)


def _done(outcome) -> None:
    st.session_state[KEY_OUTCOME] = (outcome.ok, auth.message(outcome.message_id, outcome.params))
    st.rerun()


def _label(r: dict) -> str:
    return T("peringatan.pick_label", id=r["id"], region=f"{r['region']} {r['region_name']}",
             code=r["indicator_code"], due=fmt.date(r["due"]))


def open_form(user: User, pairs: pd.DataFrame, year: int, key: str, subject: str = "indicator",
              title_key: str = "peringatan.open_title") -> None:
    """Open a follow-up on one of the listed regency x indicator pairs (reviewers, heads, admins).
    `pairs` holds region, region_name, kode_indikator, indikator and, for a finding, its text in `finding`."""
    st.subheader(T(title_key))
    may = rules.allowed(user, "followup.open")
    if not may:
        st.caption(T("peringatan.open_not_allowed"))
    options = list(range(len(pairs)))
    findings = pairs["finding"] if "finding" in pairs else [None] * len(pairs)
    labels = [" · ".join(str(x) for x in (f"{r.region} {r.region_name}", r.kode_indikator, r.indikator, found) if x)
              for r, found in zip(pairs.itertuples(), findings)]
    pick = st.selectbox(T("peringatan.open_pick"), options, format_func=labels.__getitem__, key=f"{key}_pick",
                        disabled=not may)
    text = st.text_area(T("peringatan.open_text"), key=f"{key}_text", max_chars=4000, disabled=not may)
    due = st.date_input(T("peringatan.open_due"), value=dt.date.today() + dt.timedelta(days=30),
                        key=f"{key}_due", disabled=not may)
    if st.button(T("peringatan.open_button"), key=f"{key}_button", disabled=not may or pick is None, type="primary"):
        row = pairs.iloc[int(pick)]
        _done(source.store().open_followup(user, row["region"], year, row["kode_indikator"], text, due,
                                           subject=subject, finding=row.get("finding")))


def finding_section(findings: pd.DataFrame, province: str, year: int, subject: str, key: str) -> None:
    """Follow-ups on this page's findings (alignment or measurability): those already opened on the
    province-year, and for a reviewer or head the form to open one on a listed finding."""
    st.subheader(T(f"followup.section_{subject}"))
    show_outcome()
    records = [r for r in source.store().followups(province=province, year=year) if r["subject"] == subject]
    show_list(records, key=f"{key}-list")
    user = auth.current_user()
    if user is None or findings.empty or not rules.allowed(user, "followup.open"):
        return
    open_form(user, findings.drop_duplicates(["region", "kode_indikator", "finding"]).reset_index(drop=True),
              year, key=f"{key}_open", subject=subject, title_key=f"followup.open_on_{subject}")


def respond_form(user: User, records: list[dict], key: str) -> None:
    """Answer an open follow-up the user may answer (an operator: their own regency's)."""
    st.subheader(T("peringatan.respond_title"))
    mine = [r for r in records if r["status"] == "open" and rules.allowed(user, "followup.respond", r["region"])]
    if not mine:
        st.caption(T("peringatan.respond_none"))
        return
    by_id = {r["id"]: r for r in mine}
    fid = st.selectbox(T("peringatan.respond_pick"), list(by_id), format_func=lambda i: _label(by_id[i]),
                       key=f"{key}_pick")
    text = st.text_area(T("peringatan.respond_text"), key=f"{key}_text", max_chars=4000)
    if st.button(T("peringatan.respond_button"), key=f"{key}_button", type="primary"):
        _done(source.store().respond_followup(user, int(fid), text))


def close_form(user: User, records: list[dict], key: str) -> None:
    """Close an open follow-up (reviewers, heads, admins), with an optional note."""
    st.subheader(T("peringatan.close_title"))
    may = rules.allowed(user, "followup.close")
    if not may:
        st.caption(T("peringatan.close_not_allowed"))
    still_open = {r["id"]: r for r in records if r["status"] == "open"}
    if not still_open:
        st.caption(T("peringatan.followups_none"))
        return
    fid = st.selectbox(T("peringatan.respond_pick"), list(still_open), format_func=lambda i: _label(still_open[i]),
                       key=f"{key}_pick", disabled=not may)
    note = st.text_input(T("peringatan.close_note"), key=f"{key}_note", max_chars=4000, disabled=not may)
    if st.button(T("peringatan.close_button"), key=f"{key}_button", disabled=not may):
        _done(source.store().close_followup(user, int(fid), note))


def region_section(region: str, year: int) -> None:
    """A regency's follow-ups on its own pages: the list (overdue marked) and, for whoever may, the answer
    form (its operators) and the close form (reviewers, heads)."""
    st.subheader(T("peringatan.followups_title"))
    show_outcome()
    records = source.store().followups(region=region, year=year)
    show_list(records, key=f"followups-{region}")
    user = auth.current_user()
    if user is None or not records:
        return
    if any(rules.allowed(user, "followup.respond", r["region"]) for r in records):
        respond_form(user, records, key="followup_region_respond")
    if rules.allowed(user, "followup.close"):
        close_form(user, records, key="followup_region_close")
