"""The coordination-meeting pack (paket rakor): a province-year's content, built once from the store for
the PDF and the workbook.

Every figure comes from the analyses the pages use (`kesbang.analysis.*`), called the way the pages call
them: the metrics of the province-year rolled up to the chosen quarter (`metrics.compute` with the
settings' rules and the RPJMD), regency scores (`regional`), reporting (`completeness`), the
Paskibraka funnel (`paskibraka.funnel`), reach and stories (`values`), the measurability audit over
every year of the province (`measurability.audit`), RPJMD alignment (`alignment.analyse`), peers to
learn from (`inspiration.missing`) and follow-ups (`Store.followups`). The pack holds codes and
numbers; the renderers translate and format them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kesbang import nomenclature, regions, schema
from kesbang.analysis import (
    alignment,
    completeness,
    indices,
    inspiration,
    measurability,
    metrics,
    paskibraka,
    regional,
    side_by_side,
    values,
)
from kesbang.dataset import Dataset

PEERS_PER_REGENCY = 3
STORIES_PER_REGENCY = 2

FUNNEL_STAGES = ("pendaftar", "ditetapkan", "dikirim_provinsi", "dikukuhkan")  # the province table's columns
SCORE_COLUMNS = ["kode_program", "nama_program", "kode_indikator", "indikator", "satuan", "target_text",
                 "realisasi", "capaian", "kategori", "capaian_lalu", "kategori_lalu", "perubahan"]


class PackError(ValueError):
    """A pack that cannot be built; `message_id` and `params` say why in the catalogue's words."""

    def __init__(self, message_id: str, **params: Any):
        super().__init__(message_id)
        self.message_id, self.params = message_id, params


class UnknownProvince(PackError):
    def __init__(self, province: str):
        super().__init__("rakor.error.unknown_province", province=province)


class NoData(PackError):
    def __init__(self, province: str, year: int):
        super().__init__("rakor.error.no_data", province=province, year=year)


@dataclass
class Report:
    """The stored version a regency's figures come from, and its review status."""
    region: str
    name: str
    version: int | None = None
    status: str | None = None
    period: str | None = None
    uploaded_at: dt.datetime | None = None


@dataclass
class RegencyPage:
    region: str
    name: str
    report: Report
    average: float | None = None
    category: str | None = None
    rank: int | None = None
    ranked: int = 0
    scorecard: pd.DataFrame = field(default_factory=pd.DataFrame)
    funnel: pd.DataFrame = field(default_factory=pd.DataFrame)
    reach: dict = field(default_factory=dict)
    stories: pd.DataFrame = field(default_factory=pd.DataFrame)
    measurability: float | None = None
    measurability_rank: int | None = None
    findings: int = 0
    gaps: pd.DataFrame = field(default_factory=pd.DataFrame)
    peers: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class Pack:
    province: str
    province_name: str
    year: int
    quarter: int
    lang: str
    data_date: dt.datetime | None
    reports: list[Report]
    key: dict
    categories: pd.DataFrame
    key_indicators: pd.DataFrame
    completeness: pd.DataFrame
    scores: pd.DataFrame
    regencies: list[RegencyPage]
    paskibraka: pd.DataFrame
    province_funnel: pd.DataFrame
    side_by_side: pd.DataFrame
    alignment_summary: dict
    alignment_gaps: pd.DataFrame
    alignment_by_region: pd.DataFrame
    league: pd.DataFrame
    followups: pd.DataFrame

    def report_of(self, region: str) -> Report | None:
        return next((r for r in self.reports if r.region == region), None)


def default_quarter(submissions: pd.DataFrame, province: str, year: int) -> int:
    """The furthest period submitted for the province-year (TW IV when none), as the sidebar's default."""
    subs = submissions[(submissions["province"] == province) & (submissions["year"] == year)]
    quarters = [schema.PERIOD_QUARTERS.get(p) for p in subs["period"].dropna()]
    return max([q for q in quarters if q], default=4)


def _reports(subs: pd.DataFrame, registry: pd.DataFrame) -> list[Report]:
    by_region = {r["region"]: r for r in subs.to_dict("records")}
    out = []
    for code, name in zip(registry["kemendagri"], registry["name"]):
        r = by_region.get(code)
        if r is None:
            out.append(Report(code, name))
            continue
        at = r.get("uploaded_at")
        out.append(Report(code, name, int(r["version"]), r.get("status") if isinstance(r.get("status"), str)
                          else "submitted", r.get("period"), at.to_pydatetime() if hasattr(at, "to_pydatetime")
                          else at))
    return out


def _scorecard(m: pd.DataFrame, before: pd.DataFrame, region: str) -> pd.DataFrame:
    """The regency's indicators with this year's capaian beside last year's (same code, same unit)."""
    mine = m[m["region"] == region]
    if mine.empty:
        return pd.DataFrame(columns=SCORE_COLUMNS)
    old = before[before["region"] == region][["kode_indikator", "satuan", "capaian", "kategori"]]
    old = old.assign(_unit=metrics.unit_key(old["satuan"])).drop_duplicates("kode_indikator")
    card = mine.assign(_unit=metrics.unit_key(mine["satuan"])).merge(
        old.rename(columns={"capaian": "capaian_lalu", "kategori": "kategori_lalu", "satuan": "_s"}),
        on="kode_indikator", how="left", suffixes=("", "_lalu"))
    same = card["_unit"] == card["_unit_lalu"]
    card["capaian_lalu"] = card["capaian_lalu"].where(same)
    card["kategori_lalu"] = card["kategori_lalu"].where(same)
    card["perubahan"] = pd.to_numeric(card["capaian"], errors="coerce") - pd.to_numeric(card["capaian_lalu"],
                                                                                        errors="coerce")
    official = card["kode_program"].map(nomenclature.name_of)
    card["nama_program"] = official.where(official.notna(), card["nama_program"])
    return card.sort_values(["kode_program", "kode_indikator"], kind="stable")[SCORE_COLUMNS].reset_index(drop=True)


def _peers(offers: pd.DataFrame, region: str) -> pd.DataFrame:
    missing = inspiration.missing(offers, region)
    return missing.head(PEERS_PER_REGENCY).reset_index(drop=True)


def _regency(code: str, name: str, ctx: dict) -> RegencyPage:
    report = ctx["report_of"][code]
    page = RegencyPage(code, name, report)
    scores, league = ctx["scores"], ctx["league"]
    row = scores[scores["region"] == code]
    if not row.empty:
        page.average = _num(row["capaian_rata"].iat[0])
        page.category = row["kategori"].iat[0] if isinstance(row["kategori"].iat[0], str) else None
        ranked = scores[scores["capaian_rata"].notna()].reset_index(drop=True)
        place = ranked.index[ranked["region"] == code]
        page.rank, page.ranked = (int(place[0]) + 1 if len(place) else None), len(ranked)
    page.scorecard = _scorecard(ctx["m"], ctx["before"], code)
    funnel = ctx["funnel"]
    page.funnel = funnel[funnel["region"] == code].reset_index(drop=True) if not funnel.empty else funnel
    reach = ctx["reach"]
    mine = reach[reach["region"] == code]
    page.reach = mine.iloc[0].to_dict() if not mine.empty else {}
    stories = ctx["stories"]
    page.stories = (stories[stories["region"] == code].head(STORIES_PER_REGENCY).reset_index(drop=True)
                    if not stories.empty else stories)
    lrow = league[league["region"] == code]
    if not lrow.empty:
        page.measurability = _num(lrow["score"].iat[0])
        page.measurability_rank = int(lrow["rank"].iat[0])
        page.findings = int(lrow["errors"].iat[0] + lrow["warnings"].iat[0])
    gaps = ctx["alignment"].regency_gaps
    page.gaps = gaps[gaps["region"] == code].reset_index(drop=True) if not gaps.empty else gaps
    page.peers = _peers(ctx["offers"], code) if code in ctx["reporting"] else pd.DataFrame()
    return page


def _num(value: Any) -> float | None:
    value = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(value) else float(value)


def _province_paskibraka(funnel: pd.DataFrame) -> pd.DataFrame:
    """Regency x the funnel's main stages (counts), with the overall rate from registrants to inaugurated."""
    cols = ["region", "name", *FUNNEL_STAGES, "rasio"]
    if funnel.empty:
        return pd.DataFrame(columns=cols)
    wide = funnel.pivot_table(index="region", columns="tahap", values="jumlah", aggfunc="sum")
    wide = wide.reindex(columns=list(FUNNEL_STAGES)).reset_index()
    wide["rasio"] = wide["dikukuhkan"] / wide["pendaftar"].where(wide["pendaftar"] > 0) * 100
    wide["name"] = wide["region"].map(regions.name_of)
    return wide[cols].sort_values("region").reset_index(drop=True)


def _alignment_by_region(res: alignment.Alignment) -> pd.DataFrame:
    """Per regency: indicators linked to the provincial RPJMD, not linked, and the share linked."""
    cols = ["region", "region_name", "linked", "gaps", "share"]
    links = res.links
    if links.empty:
        return pd.DataFrame(columns=cols)
    counted = links[links["status"].isin([alignment.LINKED, alignment.UNMAPPED, alignment.UNKNOWN_CODE])]
    g = counted.assign(linked=counted["status"] == alignment.LINKED, gaps=counted["status"] != alignment.LINKED)
    out = g.groupby(["region", "region_name"], as_index=False)[["linked", "gaps"]].sum()
    total = out["linked"] + out["gaps"]
    out["share"] = (out["linked"] / total.where(total > 0) * 100)
    return out[cols].sort_values("region").reset_index(drop=True)


def _followups(records: list[dict], year: int) -> pd.DataFrame:
    cols = ["id", "region", "region_name", "year", "indicator_code", "indicator_name", "text", "due", "status",
            "overdue", "value_at_opening", "latest_value", "last_answer"]
    rows = [{**{c: r.get(c) for c in cols if c != "last_answer"},
             "last_answer": r["answers"][-1]["text"] if r.get("answers") else None}
            for r in records if int(r["year"]) <= year]
    out = pd.DataFrame(rows, columns=cols)
    if out.empty:
        return out
    order = out["status"].map({"open": 0, "closed": 1})
    return out.assign(_o=order).sort_values(["_o", "due", "id"]).drop(columns="_o").reset_index(drop=True)


def _key_figures(m: pd.DataFrame, rep: dict, table: pd.DataFrame, quarter: int, results: pd.DataFrame,
                 res: alignment.Alignment, scores: pd.DataFrame) -> dict:
    """The overview's headline numbers, each computed as the page that shows it does."""
    pagu, spent, serapan = regional.absorption(m)
    up_to_date = int((table["reached"] >= quarter).sum()) if not table.empty else 0
    return {"expected": rep["expected"], "reporting": rep["reporting"], "missing": rep["missing"],
            "awaiting_review": rep["awaiting_review"], "up_to_date": up_to_date,
            "late": completeness.missing(table, quarter) if not table.empty else [],
            "indicators": len(m), "computable": int(m["capaian"].notna().sum()) if not m.empty else 0,
            "average": _num(m["capaian"].mean()) if not m.empty else None,
            "median_region": _num(scores["capaian_rata"].median()) if not scores.empty else None,
            "pagu": pagu, "spent": spent, "absorption": _num(serapan),
            "measurability": measurability.score_of(results),
            "cascade_share": res.summary.get("cascade_share"),
            "plan_indicators": res.summary.get("plan_indicators", 0), "covered": res.summary.get("covered", 0),
            "period": res.period}


def _key_indicators(m: pd.DataFrame, rpjmd: pd.DataFrame, rules: metrics.Rules, year: int) -> pd.DataFrame:
    """The provincial RPJMD indicators this year: the regencies' values aggregated against the plan's target."""
    progress = metrics.rpjmd_progress(m, rpjmd, rules)
    progress = progress[progress["year"] == year] if not progress.empty else progress
    progress = progress.assign(kategori=metrics.category(progress["capaian_tahun"], rules.scale).to_numpy())
    return progress.reset_index(drop=True)


def _province_dataset(store, province: str, year: int) -> tuple[Dataset, Dataset]:
    """(every year of the province, the province-year), or UnknownProvince / NoData."""
    if regions.regions_in(province).empty:
        raise UnknownProvince(province)
    whole = store.dataset(province=province)
    year_ds = whole.filter(province=province, years=[year])
    if year_ds.is_empty:
        raise NoData(province, year)
    return whole, year_ds


def build(store, province: str, year: int, period: int | None = None, lang: str = "id") -> Pack:
    """The pack of one province-year, s.d. TW `period` (default: the furthest period submitted)."""
    province = str(province).strip()
    whole, ds = _province_dataset(store, province, int(year))
    year = int(year)
    quarter = int(period) if period else default_quarter(ds.submissions, province, year)
    rules = metrics.Rules.from_settings()
    m = metrics.compute(ds.indicators, quarter, rules, rpjmd=ds.rpjmd)
    before_ds = whole.filter(province=province, years=[year - 1])
    before = metrics.compute(before_ds.indicators, 4, rules, rpjmd=before_ds.rpjmd)
    registry = regions.regions_in(province)
    scores = regional.region_scores(m, rules.scale)
    table = completeness.completeness(ds.submissions, province, year, quarter)
    results = measurability.audit(whole.indicators, whole.rpjmd, whole.submissions, year)
    league = measurability.league_table(results)
    res = alignment.analyse(whole, province, year)
    funnel = paskibraka.funnel(ds.paskibraka, by_region=True)
    reports = _reports(ds.submissions, registry)
    ctx = {"m": m, "before": before, "scores": scores, "league": league, "alignment": res, "funnel": funnel,
           "reach": values.reach(ds.nilai), "stories": values.stories(ds.nilai),
           "offers": inspiration.offerings(m, ds.nilai), "report_of": {r.region: r for r in reports},
           "reporting": set(ds.submissions["region"])}
    rep = regional.reporting(ds.submissions, province, year)
    uploaded = pd.to_datetime(ds.submissions["uploaded_at"], errors="coerce").max()
    return Pack(
        province=province, province_name=regions.province_name(province), year=year, quarter=quarter, lang=lang,
        data_date=None if pd.isna(uploaded) else uploaded.to_pydatetime(), reports=reports,
        key=_key_figures(m, rep, table, quarter, results, res, scores),
        categories=regional.category_counts(m), key_indicators=_key_indicators(m, ds.rpjmd, rules, year),
        completeness=table, scores=scores,
        regencies=[_regency(code, name, ctx) for code, name in zip(registry["kemendagri"], registry["name"])],
        paskibraka=_province_paskibraka(funnel), province_funnel=paskibraka.funnel(ds.paskibraka),
        side_by_side=side_by_side.summary(m, ds.nilai, indices.for_province(province)),
        alignment_summary=res.summary, alignment_gaps=res.provincial_gaps,
        alignment_by_region=_alignment_by_region(res), league=league,
        followups=_followups(store.followups(province=province), year))
