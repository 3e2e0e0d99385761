"""What changed between two versions of a region-year: per indicator, Paskibraka stage and values activity.

`compare(old, new)` returns one long table, a row per change: `section` (indicator | stage | activity),
`key` (indicator code, stage key, or activity theme/name/date), `label` (what a person reads),
`change` (added | removed | changed), `field` (schema key; `capaian` / `realisasi` are computed with
`kesbang.analysis.metrics`), `old`, `new`. Pages translate `section`, `change` and field labels at render time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kesbang import schema
from kesbang.analysis import metrics
from kesbang.model import Submission

COLUMNS = ["section", "key", "label", "change", "field", "old", "new"]
COMPUTED = ("realisasi", "capaian", "kategori")
_INDICATOR_FIELDS = [k for k in schema.INDIKATOR.keys if k != "kode_indikator"]
_STAGE_FIELDS = [k for k in schema.PASKIBRAKA.keys if k != "tahap"]
_ACTIVITY_KEY = ("tema", "kegiatan", "tanggal")
_ACTIVITY_FIELDS = [k for k in schema.PROGRAM_NILAI.keys if k not in _ACTIVITY_KEY]


# diff section -> the Submission frame it compares
SECTIONS = {"indicator": "indikator", "stage": "paskibraka", "activity": "nilai"}


def dropped_sections(old_rows: dict[str, int], new_rows: dict[str, int]) -> list[list]:
    """Sections the old version has rows in and the new one leaves out entirely, as [section, old rows].

    A fresh template re-uploaded without, say, its values programs would silently delete them from the
    region-year; the store refuses such a version unless the uploader confirms (`allow_drop`)."""
    return [[section, old_rows[section]] for section in SECTIONS if old_rows.get(section) and not new_rows.get(section)]


def section_rows(sub: Submission) -> dict[str, int]:
    """Rows per diff section of a parsed submission."""
    return {section: len(sub.held(key)) for section, key in SECTIONS.items()}


@dataclass
class Diff:
    changes: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.changes.empty

    def counts(self) -> dict[tuple[str, str], int]:
        """(section, change) -> number of distinct items (not fields) with that change."""
        if self.changes.empty:
            return {}
        items = self.changes.drop_duplicates(["section", "key", "change"])
        return {k: int(v) for k, v in items.groupby(["section", "change"]).size().items()}


def _blank(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _same(a: Any, b: Any) -> bool:
    if _blank(a) and _blank(b):
        return True
    if _blank(a) or _blank(b):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)
    return str(a).strip() == str(b).strip()


def _plain(value: Any) -> Any:
    if _blank(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _keyed(frame: pd.DataFrame, key_of) -> dict[str, dict]:
    """Rows by key; a key seen twice gets "#2", "#3"… so duplicates still pair up in order."""
    out: dict[str, dict] = {}
    for rec in frame.to_dict("records"):
        base = key_of(rec)
        key, n = base, 1
        while key in out:
            n += 1
            key = f"{base} #{n}"
        out[key] = rec
    return out


def _section(section: str, old: dict[str, dict], new: dict[str, dict], fields: list[str], label_of) -> list[dict]:
    rows = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before is None:
            rows.append(
                {
                    "section": section,
                    "key": key,
                    "label": label_of(after),
                    "change": "added",
                    "field": None,
                    "old": None,
                    "new": None,
                }
            )
        elif after is None:
            rows.append(
                {
                    "section": section,
                    "key": key,
                    "label": label_of(before),
                    "change": "removed",
                    "field": None,
                    "old": None,
                    "new": None,
                }
            )
        else:
            for f in fields:
                a, b = before.get(f), after.get(f)
                if not _same(a, b):
                    rows.append(
                        {
                            "section": section,
                            "key": key,
                            "label": label_of(after),
                            "change": "changed",
                            "field": f,
                            "old": _plain(a),
                            "new": _plain(b),
                        }
                    )
    return rows


def _with_metrics(sub: Submission) -> pd.DataFrame:
    frame = sub.indikator
    if frame is None or frame.empty:
        return pd.DataFrame(columns=["kode_indikator"])
    quarter = schema.PERIOD_QUARTERS.get(sub.period, 4)
    # a fresh 0..n-1 index: metrics.compute misaligns categories on a RangeIndex not starting at 0
    return metrics.compute(frame.reset_index(drop=True), quarter)


def compare(old: Submission, new: Submission) -> Diff:
    """Every difference between two parsed versions (old → new)."""
    rows: list[dict] = []
    ind_old = _keyed(_with_metrics(old), lambda r: str(r.get("kode_indikator") or r.get("indikator")))
    ind_new = _keyed(_with_metrics(new), lambda r: str(r.get("kode_indikator") or r.get("indikator")))
    fields = ["target_text" if f == "target" else f for f in _INDICATOR_FIELDS] + list(COMPUTED)
    rows += _section("indicator", ind_old, ind_new, fields, lambda r: str(r.get("indikator") or ""))

    def stage_label(r: dict) -> str:
        stage = schema.STAGE_BY_KEY.get(str(r.get("tahap")))
        return stage.label if stage else str(r.get("tahap"))

    rows += _section(
        "stage",
        _keyed(old.paskibraka, lambda r: str(r.get("tahap"))),
        _keyed(new.paskibraka, lambda r: str(r.get("tahap"))),
        _STAGE_FIELDS,
        stage_label,
    )

    def activity_key(r: dict) -> str:
        return " · ".join("" if _blank(r.get(k)) else str(r.get(k)) for k in _ACTIVITY_KEY)

    rows += _section(
        "activity",
        _keyed(old.nilai, activity_key),
        _keyed(new.nilai, activity_key),
        _ACTIVITY_FIELDS,
        lambda r: str(r.get("kegiatan") or ""),
    )
    changes = pd.DataFrame(rows, columns=COLUMNS)
    for col in ("old", "new"):
        changes[col] = changes[col].astype(object)
    return Diff(changes)
