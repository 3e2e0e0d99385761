"""Views shared by the upload and review pages: the validation report grouped by sheet, a version
comparison, a version history, a comment thread and its reply form. User text goes into dataframes or
st.text only."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from kesbang import schema
from kesbang.analysis.diff import Diff
from kesbang.intake import report
from kesbang.model import ValidationIssue
from kesbang.store.core import Outcome
from ui import auth, fmt
from ui.state import T, lang
from ui.widgets import XLSX_MIME, table

_SHEET_NAMES = {s.name: s for s in schema.SUBMISSION_SHEETS}
_FIELDS = {c.key: c for spec in schema.SUBMISSION_SHEETS for c in spec.columns}


def sheet_label(sheet: str) -> str:
    """A sheet's name as the operator knows it, with the English name in the English UI."""
    if not sheet:
        return T("unggah.file_level")
    spec = _SHEET_NAMES.get(sheet)
    return f"{sheet} ({spec.name_en})" if spec is not None and lang() == "en" else sheet


def issue_counts(issues: list[ValidationIssue]) -> tuple[int, int]:
    return (sum(i.severity == "error" for i in issues), sum(i.severity == "warning" for i in issues))


def show_issues(issues: list[ValidationIssue], key: str) -> None:
    """The validation report: counts, then one table per sheet (cell, value, message with the fix)."""
    errors, warnings = issue_counts(issues)
    if not issues:
        st.success(T("v.no_issues"), icon=":material/check_circle:")
        return
    if errors:
        st.error(T("unggah.report_errors", errors=errors, warnings=warnings), icon=":material/error:")
    else:
        st.warning(T("unggah.report_warnings", warnings=warnings), icon=":material/warning:")
    for sheet, group in report.by_sheet(issues, lang()).items():
        n_err = int((group["severity"] == "error").sum())
        # the sheet name may be the operator's own (an unknown sheet): plain text, never markdown
        st.text(f"{sheet_label(sheet)} · {T('unggah.sheet_counts', errors=n_err, warnings=len(group) - n_err)}")
        frame = group.assign(severity=group["severity"].map(lambda s: T(f"v.severity.{s}")))
        frame = frame[["severity", "cell", "column", "value", "message"]].rename(
            columns={c: T(f"v.report.{c}") for c in ("severity", "cell", "column", "value", "message")}
        )
        st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}-{sheet or 'file'}")


def download_highlighted(data: bytes, result, key: str) -> None:
    """The uploaded workbook with problem cells coloured and commented (built only when clicked)."""
    name = (result.filename.rsplit(".", 1)[0] or "laporan") + "_" + T("unggah.report_suffix") + ".xlsx"
    st.download_button(
        T("unggah.download_report"),
        data=lambda: report.highlighted_copy(data, result, lang()),
        file_name=name,
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def _field_label(section: str, field: str | None) -> str:
    if not field:
        return ""
    if field in ("realisasi", "capaian", "kategori"):
        return T({"realisasi": "ui.col.realisasi", "capaian": "ui.col.capaian",
                  "kategori": "ui.col.category"}[field])
    col = _FIELDS.get("target" if field == "target_text" else field)
    if col is None:
        return field
    return col.label_en if lang() == "en" else col.label


def _shown(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return fmt.number(value, 2)
    return str(value)


def show_diff(diff: Diff, key: str) -> None:
    """Counts per section, then every change (old → new) in one table."""
    if diff.empty:
        st.info(T("store.diff.no_changes"), icon=":material/info:")
        return
    counts = diff.counts()
    for section in ("indicator", "stage", "activity"):
        n = {c: counts.get((section, c), 0) for c in ("added", "removed", "changed")}
        if any(n.values()):
            st.markdown("- " + T("unggah.diff_summary", section=T(f"store.diff.{section}"), **n))
    ch = diff.changes
    frame = pd.DataFrame({
        T("unggah.col.section"): ch["section"].map(lambda s: T(f"store.diff.{s}")),
        T("unggah.col.item"): ch["label"].astype(str),
        T("unggah.col.change"): ch["change"].map(lambda s: T(f"store.diff.{s}")),
        T("store.diff.field"): [_field_label(s, f) for s, f in zip(ch["section"], ch["field"])],
        T("store.diff.old"): ch["old"].map(_shown),
        T("store.diff.new"): ch["new"].map(_shown),
    })
    table(frame, T("unggah.diff_file"), key=key)


def status_text(status) -> str:
    return T(f"store.status.{status}") if isinstance(status, str) and status else "—"


def history_frame(history: pd.DataFrame) -> pd.DataFrame:
    """Store.history translated for display."""
    return pd.DataFrame({
        T("ui.col.version"): history["version"].astype(int),
        T("ui.col.status"): history["status"].map(status_text),
        T("ui.col.period"): history["period"].astype(str),
        T("ui.col.uploaded_at"): history["uploaded_at"].map(fmt.datetime),
        T("ui.col.uploaded_by"): history["uploaded_by"].astype(str),
        T("ui.col.filename"): history["filename"].astype(str),
        T("ui.col.errors"): history["n_errors"].astype(int),
        T("ui.col.warnings"): history["n_warnings"].astype(int),
        T("ui.col.comments"): history["comments"].astype(int),
    })


def show_thread(thread: pd.DataFrame) -> None:
    """A comment thread: who, when, what kind, then the comment as plain text."""
    if thread.empty:
        st.caption(T("unggah.thread_empty"))
        return
    for row in thread.itertuples(index=False):
        with st.container(border=True):
            st.caption(T("unggah.thread_line", kind=status_text(row.kind), at=fmt.datetime(row.at)))
            st.text(f"{row.actor}: {row.comment}")


def reply_form(key: str, post: Callable[[str], Outcome], outcome_key: str) -> None:
    """The reply under a comment thread: form `{key}_reply`, text area `{key}_reply_text`. The comment
    goes through `post` (the store authorises it); its outcome, (ok, text), is kept in
    `session_state[outcome_key]` for `show_outcome`, and the page reruns so the thread shows it."""
    with st.form(f"{key}_reply", clear_on_submit=True):
        text = st.text_area(T("unggah.reply"), key=f"{key}_reply_text", max_chars=4000)
        send = st.form_submit_button(T("unggah.reply_send"), icon=":material/reply:")
    if send:
        said = post(text)
        st.session_state[outcome_key] = (said.ok, auth.message(said.message_id, said.params))
        st.rerun()


def show_outcome(outcome_key: str) -> None:
    """The outcome a write left in `session_state[outcome_key]` before the rerun, shown once."""
    outcome = st.session_state.pop(outcome_key, None)
    if outcome:
        ok, text = outcome
        (st.success if ok else st.error)(text, icon=":material/check_circle:" if ok else ":material/block:")
