"""Intake's entry points: an upload opened once under the size limit, read as a submission or RPJMD reference.

Forgives what operators really send: title rows above the header, columns in any order under the
synonyms people use, the two-row merged headers of the Permendagri 86 evaluation form (Triwulan I-IV
over K | Rp), extra columns, blank separator and total rows, hidden sheets, Indonesian numbers and
dates. Never raises on bad input: every failure is a `ValidationIssue` with a catalogue message id.
One calamine pass per sheet and plain Python over the rows (no pandas reader, no openpyxl): pandas'
defaults would drop leading zeros and turn "NA" into a silent blank.

`load_submission` (kesbang/intake/submission.py) and `load_rpjmd` (kesbang/intake/rpjmd.py) read one
kind each; `load_workbook` tells which kind a file is by its content.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from kesbang import schema, settings
from kesbang.intake import rpjmd, submission
from kesbang.intake.cells import issue
from kesbang.intake.reader import ReadProblem, open_workbook
from kesbang.intake.rpjmd import RpjmdResult
from kesbang.intake.sheets import wanted_sheets
from kesbang.model import LoadResult, ValidationIssue

log = logging.getLogger(__name__)


def max_upload_bytes() -> int:
    """The `max_upload_mb` setting in bytes (a malformed value falls back to the 10 MB default)."""
    try:
        mb = float(settings.get("max_upload_mb"))
    except ValueError:
        mb = float(settings.DEFAULTS["max_upload_mb"])
    return int(max(mb, 0.0) * 1024 * 1024)


def _too_big(data: bytes) -> ValidationIssue | None:
    """Refuse an oversized file before any reader touches it, so the CLI, the seeder and any caller get
    the same limit as the upload page (whose own check only spares the browser the round trip)."""
    limit = max_upload_bytes()
    if len(data) <= limit:
        return None
    return issue("error", "file.too_big", size=f"{len(data) / 1024 / 1024:.1f}", mb=f"{limit / 1024 / 1024:g}")


def _read_problem(p: ReadProblem) -> ValidationIssue:
    params = {k: v for k, v in p.params.items() if k != "sheet"}
    return issue("error", p.code, p.params.get("sheet") or None, None, None, None, **params)


def _guarded(data: bytes, filename: str, sheets: Callable[[str], bool] | None, read: Callable[..., Any],
             failed: Callable[[list[ValidationIssue], str, str | None], Any]) -> Any:
    """`read(workbook, sha)` on the opened upload, or `failed(issues, sha, kind)` with the one issue that
    says why it could not be read (too big, not a workbook, a reader panic)."""
    sha = hashlib.sha256(data).hexdigest()
    kind = None
    if (big := _too_big(data)) is not None:
        return failed([big], sha, kind)
    try:
        wb = open_workbook(data, sheets)
        kind = wb.kind
        return read(wb, sha)
    except ReadProblem as p:
        return failed([_read_problem(p)], sha, kind)
    except MemoryError:
        return failed([issue("error", "file.too_large_any")], sha, kind)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a reader panic or a bug: one clear message, never a traceback
        log.exception("loading %s failed", filename)
        return failed([issue("error", "file.reader_failed", detail=type(exc).__name__)], sha, kind)


def load_submission(data: bytes, filename: str, rpjmd_codes: set[str] | None = None) -> LoadResult:
    """Read and validate one submission workbook. Never raises on bad input."""
    return _guarded(
        data, filename, wanted_sheets(schema.SUBMISSION_SHEETS),
        lambda wb, sha: submission.load(wb, filename, sha, rpjmd_codes),
        lambda issues, sha, kind: LoadResult(filename, issues, None, sha, kind),
    )


def load_rpjmd(data: bytes, filename: str) -> RpjmdResult:
    """Read the provincial RPJMD reference workbook. Never raises on bad input."""
    return _guarded(
        data, filename, None,
        lambda wb, sha: rpjmd.load(wb, filename, sha),
        lambda issues, sha, kind: RpjmdResult(filename, None, None, rpjmd.empty_frame(), issues, sha, kind),
    )


def _is_plan(plan: RpjmdResult, result: LoadResult) -> bool:
    """Whether a workbook that is not a valid submission is the RPJMD reference: a valid one, or one whose
    RPJMD sheet is there while the submission's Indikator sheet is missing or was only guessed from a
    header (the RPJMD sheet's own header looks like an indicator table)."""
    if plan.ok:
        return True
    has_plan_sheet = not any(i.code == "v.sheet.missing" and i.sheet == schema.RPJMD_INDIKATOR.name
                             for i in plan.issues)
    no_indicator_sheet = any(i.code == "v.sheet.found_by_header"
                             or (i.code == "v.sheet.missing" and i.sheet == schema.INDIKATOR.name)
                             for i in result.issues)
    return has_plan_sheet and no_indicator_sheet


def load_workbook(data: bytes, filename: str, rpjmd_codes: set[str] | None = None) -> LoadResult | RpjmdResult:
    """A submission or the province's RPJMD reference workbook, told apart by content (never by file
    name): the submission when it is one, else the RPJMD reference when the file is one, else the
    submission's result with its issues."""
    result = load_submission(data, filename, rpjmd_codes)
    if result.ok or (result.submission is None and not any(i.code.startswith("v.") for i in result.issues)):
        return result  # valid, or not a workbook at all: one reading says it all
    plan = load_rpjmd(data, filename)
    return plan if _is_plan(plan, result) else result
