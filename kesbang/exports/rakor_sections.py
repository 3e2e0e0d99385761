"""The pack PDF's province pages: the overview, Paskibraka across regencies, values beside outputs, RPJMD
alignment, the measurability league table and the follow-ups; and the regency page's gaps and peers."""

from __future__ import annotations

import pandas as pd
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer
from reportlab.platypus import Table as Layout

from kesbang.analysis import metrics, paskibraka
from kesbang.charts import palette
from kesbang.charts.analysis import BAR
from kesbang.charts.side_by_side import program_label
from kesbang.exports.rakor_figures import funnel, hbars, light, para, table

GAP_LINES = 5


def _head(value: str, region=None, style: str = "h1"):
    p = para(value, style, limit=300)
    p.rakor_region = region
    return p


def _cat(value) -> str:
    return value if isinstance(value, str) else palette.NONE


def overview(w, width: float) -> list:
    pack, k = w.pack, w.pack.key
    story = [_head(w.t("rakor.section.overview"))]
    figures = [
        (w.t("rakor.overview.reporting"), f"{k['reporting']} / {k['expected']}"),
        (w.t("rakor.overview.up_to_date", period=w.period), f"{k['up_to_date']} / {k['expected']}"),
        (w.t("rakor.overview.awaiting"), w.num(k["awaiting_review"], 0)),
        (w.t("rakor.overview.indicators"), f"{w.num(k['indicators'], 0)} ({w.num(k['computable'], 0)})"),
        (w.t("rakor.overview.average"), w.pct(k["average"])),
        (w.t("rakor.overview.absorption"), w.pct(k["absorption"])),
        (w.t("rakor.overview.measurability"), w.pct(k["measurability"])),
        (w.t("rakor.overview.cascade"), w.pct(k["cascade_share"])),
        (w.t("rakor.overview.plan_covered"), f"{k['covered']} / {k['plan_indicators']}"),
    ]
    key_table = table([w.t("rakor.col.figure"), w.t("rakor.col.value")], [list(f) for f in figures],
                      [58 * mm, 30 * mm], align_right=(1,))
    counts = pack.categories
    bars = hbars([(w.category(r["kategori"]), float(r["jumlah"]), palette.category_color(r["kategori"]),
                   w.num(r["jumlah"], 0)) for r in counts.to_dict("records")], width - 92 * mm, label_w=30 * mm)
    right = [para(w.t("rakor.overview.categories_title"), "h2"), bars]
    if k.get("period"):
        right.append(para(w.t("rakor.overview.plan", period=k["period"]), "small"))
    top = Layout([[key_table, right]], colWidths=[92 * mm, width - 92 * mm])
    top.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    story += [top, para(w.t("rakor.overview.ranking_title", median=w.pct(k["median_region"])), "h2"),
              _ranking(w, width)]
    story += _key_indicators(w, width)
    story += _completeness(w, width)
    return story


def _key_indicators(w, width: float) -> list:
    """The provincial RPJMD indicators: the regencies' aggregate against this year's plan target."""
    ki = w.pack.key_indicators
    if ki.empty:
        return []
    header = [w.t(f"rakor.col.{c}") for c in ("rpjmd_code", "indicator", "unit", "n_regions", "realisasi",
                                               "target", "capaian", "light")]
    rows, fills = [], []
    for i, r in enumerate(ki.to_dict("records")):
        code = _cat(r["kategori"])
        rows.append([r["kode_rpjmd"], r["indikator"], r["satuan"], w.num(r["n_regions"], 0), w.num(r["realisasi"]),
                     r["target_tahun"] or "—", w.pct(r["capaian_tahun"]),
                     light(code, code if code != palette.NONE else "—")])
        fills.append((7, i, code))
    return [para(w.t("rakor.overview.key_title", year=w.pack.year), "h2"),
            table(header, rows, [24 * mm, 72 * mm, 16 * mm, 14 * mm, 16 * mm, 20 * mm, 12 * mm, 10 * mm], fills,
                  align_right=(3, 4, 6))]


def _ranking(w, width: float):
    by_region = {r["region"]: r for r in w.pack.scores.to_dict("records")}
    rows = []
    for rec in w.pack.scores.to_dict("records"):
        rows.append((rec["name"], _num(rec["capaian_rata"]), palette.category_color(_cat(rec["kategori"])),
                     w.pct(rec["capaian_rata"])))
    for r in w.pack.reports:  # a regency that did not report still has a row, marked as such
        if r.region not in by_region:
            rows.append((r.name, None, palette.CATEGORY_COLORS[palette.NONE], w.t("rakor.not_reported")))
    return hbars(rows, width, top=max([v for _, v, _, _ in rows if v is not None] + [100.0]),
                 median=w.pack.key["median_region"])


def _completeness(w, width: float) -> list:
    pack, k = w.pack, w.pack.key
    story = [para(w.t("rakor.overview.completeness_title"), "h2")]
    header = [w.t("rakor.col.region_name"), *(w.t(f"rakor.col.tw{q}") for q in range(1, 5)),
              w.t("rakor.col.version"), w.t("rakor.col.review_status")]
    rows = []
    for rec, rep in zip(pack.completeness.to_dict("records"), pack.reports):
        rows.append([rec["name"], *(w.t(f"rakor.cell.{rec[f'tw{q}']}") for q in range(1, 5)),
                     rep.version or "—", w.status(rep.status)])
    story.append(table(header, rows, [46 * mm, 24 * mm, 24 * mm, 24 * mm, 24 * mm, 12 * mm, 28 * mm]))
    names = {r.region: r.name for r in pack.reports}
    if k["missing"]:
        story.append(para(w.t("rakor.overview.missing", names=", ".join(k["missing"])), "small"))
    if k["late"]:
        story.append(para(w.t("rakor.overview.late", period=w.period,
                              names=", ".join(names.get(c, c) for c in k["late"])), "small"))
    if not k["missing"] and not k["late"]:
        story.append(para(w.t("rakor.overview.all_in", period=w.period), "small"))
    return story


def blank(value, missing: str = "—") -> str:
    """Text from a frame cell: a missing value (None, NaN) is `missing`, never the word "nan"."""
    return missing if value is None or (isinstance(value, float) and pd.isna(value)) or str(value) == "" \
        else str(value)


def _num(value):
    v = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(v) else float(v)


def regency_gaps(w, page) -> list:
    """The regency's indicators that feed no provincial RPJMD indicator, one short line each."""
    out = [para(w.t("rakor.regency.gaps_title"), "h2")]
    if page.gaps.empty:
        return out + [para(w.t("rakor.regency.no_gaps"), "small")]
    for g in page.gaps.head(GAP_LINES).to_dict("records"):
        hint = " · ".join(x for x in (g.get("saran_kode_rpjmd"), g.get("saran_indikator")) if isinstance(x, str))
        status = w.t(f"keselarasan.status.{g['status']}")
        line = f"{g['kode_indikator']} {g['indikator']} ({status})"
        out.append(para(line + (f" → {w.t('rakor.col.suggestion')}: {hint}" if hint else ""), "cell", 180))
    if len(page.gaps) > GAP_LINES:
        out.append(para(w.t("rakor.regency.more", n=len(page.gaps) - GAP_LINES), "cell"))
    return out


def regency_peers(w, page) -> list:
    """Two or three things peers run and this regency does not, each with the peer to contact."""
    out = [para(w.t("rakor.regency.peers_title"), "h2")]
    if page.peers.empty:
        return out + [para(w.t("rakor.regency.no_peers"), "small")]
    for p in page.peers.to_dict("records"):
        figure = (w.pct(p["capaian"]) if _num(p["capaian"]) is not None
                  else f"{w.num(p['reach'], 0)} {w.t('rakor.col.participants').lower()}")
        line = w.t("rakor.regency.peer_line", kind=w.t(f"inspirasi.kind.{p['kind']}"), name=p["name"],
                   contact=p["contact_name"], figure=figure)
        story = blank(p["narrative"], "") or blank(p["activity"], "")
        out.append(para(f"• {line}" + (f": {story}" if story else ""), "small", 220))
    return out


def province(w, width: float) -> list:
    return [*_paskibraka(w, width), *_side_by_side(w, width), *_alignment(w, width), *_league(w, width),
            *_followups(w, width)]


def _paskibraka(w, width: float) -> list:
    pack = w.pack
    story = [PageBreak(), _head(w.t("rakor.section.paskibraka"))]
    if pack.paskibraka.empty:
        return story + [para(w.t("rakor.province.no_paskibraka"))]
    story.append(para(w.t("rakor.province.paskibraka_note"), "small"))
    cols = ["pendaftar", "ditetapkan", "dikirim_provinsi", "dikukuhkan"]
    rows = [[r["name"], *(w.num(r[c], 0) for c in cols), w.pct(r["rasio"])] for r in pack.paskibraka.to_dict("records")]
    header = [w.t("rakor.col.region_name"), *(w.t(f"rakor.col.{c}") for c in cols), w.t("rakor.col.rasio")]
    story.append(table(header, rows, [50 * mm, 24 * mm, 24 * mm, 26 * mm, 24 * mm, 20 * mm],
                       align_right=(1, 2, 3, 4, 5)))
    story.append(para(w.t("rakor.province.paskibraka_chart"), "h2"))
    story.append(hbars([(r["name"], _num(r["rasio"]), palette.CATEGORY_COLORS["ST"], w.pct(r["rasio"]))
                        for r in pack.paskibraka.to_dict("records")], width))
    f = pack.province_funnel
    story.append(para(w.t("rakor.regency.funnel_title", year=pack.year) + f" · {pack.province_name}", "h2"))
    story.append(funnel([(paskibraka.stage_label(r["tahap"], w.lang), _num(r["jumlah"]), w.num(r["jumlah"], 0))
                         for r in f.to_dict("records")], width * 0.7))
    return story


def _side_by_side(w, width: float) -> list:
    s = w.pack.side_by_side
    story = [PageBreak(), _head(w.t("rakor.section.side_by_side")), para(w.t("rakor.province.side_note"), "small")]
    labels = [program_label(p, w.lang) for p in s["program"]]
    cap = hbars([(lab, _num(r["capaian_rata"]), palette.category_color(_cat(_category(r["capaian_rata"]))),
                  w.pct(r["capaian_rata"])) for lab, r in zip(labels, s.to_dict("records"))], width / 2 - 3 * mm,
                top=110.0, bar_h=12, label_w=34 * mm)
    peserta = hbars([(lab, _num(r["peserta"]), "#0072B2", w.num(r["peserta"], 0)) for lab, r in
                     zip(labels, s.to_dict("records"))], width / 2 - 3 * mm, bar_h=12, label_w=34 * mm)
    both = Layout([[para(w.t("rakor.province.side_chart_capaian"), "h2"),
                    para(w.t("rakor.province.side_chart_peserta"), "h2")], [cap, peserta]],
                  colWidths=[width / 2, width / 2])
    both.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    header = [w.t("rakor.col.program_code"), w.t("rakor.col.program"), w.t("rakor.col.n_indicators"),
              w.t("rakor.col.avg_capaian"), w.t("rakor.col.n_kegiatan"), w.t("rakor.col.participants"),
              w.t("rakor.col.rubrik"), w.t("rakor.col.n_cerita")]
    rows = [[r["program"], lab, w.num(r["n_indikator"], 0), w.pct(r["capaian_rata"]), w.num(r["n_kegiatan"], 0),
             w.num(r["peserta"], 0), w.num(r["rubrik_median"], 1), w.num(r["n_cerita"], 0)]
            for lab, r in zip(labels, s.to_dict("records"))]
    return story + [both, Spacer(1, 6), table(header, rows, [16 * mm, 58 * mm, 16 * mm, 22 * mm, 18 * mm, 18 * mm,
                                                          16 * mm, 14 * mm], align_right=(2, 3, 4, 5, 6, 7))]


def _category(value):
    """The category of a program's average, on the settings' scale (as the side-by-side chart colours it)."""
    v = _num(value)
    return None if v is None else metrics.category(pd.Series([v]), metrics.Rules.from_settings().scale).iat[0]


def _alignment(w, width: float) -> list:
    pack, s = w.pack, w.pack.alignment_summary
    story = [CondPageBreak(90 * mm), _head(w.t("rakor.section.alignment"), style="h1"),
             para(w.t("rakor.province.alignment_note", linked=s.get("linked", 0), rows=s.get("regency_rows", 0),
                      covered=s.get("covered", 0), plan=s.get("plan_indicators", 0)), "small")]
    a = pack.alignment_by_region
    rows = [[r["region"], r["region_name"], w.num(r["linked"], 0), w.num(r["gaps"], 0), w.pct(r["share"])]
            for r in a.to_dict("records")]
    story.append(table([w.t("rakor.col.region"), w.t("rakor.col.region_name"), w.t("rakor.col.linked"),
                        w.t("rakor.col.gaps"), w.t("rakor.col.share")], rows,
                       [20 * mm, 60 * mm, 24 * mm, 28 * mm, 24 * mm], align_right=(2, 3, 4)))
    story.append(para(w.t("rakor.province.alignment_gaps_title"), "h2"))
    g = pack.alignment_gaps
    if g.empty:
        return story + [para(w.t("rakor.province.no_alignment_gaps"), "small")]
    rows = [[r["kode_rpjmd"], r["sasaran"], r["kode_program"], r["indikator"], r["satuan"]]
            for r in g.to_dict("records")]
    return story + [table([w.t("rakor.col.rpjmd_code"), w.t("rakor.col.sasaran"), w.t("rakor.col.program_code"),
                           w.t("rakor.col.indicator"), w.t("rakor.col.unit")], rows,
                          [26 * mm, 56 * mm, 20 * mm, 62 * mm, width - 164 * mm])]


def _league(w, width: float) -> list:
    lg = w.pack.league
    story = [PageBreak(), _head(w.t("rakor.section.measurability")), para(w.t("rakor.province.league_note"), "small")]
    if lg.empty:
        return story + [para(w.t("rakor.regency.no_measurability"), "small")]
    story.append(para(w.t("rakor.province.league_chart"), "h2"))
    story.append(hbars([(r["region_name"], _num(r["score"]), BAR, w.pct(r["score"])) for r in lg.to_dict("records")],
                       width, top=100.0))
    rows = [[r["rank"], r["region_name"], w.num(r["n_indikator"], 0), w.num(r["checks"], 0), w.num(r["passed"], 0),
             w.pct(r["score"]), w.num(r["errors"], 0), w.num(r["warnings"], 0)] for r in lg.to_dict("records")]
    header = [w.t(f"rakor.col.{c}") for c in ("rank", "region_name", "n_indicators", "checks", "passed", "score",
                                               "errors", "warnings")]
    return story + [Spacer(1, 6), table(header, rows, [16 * mm, 54 * mm, 18 * mm, 22 * mm, 18 * mm, 18 * mm, 20 * mm,
                                                    20 * mm], align_right=(0, 2, 3, 4, 5, 6, 7))]


def _followups(w, width: float) -> list:
    fu = w.pack.followups
    story = [CondPageBreak(70 * mm), _head(w.t("rakor.section.followups")), para(w.t("rakor.province.followups_note"),
                                                                                 "small")]
    if fu.empty:
        return story + [para(w.t("rakor.province.no_followups"), "small")]
    n_open = int((fu["status"] == "open").sum())
    story.append(para(w.t("rakor.province.followups_count", open=n_open, overdue=int(fu["overdue"].sum()),
                          closed=len(fu) - n_open), "small"))
    rows = [[r["id"], r["region_name"], f"{r['indicator_code']} {blank(r['indicator_name'], '')}", r["text"],
             w.date(r["due"]), w.t(f"followup.status_{r['status']}") + (f" ({w.t('followup.overdue')})"
                                                                         if r["overdue"] else ""),
             blank(r["last_answer"])] for r in fu.to_dict("records")]
    header = [w.t(f"rakor.col.{c}") for c in ("followup_id", "region_name", "indicator", "followup_text", "due",
                                               "status", "last_answer")]
    return story + [table(header, rows, [10 * mm, 28 * mm, 40 * mm, 40 * mm, 20 * mm, 22 * mm, width - 160 * mm])]
