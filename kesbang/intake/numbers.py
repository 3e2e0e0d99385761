"""Reading numbers, ranges and dates the way Indonesian operators write them in spreadsheets.

`1.234,5`, `Rp 1.500.000`, `85%`, non-breaking spaces, ranges `4,43–4,47`, `17 Agustus 2025`, Excel
serial dates. Every parser returns a small result instead of raising, so the validator can say *why*
a cell was not read (blank, "n/a", text, or a number with two plausible readings).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Literal

Status = Literal["ok", "blank", "na", "text", "ambiguous"]

# Written where a value is "not available": never silently blank (pandas would make them NaN).
NA_TOKENS = frozenset(
    {
        "na",
        "n/a",
        "n.a",
        "n.a.",
        "-",
        "--",
        "---",
        "–",
        "—",
        "null",
        "none",
        "nil",
        "#n/a",
        "tidak ada data",
        "belum ada data",
        "belum ada",
        "tad",
        "t.a.d",
        "x",
    }
)

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u200b]+")
_CURRENCY = re.compile(r"^(?:rp\.?|idr)\s*|\s*(?:rupiah|idr)$", re.I)
_COMPARATOR = re.compile(r"^(?:>=|<=|≥|≤|>|<|min(?:imal)?\.?|maks(?:imal)?\.?|max\.?)\s*", re.I)
_PLAIN = re.compile(r"[+-]?\d+")
_DEC_DOT = re.compile(r"[+-]?\d*\.\d+")
_DEC_COMMA = re.compile(r"[+-]?\d*,\d+")
_GROUP_DOT = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")
_GROUP_COMMA = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+")
_ID_FULL = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+,\d+")  # 1.234.567,89
_EN_FULL = re.compile(r"[+-]?[1-9]\d{0,2}(?:,\d{3})+\.\d+")  # 1,234,567.89
_SCI = re.compile(r"[+-]?\d+(?:[.,]\d+)?e[+-]?\d+", re.I)


@dataclass(frozen=True)
class Number:
    """A parsed cell: `value` is the reading used; `alternative` the other reading when ambiguous."""

    value: float | None
    status: Status
    alternative: float | None = None
    percent: bool = False

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "ambiguous")


def clean_text(raw: str) -> str:
    """Fold the spaces people paste (NBSP, thin and zero-width spaces) into one plain space."""
    return _SPACES.sub(" ", raw).strip()


def is_blank(value: object) -> bool:
    return (
        value is None
        or (isinstance(value, str) and not clean_text(value))
        or (isinstance(value, float) and math.isnan(value))
    )


def is_na(value: object) -> bool:
    return isinstance(value, str) and clean_text(value).lower() in NA_TOKENS


def _to_float(text: str) -> tuple[float, float | None] | None:
    """Read one number written with Indonesian or English separators: (value, other reading or None)."""
    s = text.replace(" ", "")
    if not s:
        return None
    if _PLAIN.fullmatch(s):
        return float(s), None
    if _ID_FULL.fullmatch(s):
        return float(s.replace(".", "").replace(",", ".")), None
    if _EN_FULL.fullmatch(s):
        return float(s.replace(",", "")), None
    if _GROUP_DOT.fullmatch(s):
        whole = float(s.replace(".", ""))
        if s.count(".") == 1:  # 1.234: Indonesian thousands, or an English decimal?
            return whole, float(s)
        return whole, None
    if _GROUP_COMMA.fullmatch(s):
        if s.count(",") == 1:  # 1,234: Indonesian decimal, or English thousands?
            return float(s.replace(",", ".")), float(s.replace(",", ""))
        return float(s.replace(",", "")), None
    if _DEC_COMMA.fullmatch(s):
        return float(s.replace(",", ".")), None
    if _DEC_DOT.fullmatch(s):
        return float(s), None
    if _SCI.fullmatch(s):
        return float(s.replace(",", ".")), None
    return None


def parse_number(raw: object) -> Number:
    """One cell -> Number. Numbers from the file are kept; text is read with Indonesian conventions."""
    if raw is None:
        return Number(None, "blank")
    if isinstance(raw, bool):
        return Number(None, "text")
    if isinstance(raw, int | float):
        value = float(raw)
        if math.isnan(value):
            return Number(None, "blank")
        if math.isinf(value):
            return Number(None, "text")
        return Number(value, "ok")
    if not isinstance(raw, str):
        return Number(None, "text")  # dates, times: not a number an operator meant
    s = clean_text(raw).strip("'").strip()  # a leading apostrophe only marks text in Excel
    if not s:
        return Number(None, "blank")
    if s.lower() in NA_TOKENS:
        return Number(None, "na")
    stripped = _CURRENCY.sub("", s).strip()
    currency = stripped != s  # Rupiah are written without decimals: "Rp 2.000" is two thousand
    s = stripped
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    negative = s.startswith("(") and s.endswith(")")  # accounting negative (1.500)
    if negative:
        s = s[1:-1].strip()
    if s.endswith(",-") or s.endswith(".-"):  # Rp 1.500.000,-
        s = s[:-2]
    read = _to_float(s)
    if read is None or not all(math.isfinite(v) for v in read if v is not None):
        return Number(None, "text")
    value, other = read
    if negative:
        value, other = -value, (None if other is None else -other)
    if other is not None and other != value and not currency:
        return Number(value, "ambiguous", other, percent)
    return Number(value, "ok", None, percent)


@dataclass(frozen=True)
class Range:
    low: float | None
    high: float | None
    status: Status
    text: str = ""
    alternative: tuple[float, float] | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("ok", "ambiguous")


_RANGE_SEP = re.compile(
    r"\s*(?:–|—|−|s\s*\.?\s*d\s*\.?|s/d|sampai(?:\s+dengan)?|hingga|to|~)\s*"
    r"|(?<=\d)\s*-\s*(?=[\d(+]|rp)",
    re.I,
)


def parse_range(raw: object) -> Range:
    """A target: one value (`85`, `85%`, `≥ 80`) or a range (`4,43–4,47`, `4.43 - 4.47`, `10 s.d. 12`)."""
    if isinstance(raw, str):
        s = clean_text(raw)
        s_cmp = _COMPARATOR.sub("", s)
        parts = _RANGE_SEP.split(s_cmp, maxsplit=1) if s_cmp else [s_cmp]
        if len(parts) == 2 and parts[0] and parts[1]:
            a, b = parse_number(parts[0]), parse_number(parts[1])
            if a.ok and b.ok:
                lo, hi = sorted((a.value, b.value))
                alt = None
                if a.status == "ambiguous" or b.status == "ambiguous":
                    alt_a = a.alternative if a.alternative is not None else a.value
                    alt_b = b.alternative if b.alternative is not None else b.value
                    alt = tuple(sorted((alt_a, alt_b)))
                return Range(lo, hi, "ambiguous" if alt else "ok", s, alt)
            return Range(None, None, "text", s)
        num = parse_number(s_cmp if s_cmp != s else raw)
    else:
        num = parse_number(raw)
        s = "" if raw is None else format_plain(raw)
    if num.ok:
        alt = None if num.alternative is None else (num.alternative, num.alternative)
        return Range(num.value, num.value, num.status, s, alt)
    return Range(None, None, num.status, s)


def format_plain(value: object) -> str:
    """How a cell value is shown back to the operator: 12.0 -> '12', dates ISO, text stripped."""
    if type(value) is float:  # the common cell first
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def cell_text(value: object) -> str:
    """A cell as cleaned text: strings cleaned (`clean_text`), anything else as `format_plain` shows it."""
    return "" if value is None else clean_text(value) if isinstance(value, str) else clean_text(format_plain(value))


def as_code(raw: object) -> str | None:
    """A code cell as text, leading zeros kept ('0008' stays '0008'; a float 8.0 becomes '8')."""
    if is_blank(raw):
        return None
    return clean_text(format_plain(raw)).strip("'\" ") or None


# --- dates ------------------------------------------------------------------------------------------

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "pebruari": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agust": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nov": 11,
    "nop": 11,
    "nopember": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}
_WEEKDAYS = (
    r"(?:senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)"
)
_DMY_NAME = re.compile(r"(?:" + _WEEKDAYS + r"\s*,?\s*)?(\d{1,2})\s*[-./ ]?\s*([a-z]+)\.?\s*[-./ ,]?\s*(\d{4})", re.I)
_MDY_NAME = re.compile(r"([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})", re.I)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", re.I)
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 after Excel's 1900 leap-year bug
SERIAL_MIN, SERIAL_MAX = 3654, 73051  # 1910-01-01 .. 2099-12-31: anything else is not a date we expect


def excel_serial_to_date(serial: float) -> dt.date | None:
    if not (SERIAL_MIN <= serial <= SERIAL_MAX):
        return None
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(raw: object) -> tuple[dt.date | None, Status]:
    """A date cell: date objects, Excel serial numbers, '17 Agustus 2025', '17/08/2025', '2025-08-17'."""
    if isinstance(raw, dt.datetime):
        return raw.date(), "ok"
    if isinstance(raw, dt.date):
        return raw, "ok"
    if raw is None:
        return None, "blank"
    if isinstance(raw, bool):
        return None, "text"
    if isinstance(raw, int | float):
        if isinstance(raw, float) and not math.isfinite(raw):
            return None, "text"
        d = excel_serial_to_date(float(raw))
        return (d, "ok") if d else (None, "text")
    if not isinstance(raw, str):
        return None, "text"
    s = clean_text(raw)
    if not s:
        return None, "blank"
    if s.lower() in NA_TOKENS:
        return None, "na"
    for pattern, order in ((_ISO, "ymd"), (_DMY_NAME, "dmy_name"), (_MDY_NAME, "mdy_name"), (_DMY, "dmy")):
        m = pattern.fullmatch(s)
        if not m:
            continue
        try:
            if order == "ymd":
                y, mo, d = int(m[1]), int(m[2]), int(m[3])
            elif order == "dmy_name":
                mo = MONTHS.get(m[2].lower())
                if mo is None:
                    continue
                d, y = int(m[1]), int(m[3])
            elif order == "mdy_name":
                mo = MONTHS.get(m[1].lower())
                if mo is None:
                    continue
                d, y = int(m[2]), int(m[3])
            else:
                d, mo, y = int(m[1]), int(m[2]), int(m[3])
                if y < 100:
                    y += 2000
            return dt.date(y, mo, d), "ok"
        except ValueError:
            return None, "text"
    num = parse_number(s)
    if num.status == "ok" and num.value is not None and float(num.value).is_integer():
        d = excel_serial_to_date(num.value)
        if d:
            return d, "ok"
    return None, "text"
