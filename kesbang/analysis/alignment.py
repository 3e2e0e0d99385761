"""RPJMD alignment: how regency indicators cascade into the provincial RPJMD, and where they do not.

One call, `analyse(dataset, year)`, gives every view the alignment page shows:
- `links`: each regency indicator with the provincial indicator it cascades to (or why it does not);
- `sankey`: flows provincial sasaran -> program -> provincial indicator -> regency;
- `coverage`: provincial indicators x regencies, the number of regency indicators feeding each;
- `provincial_gaps` / `regency_gaps`: gaps both ways, unmapped regency rows with a suggested code;
- `mismatches`: unit or polarity differing between a provincial indicator and one feeding it;
- `periods`: regencies whose own RPJMD period differs from the provincial plan in force.

Statuses and reasons are message ids (table `keselarasan`), translated by the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from kesbang import regions
from kesbang.analysis.matching import best_match, fold_code, text
from kesbang.analysis.plans import normalise_period, plan_in_force, plan_rows

LINKED, UNKNOWN_CODE, UNMAPPED, LOCAL = "linked", "unknown_code", "unmapped", "local"

# A suggestion within the same program needs less name similarity than one across programs: the
# program code is already strong evidence (Bappeda cascades program by program).
SAME_PROGRAM_MIN_SCORE = 50.0
OTHER_PROGRAM_MIN_SCORE = 75.0

# Unit spellings that mean the same thing; anything else is compared case-insensitively.
_UNIT_SYNONYMS = {"%": "persen", "persentase": "persen", "prosen": "persen", "percent": "persen",
                  "nilai indeks": "indeks", "index": "indeks", "poin": "indeks", "jiwa": "orang",
                  "org": "orang", "dok": "dokumen", "dokumen": "dokumen", "keg": "kegiatan"}

LINK_COLUMNS = ["region", "region_name", "province", "year", "kode_program", "kode_indikator", "indikator",
                "level", "satuan", "polaritas", "kode_rpjmd", "status", "periode_rpjmd", "prov_kode_rpjmd",
                "sasaran", "prov_kode_program", "prov_indikator", "prov_satuan", "prov_polaritas"]
SANKEY_COLUMNS = ["source_stage", "source_key", "source_label", "target_stage", "target_key", "target_label",
                  "value"]
GAP_COLUMNS = ["kode_rpjmd", "sasaran", "kode_program", "indikator", "satuan", "polaritas"]
REGENCY_GAP_COLUMNS = ["region", "region_name", "year", "kode_program", "kode_indikator", "indikator",
                       "level", "kode_rpjmd", "status", "saran_kode_rpjmd", "saran_indikator", "saran_skor",
                       "saran_alasan"]
MISMATCH_COLUMNS = ["region", "region_name", "year", "kode_indikator", "indikator", "kode_rpjmd",
                    "prov_indikator", "kind", "regency_value", "provincial_value"]
PERIOD_COLUMNS = ["region", "region_name", "year", "periode_wilayah", "periode_provinsi"]


def _frame(columns: list[str], rows: list[dict] | None = None) -> pd.DataFrame:
    return pd.DataFrame(rows or [], columns=columns)


def unit_key(value: object) -> str:
    s = text(value).lower()
    return _UNIT_SYNONYMS.get(s, s)


def is_support_program(code: object) -> bool:
    """x.xx.01 is "Penunjang Urusan Pemerintahan Daerah" in every bidang (Permendagri 90/2019): office
    administration, planned in the Renstra but not cascaded into RPJMD outcomes."""
    parts = text(code).split(".")
    return len(parts) >= 3 and parts[2] == "01"


@cache
def _region_name(code: str) -> str:
    # the registry lookup filters a DataFrame: once per regency, not once per indicator row
    return regions.name_of(code)


def select_year(indicators: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """Rows of `year`; without one, each regency's latest reported year (so every regency counts once)."""
    if indicators.empty:
        return indicators
    if year is not None:
        return indicators[indicators["year"] == year]
    latest = indicators.groupby("region")["year"].transform("max")
    return indicators[indicators["year"] == latest]


def links(indicators: pd.DataFrame, rpjmd: pd.DataFrame) -> pd.DataFrame:
    """Each regency indicator row with its provincial indicator, or the reason it has none.

    status: `linked` (code found in the provincial plan in force for that year), `unknown_code` (a
    code the plan does not have), `unmapped` (program-level outcome left blank: Bappeda expects every
    program outcome to cascade), `local` (kegiatan/sub-kegiatan output, or the support program, left
    blank: allowed).
    """
    if indicators.empty:
        return _frame(LINK_COLUMNS)
    plans: dict[tuple[str, int], tuple[str | None, dict[str, dict]]] = {}
    rows = []
    for rec in indicators.to_dict("records"):
        key = (rec["province"], int(rec["year"]))
        if key not in plans:
            plan = plan_rows(rpjmd, *key) if not rpjmd.empty else rpjmd
            by_code = {text(r["kode_rpjmd"]): r for r in plan.to_dict("records")}
            plans[key] = (plan_in_force(rpjmd, *key), by_code)
        period, by_code = plans[key]
        code = text(rec.get("kode_rpjmd"))
        prov = by_code.get(code) if code else None
        if prov is not None:
            status = LINKED
        elif code:
            status = UNKNOWN_CODE
        else:
            must_cascade = (text(rec.get("level")) == "program"
                            and not is_support_program(rec.get("kode_program")))
            status = UNMAPPED if must_cascade else LOCAL
        prov = prov or {}
        rows.append({
            "region": rec["region"], "region_name": _region_name(rec["region"]), "province": rec["province"],
            "year": int(rec["year"]), "kode_program": text(rec.get("kode_program")),
            "kode_indikator": text(rec.get("kode_indikator")), "indikator": text(rec.get("indikator")),
            "level": text(rec.get("level")), "satuan": text(rec.get("satuan")),
            "polaritas": text(rec.get("polaritas")), "kode_rpjmd": code, "status": status,
            "periode_rpjmd": period, "prov_kode_rpjmd": text(prov.get("kode_rpjmd")) or None,
            "sasaran": text(prov.get("sasaran")) or None,
            "prov_kode_program": text(prov.get("kode_program")) or None,
            "prov_indikator": text(prov.get("indikator")) or None,
            "prov_satuan": text(prov.get("satuan")) or None,
            "prov_polaritas": text(prov.get("polaritas")) or None,
        })
    return _frame(LINK_COLUMNS, rows)


def coverage(link_rows: pd.DataFrame, plan: pd.DataFrame, region_codes: list[str]) -> pd.DataFrame:
    """Provincial indicators (rows, by kode_rpjmd) x regencies (columns): regency indicators feeding each.

    Every plan indicator and every listed regency appears, so a zero is a visible gap.
    """
    codes = [text(c) for c in plan["kode_rpjmd"]] if not plan.empty else []
    linked = link_rows[link_rows["status"] == LINKED]
    counts = (linked.groupby(["kode_rpjmd", "region"]).size().unstack(fill_value=0)
              if not linked.empty else pd.DataFrame())
    regions_all = list(dict.fromkeys([*region_codes, *counts.columns]))
    out = counts.reindex(index=codes, columns=regions_all, fill_value=0).fillna(0).astype(int)
    out.index.name, out.columns.name = "kode_rpjmd", "region"
    return out


def provincial_gaps(matrix: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Provincial indicators that no regency indicator feeds."""
    if plan.empty:
        return _frame(GAP_COLUMNS)
    empty_codes = set(matrix.index[matrix.sum(axis=1) == 0]) if matrix.shape[1] else set(matrix.index)
    rows = [{c: text(r.get(c)) for c in GAP_COLUMNS} for r in plan.to_dict("records")
            if text(r["kode_rpjmd"]) in empty_codes]
    return _frame(GAP_COLUMNS, rows)


def suggest(row: dict, plan: pd.DataFrame) -> dict:
    """The likely provincial indicator for an unmapped or unknown-code regency row, with score and reason.

    Order of evidence: the same code spelled differently (`code_spelling`), then a similar name within
    the same program (`same_program`), then a very similar name in another program (`name_only`).
    """
    none = {"saran_kode_rpjmd": None, "saran_indikator": None, "saran_skor": None, "saran_alasan": None}
    if plan.empty:
        return none
    records = plan.to_dict("records")
    code = fold_code(row.get("kode_rpjmd"))
    if code:
        for r in records:
            if fold_code(r["kode_rpjmd"]) == code:
                return {"saran_kode_rpjmd": text(r["kode_rpjmd"]), "saran_indikator": text(r["indikator"]),
                        "saran_skor": 100.0, "saran_alasan": "keselarasan.reason.code_spelling"}
    program = fold_code(row.get("kode_program"))
    same = {i: r["indikator"] for i, r in enumerate(records)
            if program and fold_code(r["kode_program"]) == program}
    hit = best_match(row.get("indikator"), same, SAME_PROGRAM_MIN_SCORE)
    reason = "keselarasan.reason.same_program"
    if hit is None:
        others = {i: r["indikator"] for i, r in enumerate(records) if i not in same}
        hit = best_match(row.get("indikator"), others, OTHER_PROGRAM_MIN_SCORE)
        reason = "keselarasan.reason.name_only"
    if hit is None:
        return none
    r = records[hit[0]]
    return {"saran_kode_rpjmd": text(r["kode_rpjmd"]), "saran_indikator": text(r["indikator"]),
            "saran_skor": round(hit[1], 1), "saran_alasan": reason}


def regency_gaps(link_rows: pd.DataFrame, rpjmd: pd.DataFrame) -> pd.DataFrame:
    """Regency indicators that map to nothing (blank program outcomes, unknown codes), with a suggestion."""
    bad = link_rows[link_rows["status"].isin([UNMAPPED, UNKNOWN_CODE])]
    if bad.empty:
        return _frame(REGENCY_GAP_COLUMNS)
    rows, plans = [], {}
    for rec in bad.to_dict("records"):
        key = (rec["province"], rec["year"])
        if key not in plans:
            plans[key] = plan_rows(rpjmd, *key) if not rpjmd.empty else rpjmd
        rows.append({**{c: rec.get(c) for c in REGENCY_GAP_COLUMNS}, **suggest(rec, plans[key])})
    return _frame(REGENCY_GAP_COLUMNS, rows)


def mismatches(link_rows: pd.DataFrame) -> pd.DataFrame:
    """Linked rows whose unit or polarity differs from the provincial indicator they feed."""
    rows = []
    for rec in link_rows[link_rows["status"] == LINKED].to_dict("records"):
        base = {c: rec[c] for c in ("region", "region_name", "year", "kode_indikator", "indikator",
                                    "kode_rpjmd", "prov_indikator")}
        if rec["prov_satuan"] and unit_key(rec["satuan"]) != unit_key(rec["prov_satuan"]):
            rows.append({**base, "kind": "satuan", "regency_value": rec["satuan"],
                         "provincial_value": rec["prov_satuan"]})
        if rec["prov_polaritas"] and text(rec["polaritas"]).lower() != text(rec["prov_polaritas"]).lower():
            rows.append({**base, "kind": "polaritas", "regency_value": rec["polaritas"],
                         "provincial_value": rec["prov_polaritas"]})
    return _frame(MISMATCH_COLUMNS, rows)


def period_mismatches(submissions: pd.DataFrame, rpjmd: pd.DataFrame,
                      year: int | None = None) -> pd.DataFrame:
    """Regencies whose own RPJMD period (from Identitas) differs from the provincial plan in force."""
    if submissions.empty or "periode_rpjmd" not in submissions or rpjmd.empty:
        return _frame(PERIOD_COLUMNS)
    subs = submissions if year is None else submissions[submissions["year"] == year]
    rows = []
    for rec in subs.to_dict("records"):
        own = normalise_period(rec.get("periode_rpjmd"))
        prov = plan_in_force(rpjmd, rec["province"], int(rec["year"]))
        if own and prov is not None and own != normalise_period(prov):
            rows.append({"region": rec["region"], "region_name": _region_name(rec["region"]),
                         "year": int(rec["year"]), "periode_wilayah": text(rec.get("periode_rpjmd")),
                         "periode_provinsi": prov})
    return _frame(PERIOD_COLUMNS, rows).sort_values(["region", "year"]).reset_index(drop=True)


def sankey(link_rows: pd.DataFrame, plan: pd.DataFrame, program_name=None, no_regency_label: str = "—",
           ) -> pd.DataFrame:
    """Flows sasaran -> program -> provincial indicator -> regency, weighted by regency indicators.

    A provincial indicator nobody feeds flows (weight 1) into one `no_regency_label` node so gaps stay
    visible in the picture instead of vanishing. `program_name(code)` labels program nodes.
    """
    if plan.empty:
        return _frame(SANKEY_COLUMNS)
    linked = link_rows[link_rows["status"] == LINKED]
    per_region = linked.groupby(["kode_rpjmd", "region", "region_name"]).size().reset_index(name="n")
    label_program = program_name or (lambda c: c)
    rows = []
    for r in plan.to_dict("records"):
        code, prog, sas = text(r["kode_rpjmd"]), text(r["kode_program"]), text(r["sasaran"])
        ind_label = f"{code} · {text(r['indikator'])}"
        feeders = per_region[per_region["kode_rpjmd"] == code]
        total = int(feeders["n"].sum()) if not feeders.empty else 0
        weight = total or 1
        rows.append(("sasaran", sas, sas, "program", prog, label_program(prog), weight))
        rows.append(("program", prog, label_program(prog), "indikator", code, ind_label, weight))
        if total:
            for f in feeders.to_dict("records"):
                rows.append(("indikator", code, ind_label, "wilayah", f["region"], f["region_name"],
                             int(f["n"])))
        else:
            rows.append(("indikator", code, ind_label, "gap", "none", no_regency_label, 1))
    out = pd.DataFrame(rows, columns=SANKEY_COLUMNS)
    keys = SANKEY_COLUMNS[:-1]
    return out.groupby(keys, sort=False, as_index=False)["value"].sum()


@dataclass
class Alignment:
    year: int | None
    period: str | None
    plan: pd.DataFrame
    links: pd.DataFrame
    coverage: pd.DataFrame
    provincial_gaps: pd.DataFrame
    regency_gaps: pd.DataFrame
    mismatches: pd.DataFrame
    periods: pd.DataFrame
    summary: dict = field(default_factory=dict)

    def sankey(self, program_name=None, no_regency_label: str = "—") -> pd.DataFrame:
        return sankey(self.links, self.plan, program_name, no_regency_label)


def analyse(dataset, province: str, year: int | None = None) -> Alignment:
    """Every alignment view for one province (and year; default: each regency's latest year)."""
    ds = dataset.filter(province=province)
    ind = select_year(ds.indicators, year)
    ref_year = year if year is not None else (int(ind["year"].max()) if not ind.empty else None)
    if ref_year is None and not ds.submissions.empty:
        ref_year = int(ds.submissions["year"].max())
    plan = plan_rows(ds.rpjmd, province, ref_year) if ref_year is not None else ds.rpjmd.iloc[0:0]
    period = plan_in_force(ds.rpjmd, province, ref_year) if ref_year is not None else None
    link_rows = links(ind, ds.rpjmd)
    subs = ds.submissions if year is None else ds.submissions[ds.submissions["year"] == year]
    region_codes = sorted(subs["region"].unique()) if not subs.empty else []
    matrix = coverage(link_rows, plan, region_codes)
    prov_gaps = provincial_gaps(matrix, plan)
    reg_gaps = regency_gaps(link_rows, ds.rpjmd)
    mism = mismatches(link_rows)
    periods = period_mismatches(select_latest_submissions(subs), ds.rpjmd)
    n_linked = int((link_rows["status"] == LINKED).sum())
    expected = int(link_rows["status"].isin([LINKED, UNMAPPED, UNKNOWN_CODE]).sum())
    summary = {
        "plan_indicators": len(plan), "covered": len(plan) - len(prov_gaps), "regency_rows": len(link_rows),
        "linked": n_linked, "unmapped": int((link_rows["status"] == UNMAPPED).sum()),
        "unknown_code": int((link_rows["status"] == UNKNOWN_CODE).sum()),
        "local": int((link_rows["status"] == LOCAL).sum()), "mismatches": len(mism),
        "regencies": len(region_codes), "other_period": periods["region"].nunique(),
        "cascade_share": (n_linked / expected * 100) if expected else None,
    }
    return Alignment(ref_year, period, plan.reset_index(drop=True), link_rows, matrix, prov_gaps, reg_gaps,
                     mism, periods, summary)


def select_latest_submissions(submissions: pd.DataFrame) -> pd.DataFrame:
    """Each regency's latest year (a regency's plan period is a property of its latest report)."""
    if submissions.empty:
        return submissions
    latest = submissions.groupby("region")["year"].transform("max")
    return submissions[submissions["year"] == latest]

