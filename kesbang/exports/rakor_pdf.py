"""The pack as an A4 PDF (reportlab): cover, province overview, one page per regency, province sections.

Every page's foot carries the page number, the date of the data and the version and review status of
the reports it shows (a regency page: that regency's; the other pages: every regency's, in short).
Text comes from the catalogue (`[rakor]`) in the pack's language; figures come from the pack as built.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Spacer
from reportlab.platypus import Table as Layout

from kesbang import formatting, i18n
from kesbang.analysis import metrics, paskibraka
from kesbang.charts import palette
from kesbang.exports import rakor_sections as sections
from kesbang.exports.rakor import Pack, RegencyPage
from kesbang.exports.rakor_figures import funnel, light, para, styles, table, text

MARGIN = 11 * mm
WIDTH = A4[0] - 2 * MARGIN
FOOT_H = 13 * mm
SCORECARD_ROWS = 42  # a regency page holds this many indicators; the workbook holds every one


class Writer:
    """Text and numbers in the pack's language."""

    def __init__(self, pack: Pack):
        self.pack, self.lang = pack, pack.lang
        self.period = f"TW {metrics_roman(pack.quarter)}"

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)

    def pct(self, value) -> str:
        return formatting.format_percent(value, self.lang)

    def num(self, value, decimals: int = 2) -> str:
        return formatting.format_number(value, self.lang, decimals)

    def date(self, value) -> str:
        return formatting.format_date(value, self.lang)

    def category(self, code) -> str:
        return palette.category_label(code, self.lang)

    def status(self, code) -> str:
        return self.t(f"store.status.{code}") if code else self.t("rakor.not_reported")


def metrics_roman(q: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV"}.get(int(q), str(q))


class _Doc(BaseDocTemplate):
    """Tracks which regency the page shows, for its foot (a heading flowable carries `rakor_region`)."""

    def __init__(self, buf, w: Writer, **kw):
        super().__init__(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=MARGIN + FOOT_H, **kw)
        self.w, self.region = w, None
        frame = Frame(MARGIN, MARGIN + FOOT_H, WIDTH, A4[1] - 2 * MARGIN - FOOT_H, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._foot)])

    def afterFlowable(self, flowable):
        if hasattr(flowable, "rakor_region"):
            self.region = flowable.rakor_region

    def _foot(self, canvas, doc):
        w, pack = self.w, self.w.pack
        s = styles()["footer"]
        canvas.saveState()
        canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
        canvas.line(MARGIN, MARGIN + FOOT_H - 2 * mm, A4[0] - MARGIN, MARGIN + FOOT_H - 2 * mm)
        head = (f"{text(w.t('rakor.title'))} · {text(pack.province_name)} {pack.year} · "
                f"{text(w.t('rakor.upto', period=w.period))} · "
                f"{text(w.t('rakor.data_date', date=w.date(pack.data_date)))}")
        page = text(w.t("rakor.page", n=doc.page))
        line = Layout([[Paragraph(head, s), Paragraph(f"<para alignment='right'>{page}</para>", s)]],
                      colWidths=[WIDTH - 30 * mm, 30 * mm])
        line.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        line.wrapOn(canvas, WIDTH, 10)
        line.drawOn(canvas, MARGIN, MARGIN + FOOT_H - 7 * mm)
        versions = Paragraph(text(_versions_line(w, self.region), 2000), s)
        versions.wrapOn(canvas, WIDTH, FOOT_H)
        versions.drawOn(canvas, MARGIN, MARGIN + FOOT_H - 8 * mm - versions.height)
        canvas.restoreState()


def _versions_line(w: Writer, region: str | None) -> str:
    reports = [r for r in w.pack.reports if region is None or r.region == region]
    parts = []
    for r in reports:
        if r.version is None:
            parts.append(f"{r.region} {w.t('rakor.not_reported')}")
        else:
            parts.append(w.t("rakor.version_line", code=r.region, version=r.version, status=w.status(r.status))
                         + (f" ({r.period})" if region else ""))
    return f"{w.t('rakor.versions')}: " + " · ".join(parts)


def heading(value: str, region: str | None, style: str = "h1") -> Paragraph:
    p = para(value, style, limit=300)
    p.rakor_region = region
    return p


def cover(w: Writer) -> list:
    pack = w.pack
    today = dt.date.today()
    story = [Spacer(1, 40 * mm), heading(w.t("rakor.title"), None, "title"),
             para(w.t("rakor.subtitle", province=pack.province_name, year=pack.year, period=w.period), "subtitle"),
             para(w.t("rakor.data_date", date=w.date(pack.data_date)), "body"),
             para(w.t("rakor.prepared", date=w.date(today)), "body"), Spacer(1, 10 * mm),
             para(w.t("rakor.contents"), "h2")]
    for key in ("overview", "regencies", "paskibraka", "side_by_side", "alignment", "measurability", "followups"):
        story.append(para(f"• {w.t(f'rakor.section.{key}')}", "body"))
    story += [Spacer(1, 8 * mm), para(w.t("rakor.section.legend"), "h2")]
    story += [para(line, "small") for line in legend_lines(w)]
    return story


def legend_lines(w: Writer) -> list[str]:
    st_, t_, s_, r_ = metrics.Rules.from_settings().scale
    return [w.t("rakor.legend.capaian"),
            w.t("rakor.legend.category", st=w.num(st_), t=w.num(t_), s=w.num(s_), r=w.num(r_)),
            w.t("rakor.legend.blank"),
            w.t("rakor.legend.period", period=w.period, year=w.pack.year, last_year=w.pack.year - 1),
            w.t("rakor.legend.source")]


def regency_page(w: Writer, page: RegencyPage) -> list:
    pack = w.pack
    story = [PageBreak(), heading(w.t("rakor.regency.heading", name=page.name, code=page.region), page.region)]
    if page.report.version is None:
        return story + [para(w.t("rakor.regency.not_reported", year=pack.year))]
    r = page.report
    facts = [(w.t("rakor.regency.average"), w.pct(page.average)),
             (w.t("rakor.regency.category"), w.category(page.category)),
             (w.t("rakor.regency.rank"), w.t("rakor.regency.rank_value", rank=page.rank or "—", n=page.ranked)),
             (w.t("rakor.regency.status"), w.t("rakor.regency.status_value", version=r.version,
                                               status=w.status(r.status), period=r.period or "—"))]
    story.append(table([f for f, _ in facts], [[v for _, v in facts]], [WIDTH / 4] * 4))
    story += [para(w.t("rakor.regency.scorecard_title", period=w.period, year=pack.year,
                       last_year=pack.year - 1), "h2"), scorecard(w, page)]
    story += regency_lower(w, page)
    return story


def scorecard(w: Writer, page: RegencyPage):
    card = page.scorecard
    header = [w.t("rakor.col.indicator_code"), w.t("rakor.col.indicator"),
              f"{w.t('rakor.col.target')} ({w.t('rakor.col.unit').lower()})", w.t("rakor.col.realisasi"),
              w.t("rakor.col.capaian"),
              w.t("rakor.col.light"), w.t("rakor.col.capaian_last", year=w.pack.year - 1),
              w.t("rakor.col.change")]
    rows, fills = [], []
    for i, rec in enumerate(card.head(SCORECARD_ROWS).to_dict("records")):
        code = rec["kategori"] if isinstance(rec["kategori"], str) else palette.NONE
        target = " ".join(str(v) for v in (rec["target_text"], rec["satuan"]) if isinstance(v, str) and v)
        rows.append([rec["kode_indikator"], rec["indikator"], target or "—", w.num(rec["realisasi"]),
                     w.pct(rec["capaian"]), light(code, _short(w, code)),
                     w.pct(rec["capaian_lalu"]), _signed(w, rec["perubahan"])])
        fills.append((5, i, code))
    widths = [x * mm for x in (27, 78, 20, 13, 12, 10, 12, 12)]
    out = table(header, rows, widths, fills, align_right=(3, 4, 6, 7))
    if len(card) > SCORECARD_ROWS:
        return Layout([[out], [para(w.t("rakor.regency.more", n=len(card) - SCORECARD_ROWS), "small")]],
                      colWidths=[WIDTH])
    return out


def _short(w: Writer, code: str) -> str:
    return code if code != palette.NONE else "—"


def _signed(w: Writer, value) -> str:
    if pd.isna(value):
        return "—"
    return ("+" if value > 0 else "") + w.num(value, 1)


def regency_lower(w: Writer, page: RegencyPage) -> list:
    """Funnel beside values and measurability; then RPJMD gaps and the peers to learn from."""
    left = [para(w.t("rakor.regency.funnel_title", year=w.pack.year), "h2")]
    if page.funnel.empty:
        left.append(para(w.t("rakor.regency.no_funnel"), "small"))
    else:
        left.append(funnel([(paskibraka.stage_label(r["tahap"], w.lang), _n(r["jumlah"]), w.num(r["jumlah"], 0))
                            for r in page.funnel.to_dict("records")], WIDTH / 2 - 4 * mm))
    left += sections.regency_peers(w, page)
    right = [para(w.t("rakor.regency.values_title"), "h2")]
    if not page.reach:
        right.append(para(w.t("rakor.regency.no_values"), "small"))
    else:
        rc = page.reach
        right.append(para(w.t("rakor.regency.reach", activities=w.num(rc.get("kegiatan"), 0),
                              participants=w.num(rc.get("peserta"), 0), per10k=w.num(rc.get("per_10rb"), 1)),
                          "small"))
        for s in page.stories.to_dict("records"):
            right.append(para(f"{s['kegiatan']} ({w.num(s['peserta'], 0)}): {sections.blank(s['narasi'])}", "small",
                              150))
    right.append(para(w.t("rakor.regency.measurability_title"), "h2"))
    right.append(para(w.t("rakor.regency.measurability", score=w.pct(page.measurability),
                          rank=page.measurability_rank or "—", findings=page.findings)
                      if page.measurability is not None else w.t("rakor.regency.no_measurability"), "small"))
    right += sections.regency_gaps(w, page)
    both = Layout([[left, right]], colWidths=[WIDTH / 2, WIDTH / 2])
    both.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    return [both]


def _n(value):
    v = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(v) else float(v)


def render(pack: Pack) -> bytes:
    """The whole pack as PDF bytes."""
    w = Writer(pack)
    buf = io.BytesIO()
    doc = _Doc(buf, w, title=f"{w.t('rakor.title')} {pack.province_name} {pack.year}",
               author="Kesbangpol", subject=w.t("rakor.subtitle", province=pack.province_name, year=pack.year,
                                                 period=w.period))
    story = cover(w)
    story += [PageBreak(), *sections.overview(w, WIDTH)]
    for page in pack.regencies:
        story += regency_page(w, page)
    story += sections.province(w, WIDTH)
    story = [f for f in story if f is not None]
    doc.build(story)
    return buf.getvalue()

