"""Downloads read on their own (issue 24): every table/chart file says what, where, when and what a blank
means; the Bandingkan heatmap lists every regency of the province, marking those without a report.

The store is real SQLite seeded from real sample workbooks of 4 of Kalimantan Tengah's 14 regencies, so
10 have not reported; which ones is read from the region registry, not from the page.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
import storekit
from streamlit.testing.v1 import AppTest

from kesbang import i18n, regions
from kesbang.analysis import regional
from kesbang.exports import tables
from tests.plotly_spec import specs

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")
SAMPLE_FILES = ["rpjmd_62.xlsx"] + [f"62.0{n}_2026.xlsx" for n in range(1, 5)]
REPORTED = {f"62.0{n}" for n in range(1, 5)}


seeded_db, store = storekit.seeded_fixtures(SAMPLE_FILES)


def not_reported() -> list[str]:
    listed = regions.regions_in("62")
    return [n for c, n in zip(listed["kemendagri"], listed["name"]) if c not in REPORTED]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_download_carries_a_sheet_saying_what_where_when(lang):
    made = dt.datetime(2026, 10, 7, 14, 30)
    data = tables.to_xlsx({"capaian": tables.pd.DataFrame({"a": [1, None]}),
                           i18n.t("download.about.sheet", lang): tables.about_sheet(
                               "capaian-wilayah-program", lang, "62", 2026, "TW III", made)})
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["capaian", i18n.t("download.about.sheet", lang)]
    about = dict(list(wb.worksheets[1].iter_rows(min_row=2, values_only=True)))
    t = lambda key, **p: i18n.t(key, lang, **p)  # noqa: E731
    assert about[t("download.about.file")] == "capaian-wilayah-program"
    assert about[t("download.about.province")] == "62 · Kalimantan Tengah"
    assert about[t("download.about.year")] == "2026"
    assert about[t("download.about.period")] == t("download.about.period_value", period="TW III")
    assert about[t("download.about.made")] == "07/10/2026 14:30"
    assert t("ui.not_reported_cell") in about[t("download.about.blank")]


def test_unreported_regencies_are_those_the_registry_holds_without_a_report(store):
    ds = store.dataset(province="62", years=[2026])
    assert regional.unreported_names(ds.indicators, "62") == not_reported()


def test_the_heatmap_lists_every_regency_and_marks_those_without_a_report(store):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["tahun"] = "2026"
    at.run()
    at.switch_page("pages/bandingkan.py")
    at.run()
    assert not at.exception
    title = i18n.t("bandingkan.chart.heatmap", "id")
    [heat] = [s for s in specs(at) if s["layout"].get("title", {}).get("text", "").startswith(title)]
    rows = heat["data"][0]["y"]
    assert len(rows) == 14
    marked = [r for r in rows if r.endswith(f"({i18n.t('ui.not_reported', 'id')})")]
    assert [r.rsplit(" (", 1)[0] for r in marked] == not_reported()
    assert sorted(regions.name_of(c) for c in REPORTED) == [r for r in rows if r not in marked]
