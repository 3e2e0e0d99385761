"""Finding a table's header among title rows: one to three header rows deep, merged group titles carried across."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from kesbang import schema
from kesbang.intake.numbers import cell_text

HEADER_SCAN_ROWS = 30


@lru_cache(maxsize=20000)
def norm(text: str) -> str:
    """A label as the schema's header index keys it (`schema.normalise_label`, cached)."""
    return schema.normalise_label(text)


def per_spec(build: Any, spec: Any) -> Any:
    """`build(spec)` computed once per spec object. Keyed by identity: a SheetSpec is a frozen dataclass
    whose hash walks every column, which cost more than most lookups it served (lru_cache hashes on
    every call). The entry keeps the spec alive, so its id cannot be reused by another object."""
    # a tuple of specs (often a fresh literal) is known by its members' identities
    members = spec if isinstance(spec, tuple) else (spec,)
    key = (build, *map(id, members))
    hit = _PER_SPEC.get(key)
    if hit is None or len(hit[0]) != len(members) or any(a is not b for a, b in zip(hit[0], members)):
        if len(_PER_SPEC) > 256:  # specs built on the fly (tests, tools) must not pile up
            _PER_SPEC.clear()
        hit = _PER_SPEC[key] = (members, build(spec))
    return hit[1]


_PER_SPEC: dict[tuple[Any, ...], tuple[tuple[Any, ...], Any]] = {}


def _build_index(spec: schema.SheetSpec) -> dict[str, str]:
    return schema.HeaderIndex.build(spec).lookup


def label_index(spec: schema.SheetSpec) -> dict[str, str]:
    """Normalised header label -> column key, for `spec`."""
    return per_spec(_build_index, spec)


# header cells repeat from one upload to the next (the template's labels): the text of a short one is
# worked out once (typed, so that 1.0 and True, equal as keys, keep their own texts)
_short_label_text = lru_cache(maxsize=4096, typed=True)(cell_text)


def label_text(value: Any) -> str:
    return cell_text(value) if type(value) is str and len(value) > 120 else _short_label_text(value)


@dataclass
class Header:
    first_row: int  # 0-based index of the first header row
    last_row: int  # 0-based index of the last header row
    columns: dict[str, tuple[int, str]] = field(default_factory=dict)
    extras: list[tuple[int, str]] = field(default_factory=list)
    score: int = 0
    direct: int = 0  # labels matched whole, without falling back to one row


def _labels(rows: list[list[Any]], first: int, depth: int) -> list[str]:
    """Header text per column for a header `depth` rows deep: upper rows forward-filled across the
    blank cells of a merged group, joined with the row below ("Realisasi Triwulan I" + "K")."""
    band = rows[first : first + depth]
    width = max((len(r) for r in band), default=0)
    labels = [""] * width
    for level, row in enumerate(band):
        carry = ""
        last = level == depth - 1
        for c in range(width):
            text = label_text(row[c]) if c < len(row) else ""
            below = [label_text(b[c]) if c < len(b) else "" for b in band[level + 1 :]]
            if text:
                carry = text
            elif carry and any(below) and not last:
                text = carry  # inside a merged group: the group title applies to this column too
            else:
                carry = "" if not any(below) else carry
            if text:
                labels[c] = f"{labels[c]} {text}".strip()
    return labels


_YEAR = re.compile(r"\b20\d\d\b")


def _lookup(lookup: dict[str, str], label: str) -> str | None:
    """The key of a header label; a long label naming the plan year ("Target Kinerja dan Anggaran Renja
    Tahun 2026 K") is also tried without it, so the form's wording matches whatever the year."""
    folded = norm(label)
    key = lookup.get(folded)
    if key is None and _YEAR.search(folded):
        yearless = " ".join(_YEAR.sub(" ", folded).split())
        if yearless.count(" ") >= 3:  # "target 2026" stays a year column (RPJMD plan years)
            key = lookup.get(yearless)
    return key


def _match_labels(labels: list[str], lookup: dict[str, str], rows: list[list[Any]], first: int, depth: int) -> Header:
    h = Header(first, first + depth - 1)
    for c, label in enumerate(labels):
        if not label:
            continue
        key = _lookup(lookup, label)
        if key is not None:
            h.direct += 1
        elif depth > 1:
            # fall back to the lowest or highest row alone ("Indikator Kinerja" merged down two rows)
            for r in (first + depth - 1, first):
                part = label_text(rows[r][c]) if c < len(rows[r]) else ""
                if part:
                    key = lookup.get(norm(part))
                    if key:
                        break
        if key and key not in h.columns:
            h.columns[key] = (c, label)
        else:
            h.extras.append((c, label))
    h.score = len(h.columns)
    return h


def find_header(rows: list[list[Any]], spec: schema.SheetSpec, min_score: int = 2) -> Header | None:
    """The header row(s) among the first rows: the candidate matching the most known column labels."""
    lookup = label_index(spec)
    best: Header | None = None
    for first in range(min(HEADER_SCAN_ROWS, len(rows))):
        row = rows[first]
        if not any(isinstance(v, str) and v.strip() for v in row):
            continue
        for depth in (1, 2, 3):
            if first + depth > len(rows):
                break
            h = _match_labels(_labels(rows, first, depth), lookup, rows, first, depth)
            if best is None or (h.score, h.direct) > (best.score, best.direct):
                best = h
            if depth == 1 and h.direct >= len(spec.columns) * 0.8:
                break  # a complete one-row header: no need to try deeper ones
        if best is not None and best.direct >= len(spec.columns) * 0.8:
            break
    if best is None or best.score < min_score:
        return None
    # extras keep only labelled columns that actually sit beside the matched ones
    best.extras = [(c, label) for c, label in best.extras if label]
    return best
