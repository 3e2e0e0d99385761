"""The pack as one Excel workbook: a legend sheet, then a sheet per section, every code beside its name.

Written through `kesbang.exports.tables.to_xlsx`, as every table download is: styled and frozen header
row, filters, fitted column widths, category cells in the app's palette, and text that never becomes a
formula (an operator's "=HYPERLINK(…)" stays text).
"""

from __future__ import annotations

import pandas as pd

from kesbang import nomenclature
from kesbang.analysis import paskibraka
from kesbang.charts.side_by_side import program_label
from kesbang.exports import tables
from kesbang.exports.rakor import Pack
from kesbang.exports.rakor_pdf import Writer, legend_lines

# column key -> catalogue key of its header (one label per key on every sheet)
HEADERS = {
    "region": "region", "name": "region_name", "region_name": "region_name", "kode_program": "program_code",
    "nama_program": "program", "kode_indikator": "indicator_code", "indikator": "indicator", "satuan": "unit",
    "target_text": "target", "realisasi": "realisasi", "capaian": "capaian", "kategori": "category",
    "perubahan": "change", "tahap": "stage", "jumlah": "count", "konversi": "conversion", "kind": "kind",
    "key": "item_code", "item": "item", "contact_region": "contact", "contact_name": "contact",
    "reach": "reach", "narrative": "narrative", "tema": "theme", "kegiatan": "activity",
    "peserta": "participants", "narasi": "story", "rank": "rank", "score": "score", "checks": "checks",
    "passed": "passed", "errors": "errors", "warnings": "warnings", "n_indikator": "n_indicators",
    "linked": "linked", "gaps": "gaps", "share": "share", "status": "status", "saran_kode_rpjmd": "rpjmd_code",
    "saran_indikator": "suggestion", "kode_rpjmd": "rpjmd_code", "sasaran": "sasaran",
    "pendaftar": "pendaftar", "ditetapkan": "ditetapkan", "dikirim_provinsi": "dikirim_provinsi",
    "dikukuhkan": "dikukuhkan", "rasio": "rasio", "n_kegiatan": "n_kegiatan", "n_cerita": "n_cerita",
    "rubrik_median": "rubrik", "id": "followup_id", "text": "followup_text", "due": "due", "overdue": "overdue",
    "value_at_opening": "value_at_opening", "latest_value": "latest_value", "last_answer": "last_answer",
    "year": "year", "version": "version", "review_status": "review_status", "period": "period",
    "uploaded_at": "uploaded_at", "reached": "reached", "tw1": "tw1", "tw2": "tw2", "tw3": "tw3", "tw4": "tw4",
    "figure": "figure", "value": "value", "term": "term", "meaning": "meaning", "per_10rb": "per10k",
    "capaian_rata": "avg_capaian", "indicator_code": "indicator_code", "indicator_name": "indicator",
    "program": "program_code", "program_name": "program", "contact_code": "contact_code",
    "n_regions": "n_regions", "target_tahun": "target", "metode": "method",
}


def _headers(w: Writer) -> dict[str, str]:
    out = {k: w.t(f"rakor.col.{v}") for k, v in HEADERS.items()}
    out.update(capaian_lalu=w.t("rakor.col.capaian_last", year=w.pack.year - 1),
               kategori_lalu=w.t("rakor.col.category_last", year=w.pack.year - 1),
               contact_code=w.t("rakor.col.contact_code"))
    return out


def legend(w: Writer) -> pd.DataFrame:
    pack = w.pack
    rows = [(w.t("rakor.title"), w.t("rakor.subtitle", province=pack.province_name, year=pack.year,
                                     period=w.period)),
            (w.t("rakor.col.region"), f"{pack.province} · {pack.province_name}"),
            (w.t("rakor.col.period"), f"{w.period} {pack.year}"),
            (w.t("rakor.data_date", date=""), w.date(pack.data_date))]
    rows += [(w.t("rakor.section.legend"), line) for line in legend_lines(w)]
    rows += [(w.category(c), c) for c in ("ST", "T", "S", "R", "SR")]
    return pd.DataFrame(rows, columns=["term", "meaning"])


def overview(w: Writer) -> pd.DataFrame:
    k = w.pack.key
    rows = [(w.t("rakor.overview.reporting"), f"{k['reporting']} / {k['expected']}"),
            (w.t("rakor.overview.up_to_date", period=w.period), f"{k['up_to_date']} / {k['expected']}"),
            (w.t("rakor.overview.awaiting"), k["awaiting_review"]), (w.t("rakor.overview.indicators"), k["indicators"]),
            (w.t("rakor.overview.average"), _round(k["average"])), (w.t("rakor.overview.absorption"),
                                                                    _round(k["absorption"])),
            (w.t("rakor.overview.measurability"), k["measurability"]),
            (w.t("rakor.overview.cascade"), _round(k["cascade_share"])),
            (w.t("rakor.overview.plan_covered"), f"{k['covered']} / {k['plan_indicators']}")]
    rows += [(w.category(r["kategori"]), int(r["jumlah"])) for r in w.pack.categories.to_dict("records")]
    return pd.DataFrame(rows, columns=["figure", "value"]).astype({"value": object})


def key_indicators(w: Writer) -> pd.DataFrame:
    ki = w.pack.key_indicators
    cols = ["kode_rpjmd", "indikator", "satuan", "n_regions", "realisasi", "target_tahun", "capaian", "kategori",
            "metode"]
    if ki.empty:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame({"kode_rpjmd": ki["kode_rpjmd"], "indikator": ki["indikator"], "satuan": ki["satuan"],
                         "n_regions": ki["n_regions"], "realisasi": pd.to_numeric(ki["realisasi"]).round(2),
                         "target_tahun": ki["target_tahun"], "capaian": pd.to_numeric(ki["capaian_tahun"]).round(1),
                         "kategori": [w.category(c if isinstance(c, str) else None) for c in ki["kategori"]],
                         "metode": [w.t(m) for m in ki["metode"]]})[cols]


def _round(value, digits: int = 1):
    return None if value is None or pd.isna(value) else round(float(value), digits)


def reports(w: Writer) -> pd.DataFrame:
    rows = []
    for r, c in zip(w.pack.reports, w.pack.completeness.to_dict("records")):
        rows.append({"region": r.region, "name": r.name, "version": r.version, "review_status": w.status(r.status),
                     "period": r.period or w.t("rakor.not_reported"), "uploaded_at": r.uploaded_at,
                     **{f"tw{q}": w.t(f"rakor.cell.{c[f'tw{q}']}") for q in range(1, 5)}})
    return pd.DataFrame(rows)


def scores(w: Writer) -> pd.DataFrame:
    s = w.pack.scores[["region", "name", "capaian_rata", "kategori", "n_indikator"]].copy()
    s["kategori"] = [w.category(c) if isinstance(c, str) else w.category(None) for c in s["kategori"]]
    s["capaian_rata"] = s["capaian_rata"].round(1)
    missing = [{"region": r.region, "name": r.name, "kategori": w.t("rakor.not_reported")}
               for r in w.pack.reports if r.version is None]
    return pd.concat([s, pd.DataFrame(missing)], ignore_index=True) if missing else s


def scorecards(w: Writer) -> pd.DataFrame:
    parts = []
    for page in w.pack.regencies:
        if page.scorecard.empty:
            continue
        card = page.scorecard.assign(region=page.region, name=page.name)
        for col in ("kategori", "kategori_lalu"):
            card[col] = [w.category(c) if isinstance(c, str) else None for c in card[col]]
        for col in ("capaian", "capaian_lalu", "perubahan"):
            card[col] = pd.to_numeric(card[col], errors="coerce").round(1)
        parts.append(card)
    cols = ["region", "name", "kode_program", "nama_program", "kode_indikator", "indikator", "satuan",
            "target_text", "realisasi", "capaian", "kategori", "capaian_lalu", "kategori_lalu", "perubahan"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def funnels(w: Writer) -> pd.DataFrame:
    rows = []
    for page in w.pack.regencies:
        for r in page.funnel.to_dict("records"):
            rows.append({"region": page.region, "name": page.name, "tahap": paskibraka.stage_label(r["tahap"], w.lang),
                         "jumlah": r["jumlah"], "konversi": _round(r["konversi"])})
    return pd.DataFrame(rows, columns=["region", "name", "tahap", "jumlah", "konversi"])


def values_side(w: Writer) -> pd.DataFrame:
    s = w.pack.side_by_side
    out = pd.DataFrame({"program": s["program"], "program_name": [nomenclature.name_of(p) or program_label(p, w.lang)
                                                                  for p in s["program"]]})
    for col in ("n_indikator", "capaian_rata", "n_kegiatan", "peserta", "rubrik_median", "n_cerita"):
        out[col] = pd.to_numeric(s[col], errors="coerce").round(1)
    return out


def stories(w: Writer) -> pd.DataFrame:
    rows = []
    for page in w.pack.regencies:
        rc = page.reach
        for s in page.stories.to_dict("records"):
            rows.append({"region": page.region, "name": page.name, "tema": s["tema"], "kegiatan": s["kegiatan"],
                         "peserta": s["peserta"], "per_10rb": _round(rc.get("per_10rb")), "narasi": s["narasi"]})
    return pd.DataFrame(rows, columns=["region", "name", "tema", "kegiatan", "peserta", "per_10rb", "narasi"])


def peers(w: Writer) -> pd.DataFrame:
    rows = []
    for page in w.pack.regencies:
        for p in page.peers.to_dict("records"):
            rows.append({"region": page.region, "name": page.name, "kind": w.t(f"inspirasi.kind.{p['kind']}"),
                         "key": p["key"] if not str(p["key"]).startswith("nama:") else None, "item": p["name"],
                         "contact_code": p["contact_region"], "contact_name": p["contact_name"],
                         "capaian": _round(p["capaian"]), "reach": p["reach"],
                         "narrative": p["narrative"] or p["activity"]})
    return pd.DataFrame(rows, columns=["region", "name", "kind", "key", "item", "contact_code", "contact_name",
                                       "capaian", "reach", "narrative"])


def regency_gaps(w: Writer) -> pd.DataFrame:
    parts = [p.gaps.assign(status=[w.t(f"keselarasan.status.{s}") for s in p.gaps["status"]],
                           nama_program=p.gaps["kode_program"].map(nomenclature.name_of))
             for p in w.pack.regencies if not p.gaps.empty]
    cols = ["region", "region_name", "kode_program", "nama_program", "kode_indikator", "indikator", "status",
            "saran_kode_rpjmd", "saran_indikator"]
    return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)


def followups(w: Writer) -> pd.DataFrame:
    fu = w.pack.followups.copy()
    if fu.empty:
        return fu
    fu["status"] = [w.t(f"followup.status_{s}") for s in fu["status"]]
    fu["overdue"] = [w.t("rakor.yes") if o else w.t("rakor.no") for o in fu["overdue"]]
    return fu


def render(pack: Pack) -> bytes:
    """The whole pack as .xlsx bytes."""
    w = Writer(pack)
    league = pack.league[["rank", *[c for c in pack.league.columns if c != "rank"]]]
    gaps = pack.alignment_gaps.assign(nama_program=pack.alignment_gaps["kode_program"].map(nomenclature.name_of))
    sheets = {
        "legend": legend(w), "overview": overview(w), "key_indicators": key_indicators(w), "reports": reports(w),
        "ranking": scores(w),
        "scorecard": scorecards(w), "paskibraka": pack.paskibraka, "funnels": funnels(w),
        "side_by_side": values_side(w), "stories": stories(w), "alignment": pack.alignment_by_region,
        "regency_gaps": regency_gaps(w),
        "plan_gaps": gaps.reindex(columns=["kode_rpjmd", "sasaran", "kode_program", "nama_program", "indikator",
                                           "satuan"]),
        "measurability": league, "peers": peers(w), "followups": followups(w),
    }
    frames = {w.t(f"rakor.sheet.{key}"): frame for key, frame in sheets.items()}
    return tables.to_xlsx(frames, headers=_headers(w))
