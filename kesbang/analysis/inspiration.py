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

from kesbang import nomenclature, regions
from kesbang.analysis import metrics
from kesbang.analysis.matching import fold_name, name_score, text

KINDS = ("program", "subkegiatan", "tema", "kegiatan_nilai")
NAME_MATCH_MIN = 85.0  # two names at or above this score are taken as the same program/activity

OFFER_COLUMNS = ["kind", "key", "coded", "name", "region", "region_name", "n_rows", "capaian", "reach",
                 "cost_per_output", "rubrik", "activity", "narrative", "evidence"]
MISSING_COLUMNS = ["rank", "kind", "key", "name", "n_peers", "peers", "contact_region", "contact_name",
                   "capaian", "reach", "cost_per_output", "rubrik", "activity", "narrative", "evidence"]


def _codes(values: pd.Series) -> pd.Series:
    """Normalised nomenclature codes (None where blank or not a code); each distinct spelling parsed once."""
    lookup = {v: (nomenclature.normalise_code(text(v)) if text(v) else None) for v in values.dropna().unique()}
    return values.map(lookup).astype(object).where(values.notna(), None)


def _blank_to_nan(values: pd.Series) -> pd.Series:
    """Text with blanks as NaN, so groupby's `first` picks the first non-empty text."""
    s = values.astype(object).where(values.notna(), None).map(lambda v: text(v) or None)
    return s.astype(object)


def _activity_results(acts: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of values activities: participants, median rubric, and the activity to show (one with a
    story first, then the highest rubric level, then the most participants)."""
    ranked = acts.assign(_r=pd.to_numeric(acts["rubrik"], errors="coerce"),
                         _p=pd.to_numeric(acts["peserta"], errors="coerce"),
                         _n=acts["narasi"].map(lambda v: 1 if text(v) else 0))
    agg = ranked.groupby(keys, sort=True).agg(n_rows=("_p", "size"), reach=("_p", "sum"),
                                              _counted=("_p", "count"), rubrik=("_r", "median"))
    agg.loc[agg["_counted"] == 0, "reach"] = math.nan  # nobody counted is "unknown", not zero
    best = (ranked.assign(_r0=ranked["_r"].fillna(0), _p0=ranked["_p"].fillna(0))
            .sort_values(["_n", "_r0", "_p0"], ascending=False, kind="stable")
            .drop_duplicates(keys).set_index(keys))
    agg["activity"] = best["kegiatan"].map(text)
    agg["narrative"] = best["narasi"].map(text)
    agg["evidence"] = best["data_dukung"].map(text)
    agg["first_name"] = best["kegiatan"].map(text)
    return agg.drop(columns="_counted")


def offerings(indicators: pd.DataFrame, nilai: pd.DataFrame) -> pd.DataFrame:
    """One row per (kind, item, regency) that runs it, with that regency's results for the item.

    `indicators` may already carry metrics (capaian, biaya_per_unit); otherwise they are computed here.
    Grouped aggregations, not a loop per group: the page computes this for a whole province at once.
    """
    ind = indicators
    if not ind.empty and "capaian" not in ind:
        ind = metrics.compute(ind)
    parts: list[pd.DataFrame] = []

    acts = nilai.copy() if not nilai.empty else nilai
    if not acts.empty:
        acts["_sub"] = _codes(acts["kode_subkegiatan"])
        acts["_prog"] = acts["_sub"].map(lambda c: nomenclature.program_of(c) if c else None)

    if not ind.empty:
        frame = ind.assign(_prog=_codes(ind["kode_program"]), _sub=_codes(ind["kode_subkegiatan"]),
                           _capaian=pd.to_numeric(ind["capaian"], errors="coerce"),
                           _cost=pd.to_numeric(ind.get("biaya_per_unit"), errors="coerce")
                           if "biaya_per_unit" in ind else math.nan,
                           _nama=_blank_to_nan(ind["nama_program"]),
                           _pendorong=_blank_to_nan(ind["faktor_pendorong"]),
                           _dukung=_blank_to_nan(ind["data_dukung"]))
        for kind, col in (("program", "_prog"), ("subkegiatan", "_sub")):
            part = frame if kind == "program" else frame[frame["level"].astype(object) == "subkegiatan"]
            coded = part[part[col].notna()]
            if not coded.empty:
                g = coded.groupby(["region", col], sort=True).agg(
                    n_rows=("_capaian", "size"), capaian=("_capaian", "median"), cost_per_output=("_cost", "median"),
                    nama=("_nama", "first"), pendorong=("_pendorong", "first"), dukung=("_dukung", "first"))
                g.index.names = ["region", "key"]
                if not acts.empty and acts[col].notna().any():
                    related = _activity_results(acts[acts[col].notna()], ["region", col])
                    related.index.names = ["region", "key"]
                    g = g.join(related[["reach", "rubrik", "activity", "narrative", "evidence"]], how="left")
                else:
                    g = g.assign(reach=math.nan, rubrik=math.nan, activity="", narrative="", evidence="")
                g = g.reset_index()
                # the nomenclature names the item; the operator's own wording only when the code is unknown
                official = {k: nomenclature.name_of(k) for k in g["key"].unique()}
                g["name"] = [official[k] or text(n) or k for k, n in zip(g["key"], g["nama"])]
                g["narrative"] = [text(a) or text(b) for a, b in zip(g["narrative"], g["pendorong"])]
                g["evidence"] = [text(a) or text(b) for a, b in zip(g["evidence"], g["dukung"])]
                g["activity"] = g["activity"].map(text)
                parts.append(g.assign(kind=kind, coded=True))
            for rec in part[part[col].isna()].to_dict("records"):
                # an uncoded row stands for itself, under its own name
                parts.append(pd.DataFrame([_indicator_offer(kind, rec)]))

    if not acts.empty:
        themes = _activity_results(acts, ["region", "tema"]).reset_index()
        themes["key"] = themes["tema"].map(text)
        parts.append(themes.assign(kind="tema", coded=True, name=themes["key"], capaian=math.nan,
                                   cost_per_output=math.nan))
        acts = acts.assign(_fold=acts["kegiatan"].map(fold_name))
        named = acts[acts["_fold"] != ""]
        if not named.empty:
            by_name = _activity_results(named, ["region", "_fold"]).reset_index()
            parts.append(by_name.assign(kind="kegiatan_nilai", coded=False, key="nama:" + by_name["_fold"],
                                        name=by_name["first_name"], capaian=math.nan, cost_per_output=math.nan))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=OFFER_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    names = {c: regions.name_of(c) for c in out["region"].unique()}
    out["region_name"] = out["region"].map(names)
    for c in ("activity", "narrative", "evidence"):
        out[c] = out[c].map(text)
    return out.reindex(columns=OFFER_COLUMNS)


def _indicator_offer(kind: str, rec: dict) -> dict:
    name = text(rec.get("nama_program")) or text(rec.get("indikator"))
    return {"kind": kind, "key": f"nama:{fold_name(name)}", "coded": False, "name": name, "region": rec["region"],
            "n_rows": 1, "capaian": rec.get("_capaian"), "reach": math.nan, "cost_per_output": rec.get("_cost"),
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
