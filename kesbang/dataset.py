"""The read model every page and analysis works on: the latest submission of each region-year, as frames.

The store builds a Dataset from the database (`Store.dataset(...)`); tests and the CLI can build one
from parsed submissions with `from_submissions`. Frames (all carry `region`, `province`, `year`,
`submission_id`):

- `indicators`: one row per indicator; columns = `schema.INDIKATOR` keys + `target_min`, `target_max`,
  `target_text`, `row`, `period`, `version`, `status`.
- `paskibraka`: one row per stage; `schema.PASKIBRAKA` keys, `tahap` holds the stage *key*
  (`schema.STAGES`), plus `stage_order`.
- `nilai`: one row per values activity; `schema.PROGRAM_NILAI` keys.
- `submissions`: one row per latest version: `submission_id, region, province, year, version, period,
  sha256, uploaded_by, uploaded_at, status, n_errors, n_warnings, format_version, periode_rpjmd` (the
  regency's own RPJMD period from Identitas; alignment compares it with the provincial plan in force).
- `rpjmd`: provincial RPJMD indicators: `province`, `periode_rpjmd`, `schema.RPJMD_INDIKATOR` keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from kesbang import schema
from kesbang.model import Submission

KEY_COLUMNS = ["region", "province", "year", "submission_id"]
INDICATOR_COLUMNS = [*KEY_COLUMNS, "period", "version", "status", "row", *schema.INDIKATOR.keys,
                     "target_min", "target_max", "target_text"]
PASKIBRAKA_COLUMNS = [*KEY_COLUMNS, "row", *schema.PASKIBRAKA.keys, "stage_order"]
NILAI_COLUMNS = [*KEY_COLUMNS, "row", *schema.PROGRAM_NILAI.keys]
SUBMISSION_COLUMNS = ["submission_id", "region", "province", "year", "version", "period", "sha256",
                      "uploaded_by", "uploaded_at", "status", "n_errors", "n_warnings", "format_version",
                      "periode_rpjmd"]
RPJMD_COLUMNS = ["province", "periode_rpjmd", *schema.RPJMD_INDIKATOR.keys]


def empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass
class Dataset:
    indicators: pd.DataFrame = field(default_factory=lambda: empty(INDICATOR_COLUMNS))
    paskibraka: pd.DataFrame = field(default_factory=lambda: empty(PASKIBRAKA_COLUMNS))
    nilai: pd.DataFrame = field(default_factory=lambda: empty(NILAI_COLUMNS))
    submissions: pd.DataFrame = field(default_factory=lambda: empty(SUBMISSION_COLUMNS))
    rpjmd: pd.DataFrame = field(default_factory=lambda: empty(RPJMD_COLUMNS))

    @property
    def is_empty(self) -> bool:
        return self.submissions.empty

    def filter(self, province: str | None = None, years: list[int] | None = None,
               regions: list[str] | None = None) -> Dataset:
        def keep(df: pd.DataFrame) -> pd.DataFrame:
            mask = pd.Series(True, index=df.index)
            if province is not None and "province" in df:
                mask &= df["province"] == province
            if years is not None and "year" in df:
                mask &= df["year"].isin(years)
            if regions is not None and "region" in df:
                mask &= df["region"].isin(regions)
            return df[mask].reset_index(drop=True)

        rpjmd = self.rpjmd if province is None else self.rpjmd[self.rpjmd["province"] == province]
        return Dataset(keep(self.indicators), keep(self.paskibraka), keep(self.nilai), keep(self.submissions),
                       rpjmd.reset_index(drop=True))


def _with_keys(df: pd.DataFrame, keys: dict, columns: list[str]) -> pd.DataFrame:
    out = df.copy()
    for k, v in keys.items():
        out[k] = v
    for c in columns:
        if c not in out:
            out[c] = None
    return out[columns]


def from_submissions(items: list[tuple[Submission, dict]], rpjmd: pd.DataFrame | None = None) -> Dataset:
    """Build a Dataset from parsed submissions; `meta` gives submission_id, version, status, uploaded_*."""
    ind, pas, nil, subs = [], [], [], []
    for i, (sub, meta) in enumerate(items, start=1):
        keys = {"region": sub.region, "province": sub.region.split(".")[0], "year": sub.year,
                "submission_id": meta.get("submission_id", i)}
        row = {**keys, "version": meta.get("version", 1), "period": sub.period,
               "sha256": meta.get("sha256"), "uploaded_by": meta.get("uploaded_by"),
               "uploaded_at": meta.get("uploaded_at"), "status": meta.get("status", "submitted"),
               "n_errors": sum(x.severity == "error" for x in sub.issues),
               "n_warnings": sum(x.severity == "warning" for x in sub.issues),
               "format_version": sub.format_version, "periode_rpjmd": sub.identitas.get("periode_rpjmd")}
        subs.append(row)
        ind.append(_with_keys(sub.indikator, {**keys, "period": sub.period, "version": row["version"],
                                              "status": row["status"]}, INDICATOR_COLUMNS))
        stage_order = {s.key: n for n, s in enumerate(schema.STAGES)}
        p = sub.paskibraka.copy()
        if not p.empty:
            p["stage_order"] = p["tahap"].map(stage_order)
        pas.append(_with_keys(p, keys, PASKIBRAKA_COLUMNS))
        nil.append(_with_keys(sub.nilai, keys, NILAI_COLUMNS))

    def cat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        frames = [f for f in frames if not f.empty]
        return pd.concat(frames, ignore_index=True) if frames else empty(columns)

    return Dataset(cat(ind, INDICATOR_COLUMNS), cat(pas, PASKIBRAKA_COLUMNS), cat(nil, NILAI_COLUMNS),
                   pd.DataFrame(subs, columns=SUBMISSION_COLUMNS) if subs else empty(SUBMISSION_COLUMNS),
                   rpjmd if rpjmd is not None else empty(RPJMD_COLUMNS))
