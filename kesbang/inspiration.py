"""Program inspiration: what runs in other regencies but not here, ranked by the peers' results.

"A program we lack may already run in another regency, and can inspire us." For one regency this
module lists the programs, sub-kegiatan, values themes and values activities its peers run and it
does not, each with the peer to contact (the best result), that peer's narrative and evidence (plain
text), and the figures it was ranked by: achievement (median capaian), reach (participants) and cost
per output. `who_does_what` gives the program/sub-kegiatan/theme x regency matrix.

Matching: by nomenclature code first (old two-digit sub-kegiatan codes normalised); by name (rapidfuzz)
only where one side has no code, because sub-kegiatan 0001-0005 carry the same names in every program
and a name match across programs would hide a real gap.
"""

from __future__ import annotations

import math

import pandas as pd

from kesbang import metrics, nomenclature, regions
from kesbang.matching import fold_name, name_score, text

KINDS = ("program", "subkegiatan", "tema", "kegiatan_nilai")
NAME_MATCH_MIN = 85.0  # two names at or above this score are taken as the same program/activity

OFFER_COLUMNS = ["kind", "key", "coded", "name", "region", "region_name", "n_rows", "capaian", "reach",
                 "cost_per_output", "rubrik", "activity", "narrative", "evidence"]
MISSING_COLUMNS = ["rank", "kind", "key", "name", "n_peers", "peers", "contact_region", "contact_name",
                   "capaian", "reach", "cost_per_output", "rubrik", "activity", "narrative", "evidence"]


def _median(values: pd.Series) -> float:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return float(v.median()) if not v.empty else math.nan


def _sum(values: pd.Series) -> float:
    v = pd.to_numeric(values, errors="coerce").dropna()
    return float(v.sum()) if not v.empty else math.nan


def _first(values) -> str:
    for v in values:
        if text(v):
            return text(v)
    return ""


def _code(value: object) -> str | None:
    return nomenclature.normalise_code(text(value)) if text(value) else None


def _best_activity(acts: pd.DataFrame) -> dict:
    """The activity to show for a group: highest rubric level, then most participants, with a story."""
    if acts.empty:
        return {}
    ranked = acts.assign(_r=pd.to_numeric(acts["rubrik"], errors="coerce").fillna(0),
                         _p=pd.to_numeric(acts["peserta"], errors="coerce").fillna(0),
                         _n=acts["narasi"].map(lambda v: 1 if text(v) else 0))
    return ranked.sort_values(["_n", "_r", "_p"], ascending=False).iloc[0].to_dict()


def offerings(indicators: pd.DataFrame, nilai: pd.DataFrame) -> pd.DataFrame:
    """One row per (kind, item, regency) that runs it, with that regency's results for the item.

    `indicators` may already carry metrics (capaian, biaya_per_unit); otherwise they are computed here.
    """
    ind = indicators
    if not ind.empty and "capaian" not in ind:
        ind = metrics.compute(ind)
    rows: list[dict] = []
    names: dict[str, str] = {}

    def region_name(code: str) -> str:
        if code not in names:
            names[code] = regions.name_of(code)
        return names[code]

    acts = nilai.copy() if not nilai.empty else nilai
    if not acts.empty:
        acts["_sub"] = acts["kode_subkegiatan"].map(_code)
        acts["_prog"] = acts["_sub"].map(lambda c: nomenclature.program_of(c) if c else None)

    if not ind.empty:
        frame = ind.assign(_prog=ind["kode_program"].map(_code), _sub=ind["kode_subkegiatan"].map(_code))
        for kind, col in (("program", "_prog"), ("subkegiatan", "_sub")):
            part = frame if kind == "program" else frame[frame["level"].astype(object) == "subkegiatan"]
            for (region, key), g in part.groupby(["region", part[col].fillna("")], sort=True):
                coded = bool(key)
                if not coded:
                    # an uncoded row stands for itself, under its own name
                    for rec in g.to_dict("records"):
                        rows.append(_indicator_offer(kind, rec, region, region_name(region), acts))
                    continue
                name = nomenclature.name_of(key) or _first(g["nama_program"])
                related = (acts[(acts["region"] == region) & (acts[col] == key)]
                           if not acts.empty else acts)
                best = _best_activity(related) if not related.empty else {}
                rows.append({
                    "kind": kind, "key": key, "coded": True, "name": name, "region": region,
                    "region_name": region_name(region), "n_rows": len(g), "capaian": _median(g["capaian"]),
                    "reach": _sum(related["peserta"]) if not related.empty else math.nan,
                    "cost_per_output": _median(g["biaya_per_unit"]) if "biaya_per_unit" in g else math.nan,
                    "rubrik": _median(related["rubrik"]) if not related.empty else math.nan,
                    "activity": text(best.get("kegiatan")),
                    "narrative": text(best.get("narasi")) or _first(g["faktor_pendorong"]),
                    "evidence": text(best.get("data_dukung")) or _first(g["data_dukung"]),
                })

    if not acts.empty:
        for (region, tema), g in acts.groupby(["region", "tema"], sort=True):
            rows.append(_activity_offer("tema", text(tema), True, text(tema), region, region_name(region), g))
        acts = acts.assign(_fold=acts["kegiatan"].map(fold_name))
        for (region, folded), g in acts[acts["_fold"] != ""].groupby(["region", "_fold"], sort=True):
            name = text(g["kegiatan"].iloc[0])
            rows.append(_activity_offer("kegiatan_nilai", f"nama:{folded}", False, name, region,
                                        region_name(region), g))
    return pd.DataFrame(rows, columns=OFFER_COLUMNS)


def _activity_offer(kind: str, key: str, coded: bool, name: str, region: str, region_name: str,
                    g: pd.DataFrame) -> dict:
    best = _best_activity(g)
    return {"kind": kind, "key": key, "coded": coded, "name": name, "region": region,
            "region_name": region_name, "n_rows": len(g), "capaian": math.nan, "reach": _sum(g["peserta"]),
            "cost_per_output": math.nan, "rubrik": _median(g["rubrik"]),
            "activity": text(best.get("kegiatan")), "narrative": text(best.get("narasi")),
            "evidence": text(best.get("data_dukung"))}


def _indicator_offer(kind: str, rec: dict, region: str, region_name: str, acts: pd.DataFrame) -> dict:
    name = text(rec.get("nama_program")) or text(rec.get("indikator"))
    return {"kind": kind, "key": f"nama:{fold_name(name)}", "coded": False, "name": name, "region": region,
            "region_name": region_name, "n_rows": 1, "capaian": _median(pd.Series([rec.get("capaian")])),
            "reach": math.nan, "cost_per_output": _median(pd.Series([rec.get("biaya_per_unit")])),
            "rubrik": math.nan, "activity": "", "narrative": text(rec.get("faktor_pendorong")),
            "evidence": text(rec.get("data_dukung"))}


def _present(item: dict, own: pd.DataFrame) -> bool:
    """Does the regency (its offers `own`, same kind) already run `item`? Code first, name second."""
    if item["coded"] and item["key"] in set(own["key"]):
        return True
    # a name comparison only where one side has no code (see the module docstring)
    candidates = own["name"] if not item["coded"] else own.loc[~own["coded"].astype(bool), "name"]
    return any(name_score(item["name"], c) >= NAME_MATCH_MIN for c in candidates)


def missing(offers: pd.DataFrame, region: str, kinds: tuple[str, ...] = KINDS) -> pd.DataFrame:
    """What peers run and `region` does not, one row per item, best first.

    Best = the peer with the highest achievement, then the widest reach, then the lowest cost per
    output; items are ranked by their best peer on the same keys, then by how many peers run them.
    """
    if offers.empty:
        return pd.DataFrame(columns=MISSING_COLUMNS)
    rows = []
    for kind in kinds:
        of_kind = offers[offers["kind"] == kind]
        own = of_kind[of_kind["region"] == region]
        peers = of_kind[of_kind["region"] != region]
        for key, g in peers.groupby("key", sort=True):
            item = {"key": key, "coded": bool(g["coded"].iloc[0]), "name": g["name"].iloc[0]}
            if _present(item, own):
                continue
            ranked = g.assign(_c=g["capaian"].fillna(-1), _r=g["reach"].fillna(-1),
                              _k=g["cost_per_output"].fillna(math.inf))
            best = ranked.sort_values(["_c", "_r", "_k", "region"],
                                      ascending=[False, False, True, True]).iloc[0]
            rows.append({"kind": kind, "key": key, "name": item["name"], "n_peers": g["region"].nunique(),
                         "peers": ", ".join(sorted(g["region_name"].unique())),
                         "contact_region": best["region"], "contact_name": best["region_name"],
                         "capaian": best["capaian"], "reach": best["reach"],
                         "cost_per_output": best["cost_per_output"], "rubrik": best["rubrik"],
                         "activity": best["activity"], "narrative": best["narrative"],
                         "evidence": best["evidence"]})
    out = pd.DataFrame(rows, columns=MISSING_COLUMNS)
    if out.empty:
        return out
    out = out.assign(_c=out["capaian"].fillna(-1), _r=out["reach"].fillna(-1),
                     _k=out["cost_per_output"].fillna(math.inf))
    out = out.sort_values(["_c", "_r", "_k", "n_peers", "key"], ascending=[False, False, True, False, True])
    out = out.drop(columns=["_c", "_r", "_k"]).reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    return out[MISSING_COLUMNS]


def who_does_what(offers: pd.DataFrame, kind: str, regions_order: list[str] | None = None) -> pd.DataFrame:
    """Items of one kind (rows, "code · name") x regencies (columns, names): rows reported, 0 = not run."""
    part = offers[offers["kind"] == kind] if not offers.empty else offers
    if part.empty:
        return pd.DataFrame()
    label = part.apply(lambda r: f"{r['key']} · {r['name']}" if r["coded"] and r["key"] != r["name"]
                       else r["name"], axis=1)
    matrix = part.assign(_label=label).pivot_table(index="_label", columns="region", values="n_rows",
                                                   aggfunc="sum", fill_value=0)
    cols = list(dict.fromkeys([*(regions_order or []), *matrix.columns]))
    matrix = matrix.reindex(columns=cols, fill_value=0).astype(int)
    matrix.columns = [regions.name_of(c) for c in matrix.columns]
    matrix.index.name, matrix.columns.name = None, None
    return matrix
