"""The pack PDF's building blocks in reportlab: fonts, text styles, tables, and bar and funnel charts
drawn with the app's palette (`kesbang.charts.palette`).

User text (names, narratives) only ever reaches a Paragraph escaped: reportlab reads `<`, `>` and `&`
as markup, so an operator's "<b>" would otherwise change the page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, Table, TableStyle

from kesbang.charts import palette

FONT, BOLD = "KesbangSans", "KesbangSans-Bold"
HEADER_BG = colors.HexColor("#1F4E79")  # the table header of every Excel download, for one look
GRID = colors.HexColor("#c8c8c8")
BAR_LABEL_W = 42 * mm
MAX_NAME = 200  # characters of a user-written name or story kept in a table cell (all of it in the workbook)


@cache
def fonts() -> tuple[str, str]:
    """Bitstream Vera, shipped inside the reportlab wheel: Unicode text (Indonesian names, ≥, ÷) embedded
    and subset, so the PDF reads the same everywhere and its text can be extracted."""
    folder = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(folder / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(folder / "VeraBd.ttf")))
    return FONT, BOLD


@cache
def styles() -> dict[str, ParagraphStyle]:
    fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=8, leading=10)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7, leading=8.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=6, leading=6.9),
        "head": ParagraphStyle("head", parent=base, fontName=BOLD, fontSize=6, leading=6.9,
                               textColor=colors.white),
        "h1": ParagraphStyle("h1", parent=base, fontName=BOLD, fontSize=15, leading=18, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=BOLD, fontSize=10, leading=12, spaceBefore=4,
                             spaceAfter=2),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=24, leading=30, spaceAfter=10),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=12, leading=16, spaceAfter=6),
        "footer": ParagraphStyle("footer", parent=base, fontSize=6, leading=7, textColor=colors.HexColor("#444444")),
    }


def text(value: object, limit: int = MAX_NAME) -> str:
    """User or catalogue text made safe for a Paragraph (escaped, shortened with an ellipsis)."""
    s = "" if value is None else str(value)
    s = " ".join(s.split())
    if len(s) > limit:
        s = s[:limit - 1].rstrip() + "…"
    return escape(s)


def para(value: object, style: str = "body", limit: int = MAX_NAME) -> Paragraph:
    return Paragraph(text(value, limit), styles()[style])


def table(header: list[str], rows: list[list], widths: list[float], fills: list[tuple] | None = None,
          align_right: tuple[int, ...] = ()) -> Table:
    """A table with the export header colours, thin grid, wrapped cells and repeated header on each page.

    `fills`: (column, row, category code) cells painted with the category palette (traffic lights).
    """
    s = styles()
    data = [[Paragraph(text(h), s["head"]) for h in header]]
    data += [[c if isinstance(c, Paragraph) else Paragraph(text(c), s["cell"]) for c in row] for row in rows]
    t = Table(data, colWidths=widths, repeatRows=1)
    cmds = [("BACKGROUND", (0, 0), (-1, 0), HEADER_BG), ("GRID", (0, 0), (-1, -1), 0.25, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 0.8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.9), ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    for col, row, code in fills or []:
        cmds.append(("BACKGROUND", (col, row + 1), (col, row + 1), colors.HexColor(palette.category_color(code))))
    t.setStyle(TableStyle(cmds))
    for col in align_right:
        for r in range(1, len(data)):
            cell = data[r][col]
            if isinstance(cell, Paragraph):
                cell.style = ParagraphStyle(f"r{col}", parent=cell.style, alignment=2)
    return t


def light(code: object, label: str) -> Paragraph:
    """A traffic-light cell's text: the category's label in the colour that reads on its background."""
    style = ParagraphStyle("light", parent=styles()["cell"], alignment=1,
                           textColor=colors.HexColor(palette.category_text_color(code)))
    return Paragraph(text(label), style)


def hbars(rows: list[tuple[str, float | None, str, str]], width: float, top: float | None = None,
          median: float | None = None, bar_h: float = 8.0, label_w: float = BAR_LABEL_W) -> Drawing:
    """Horizontal bars: (label, value, colour, value text) per row, top to bottom; a missing value draws
    no bar and its text says why ("belum melapor"). `median` draws a dashed line across, as the app does."""
    fonts()
    gap = 2.5
    height = len(rows) * (bar_h + gap) + 4
    d = Drawing(width, height)
    values = [v for _, v, _, _ in rows if v is not None]
    top = top or max([*values, median or 0, 1.0])
    plot_w = width - label_w - 34
    for i, (label, value, color, value_text) in enumerate(rows):
        y = height - (i + 1) * (bar_h + gap)
        d.add(String(label_w - 3, y + 1.5, _fit(label, label_w - 4, 6.5), fontName=FONT, fontSize=6.5,
                     textAnchor="end"))
        w = 0.0 if value is None else max(0.0, min(value, top)) / top * plot_w
        if w > 0:
            d.add(Rect(label_w, y, w, bar_h, fillColor=colors.HexColor(color), strokeColor=None))
        d.add(String(label_w + w + 2, y + 1.5, value_text, fontName=FONT, fontSize=6.5))
    if median is not None and top:
        x = label_w + min(median, top) / top * plot_w
        d.add(Line(x, 0, x, height, strokeColor=colors.HexColor("#d73027"), strokeDashArray=[2, 2],
                   strokeWidth=0.8))
    return d


def funnel(rows: list[tuple[str, float | None, str]], width: float, bar_h: float = 6.0) -> Drawing:
    """The Paskibraka funnel as the app draws it: centred bars, one colour, widest = the largest stage."""
    fonts()
    gap = 1.4
    label_w = 50 * mm
    height = len(rows) * (bar_h + gap) + 2
    d = Drawing(width, height)
    plot_w = width - label_w - 4
    top = max([v for _, v, _ in rows if v is not None] + [1.0])
    fill = colors.HexColor(palette.CATEGORY_COLORS["ST"])  # kesbang.charts.paskibraka.FUNNEL_COLOR
    for i, (label, value, value_text) in enumerate(rows):
        y = height - (i + 1) * (bar_h + gap)
        d.add(String(label_w - 3, y + 1.0, _fit(label, label_w - 4, 5.8), fontName=FONT, fontSize=5.8,
                     textAnchor="end"))
        w = 0.0 if value is None else value / top * plot_w
        x = label_w + (plot_w - w) / 2
        if w > 0:
            d.add(Rect(x, y, w, bar_h, fillColor=fill, strokeColor=None))
        if w > 40:  # the count inside its bar, or beside a bar too narrow to hold it
            d.add(String(label_w + plot_w / 2, y + 1.2, value_text, fontName=FONT, fontSize=5.8, textAnchor="middle",
                         fillColor=colors.white))
        else:
            d.add(String(x + w + 2, y + 1.2, value_text, fontName=FONT, fontSize=5.8))
    return d


def _fit(label: str, width: float, size: float) -> str:
    """A label shortened with an ellipsis to fit `width` points."""
    label = " ".join(str(label).split())
    if pdfmetrics.stringWidth(label, FONT, size) <= width:
        return label
    while label and pdfmetrics.stringWidth(label + "…", FONT, size) > width:
        label = label[:-1]
    return label.rstrip() + "…"
