"""Indonesian number, range and date parsing: worked examples and hypothesis properties."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kesbang.intake.numbers import MONTHS, format_plain, parse_date, parse_number, parse_range


def id_format(value: float, decimals: int, grouping: bool = True) -> str:
    """Write a number the Indonesian way: '.' groups thousands, ',' marks decimals."""
    text = f"{abs(value):,.{decimals}f}" if grouping else f"{abs(value):.{decimals}f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if value < 0 else "") + text


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.234,5", 1234.5),
        ("Rp 1.500.000", 1_500_000),
        ("Rp. 1.500.000,-", 1_500_000),
        ("85%", 85),
        ("1\u00a0234", 1234),
        ("12,5", 12.5),
        ("4.43", 4.43),
        ("0,75", 0.75),
        ("12,345,678.9", 12_345_678.9),
        ("1.234.567", 1_234_567),
        ("-3", -3),
        ("(1.500,00)", -1500),
        (" 7 ", 7),
        ("IDR 2.000", 2000),
    ],
)
def test_indonesian_numbers(text, value):
    num = parse_number(text)
    assert num.status == "ok"
    assert num.value == pytest.approx(value)


def test_ambiguous_thousands_offers_both_readings():
    num = parse_number("1.234")
    assert num.status == "ambiguous"
    assert (num.value, num.alternative) == (1234, 1.234)
    comma = parse_number("1,234")
    assert comma.status == "ambiguous" and (comma.value, comma.alternative) == (1.234, 1234)


@pytest.mark.parametrize("text", ["n/a", "NA", "-", "N/A", "—", "null"])
def test_not_available_is_not_blank(text):
    assert parse_number(text).status == "na"
    assert parse_number(text).value is None


def test_text_and_blank():
    assert parse_number("meningkat").status == "text"
    assert parse_number("").status == "blank" and parse_number(None).status == "blank"
    assert parse_number("   \u00a0").status == "blank"


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("4,43–4,47", 4.43, 4.47),
        ("4.43 - 4.47", 4.43, 4.47),
        ("10 s.d. 12", 10, 12),
        ("10 s/d 12", 10, 12),
        ("80 sampai 90", 80, 90),
        ("≥ 80", 80, 80),
        ("85%", 85, 85),
        ("4,47 – 4,43", 4.43, 4.47),
    ],
)
def test_ranges(text, low, high):
    rng = parse_range(text)
    assert rng.ok and rng.low == pytest.approx(low) and rng.high == pytest.approx(high)


def test_range_of_text_is_not_measurable():
    assert parse_range("meningkat").status == "text"
    assert parse_range("Terlaksana").low is None


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("17 Agustus 2025", dt.date(2025, 8, 17)),
        ("1 Juni 2025", dt.date(2025, 6, 1)),
        ("Senin, 17 Agt 2025", dt.date(2025, 8, 17)),
        ("17/08/2025", dt.date(2025, 8, 17)),
        ("2025-08-17", dt.date(2025, 8, 17)),
        ("17-08-25", dt.date(2025, 8, 17)),
        ("5 Nopember 2025", dt.date(2025, 11, 5)),
        (45886, dt.date(2025, 8, 17)),
        ("45886", dt.date(2025, 8, 17)),
        (dt.datetime(2025, 8, 17, 9), dt.date(2025, 8, 17)),
    ],
)
def test_dates(text, date):
    assert parse_date(text) == (date, "ok")


def test_impossible_date_is_text():
    assert parse_date("31 Februari 2025")[1] == "text"
    assert parse_date("besok")[1] == "text"


# --- properties -----------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)


@given(finite, st.integers(min_value=1, max_value=4))
@example(0.99999, 3)  # written "1,000": rounds up into the ambiguous range
def test_indonesian_written_decimals_read_back(value, decimals):
    text = id_format(value, decimals)
    num = parse_number(text)
    # "1,000" could be English thousands: flagged, but the Indonesian reading comes first
    # (judge by the written value: 0.99999 at 3 decimals is written "1,000")
    ambiguous = decimals == 3 and "." not in text and abs(round(value, decimals)) >= 1
    assert num.status == ("ambiguous" if ambiguous else "ok")
    assert num.value == pytest.approx(round(value, decimals), rel=1e-12, abs=10**-decimals)


@given(st.integers(min_value=1000, max_value=10**12))
def test_grouped_integers_read_as_thousands(n):
    text = id_format(n, 0)
    num = parse_number(text)
    assert num.value == n
    # exactly one group separator could also be an English decimal point: say so
    assert (num.status == "ambiguous") == (text.count(".") == 1)


@given(st.integers(min_value=0, max_value=10**9))
def test_rupiah_prefix_and_nbsp(n):
    assert parse_number(f"Rp\u00a0{id_format(n, 0)}").value == n
    assert parse_number(f"{n}%").value == n


@given(finite, finite)
def test_ranges_are_ordered(a, b):
    rng = parse_range(f"{id_format(a, 2, False)} – {id_format(b, 2, False)}")
    assert rng.ok
    assert rng.low <= rng.high
    assert {round(rng.low, 2), round(rng.high, 2)} == {round(a, 2), round(b, 2)}


@given(st.text(max_size=40))
def test_parsers_never_raise(text):
    num = parse_number(text)
    assert num.status in ("ok", "blank", "na", "text", "ambiguous")
    if num.value is not None:
        assert math.isfinite(num.value)
    parse_range(text)
    parse_date(text)


BULAN = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)), st.booleans())
def test_indonesian_month_names(date, upper):
    name = BULAN[date.month - 1]
    text = f"{date.day} {name.upper() if upper else name} {date.year}"
    assert parse_date(text) == (date, "ok")
    assert MONTHS[name[:3].lower()] == date.month or name == "Agustus"  # short forms too ("Agu", "Okt")


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
@example(1.125)  # text "1.125": thousands or decimal
def test_cell_floats_round_trip(value):
    assert parse_number(value).value == value
    written = parse_number(format_plain(value))
    # "1.125" as text is ambiguous (Indonesian thousands first): the value must then be the other reading
    read = written.alternative if written.status == "ambiguous" else written.value
    assert read == pytest.approx(value)
