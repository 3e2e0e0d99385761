"""The rows at the end of an xlsx sheet that hold no value, so that calamine need not read them.

A template formats rows ahead for the operator to fill (the submission template formats 120 indicator
rows), and Excel writes every formatted cell, filled or not, as `<c r="B70" s="10"/>`. calamine reads
each of those tags to find nothing in it: in the bench workbook they are more than half the cells and
a third of calamine's read. The reader hands calamine the sheet without its last rows (`Workbook._take`)
when a regex with a literal prefix and a few scans for single bytes tell that they hold nothing
calamine would read:

- it runs from the end of the row holding the last `</c>` (every cell with content has one) to the
  end of the sheet data;
- its only end tags are `</row>`, so every other element in it closes itself, and a cell that closes
  itself holds no value (calamine reads a value only from a cell's child element);
- it holds no `-`, `]` or `?`, so no comment, CDATA section or processing instruction starts or ends
  in it; one enclosing it would enclose the last `</sheetData>`, whose span then lies after the real
  end of the sheet data (calamine has stopped reading cells there) or holds that end (and fails the
  end-tag check).

Cells after the span would be placed by counting the rows in it; there are none, as it runs to the
end of the sheet data. The bound is found on the sheet as calamine is handed it, trimmed or not.
"""

from __future__ import annotations

import re

# below this the CRCs the trimmed copy needs cost about what calamine saves
MIN_SPAN = 4096

_END_NOT_ROW = re.compile(rb"</(?!row>)")
_SHEET_DATA_END = b"</sheetData>"


def empty_tail(xml: bytes) -> tuple[int, int] | None:
    """(start, end) of the rows after the last cell with content, end being where the sheet data
    closes; None when there is no such span worth trimming or it cannot be told cheaply."""
    # the last end of the sheet data: were an earlier one the end calamine stops at, the span holds it
    # and fails the end-tag check
    end = xml.rfind(_SHEET_DATA_END)
    last = xml.rfind(b"</c>", 0, end) if end > 0 else -1
    start = xml.find(b"</row>", last, end) if last >= 0 else -1
    if start < 0:
        return None
    start += len(b"</row>")
    if end - start < MIN_SPAN or _END_NOT_ROW.search(xml, start, end):
        return None
    # a comment holds "--", a CDATA section ends "]]>", a processing instruction ends "?>"
    if any(xml.find(mark, start, end) >= 0 for mark in (b"-", b"]", b"?")):
        return None
    return start, end


def without(xml: bytes, span: tuple[int, int]) -> bytes:
    return xml[: span[0]] + xml[span[1] :]
