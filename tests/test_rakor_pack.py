"""The coordination-meeting pack (issue 24), read as its reader would: the PDF's pages rendered to PNG and
its text extracted (poppler's pdftoppm and pdftotext), every regency, section and some figures checked
against the store's own numbers; the workbook opened with openpyxl.

One store per module, seeded from sample_data/ exactly as a first start does, plus two follow-ups (one
closed); the pack is built and rendered once per language.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import storekit
from PIL import Image, ImageStat

from kesbang import formatting, i18n, regions, settings
from kesbang.analysis import measurability, metrics, regional
from kesbang.auth import console_user
from kesbang.exports import rakor, rakor_pdf, rakor_xlsx
from kesbang.store import open_store

PROVINCE, YEAR = "62", 2026
SECTIONS = ("overview", "paskibraka", "side_by_side", "alignment", "measurability", "followups")
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) not installed")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("rakor") / "kesbang.sqlite3"
    s = open_store(f"sqlite:///{path}")
    assert s.seed_if_empty(settings.SAMPLE_DIR) > 0
    admin = console_user()
    due = dt.date(YEAR, 12, 15)
    assert s.open_followup(admin, "62.02", YEAR, "8.01.02.2.01.0003.01", "Tambah sesi di kecamatan hulu", due).ok
    closed = s.open_followup(admin, "62.09", YEAR, "8.01.01.P.01", "Perbaiki data dukung SAKIP", due)
    assert s.respond_followup(admin, closed.id, "Sudah diunggah").ok and s.close_followup(admin, closed.id).ok
    yield s
    s.close()


@pytest.fixture(scope="module")
def pack(store):
    return rakor.build(store, PROVINCE, YEAR)


@pytest.fixture(scope="module")
def pdf(pack, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "rakor.pdf"
    path.write_bytes(rakor_pdf.render(pack))
    return path


def pages_text(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1]  # one string per page


def titled(pages: list[str], title: str) -> str:
    """The page whose first line is `title` (the cover lists every section, so a plain search finds it)."""
    return next(p for p in pages if p.strip().splitlines()[0].strip() == title)


def test_unknown_province_and_a_year_without_reports_are_refused_with_a_reason(store):
    with pytest.raises(rakor.UnknownProvince) as e:
        rakor.build(store, "99", YEAR)
    assert i18n.t(e.value.message_id, "id", **e.value.params) == "Provinsi 99 tidak dikenal di daftar wilayah."
    with pytest.raises(rakor.NoData) as e:
        rakor.build(store, "64", 2024)
    assert i18n.t(e.value.message_id, "en", **e.value.params) == "No reports yet for province 64 in 2024."


def test_pack_figures_are_the_pages_own(store, pack):
    ds = store.dataset(province=PROVINCE, years=[YEAR])
    m = metrics.compute(ds.indicators, pack.quarter, metrics.Rules.from_settings(), rpjmd=ds.rpjmd)
    assert pack.quarter == 3  # the sample's furthest period, as the sidebar's default
    assert pack.key["average"] == pytest.approx(m["capaian"].mean())
    assert pack.key["indicators"] == len(m)
    scores = regional.region_scores(m)
    assert pack.scores[["region", "capaian_rata"]].equals(scores[["region", "capaian_rata"]])
    whole = store.dataset(province=PROVINCE)
    league = measurability.league_table(measurability.audit(whole.indicators, whole.rpjmd, whole.submissions, YEAR))
    assert pack.league.equals(league)
    assert [p.region for p in pack.regencies] == list(regions.regions_in(PROVINCE)["kemendagri"])
    kotim = next(p for p in pack.regencies if p.region == "62.02")
    assert len(kotim.scorecard) == int((m["region"] == "62.02").sum())
    assert kotim.report.version == 1 and kotim.report.status == "returned"
    assert 2 <= len(kotim.peers) <= 3 and kotim.peers["contact_region"].ne("62.02").all()
    assert list(pack.followups["status"]) == ["open", "closed"]
    progress = metrics.rpjmd_progress(m, ds.rpjmd, metrics.Rules.from_settings())
    assert list(pack.key_indicators["kode_rpjmd"]) == list(progress.loc[progress["year"] == YEAR, "kode_rpjmd"])
    assert len(pack.key_indicators) >= 5


@needs_poppler
def test_pdf_names_every_regency_section_and_report_version(pack, pdf):
    pages = pages_text(pdf)
    every = "\n".join(pages)
    for key in SECTIONS:
        assert i18n.t(f"rakor.section.{key}", "id") in every, key
    # cover, overview, one page per regency, then the province sections
    registry = regions.regions_in(PROVINCE)
    for n, (code, name) in enumerate(zip(registry["kemendagri"], registry["name"]), start=3):
        page = pages[n - 1]
        assert f"{name} ({code})" in page
        assert f"{code} v1 " in page and "(TW III)" in page  # this regency's version, status and period
    for n, page in enumerate(pages, start=1):
        assert f"Halaman {n}" in page
        assert f"Data per {formatting.format_date(pack.data_date, 'id')}" in page
        assert "Versi laporan:" in page


@needs_poppler
def test_pdf_figures_match_the_store(pack, pdf):
    pages = pages_text(pdf)
    overview = pages[1]
    assert formatting.format_percent(pack.key["average"], "id") in overview
    assert f"{pack.key['reporting']} / {pack.key['expected']}" in overview
    for rec in pack.key_indicators.to_dict("records"):  # the provincial RPJMD indicators, regencies combined
        assert f"{rec['kode_rpjmd']} " in overview and formatting.format_percent(rec["capaian_tahun"], "id") in overview
    for page in pack.regencies[:4]:
        text = titled(pages, f"{page.name} ({page.region})")
        assert formatting.format_percent(page.average, "id") in text
        first = page.scorecard.iloc[0]
        assert first["kode_indikator"] in text and formatting.format_percent(first["capaian"], "id") in text
        registrants = page.funnel.set_index("tahap").loc["pendaftar", "jumlah"]
        assert formatting.format_integer(registrants, "id") in text
    paskibraka = titled(pages, i18n.t("rakor.section.paskibraka", "id"))
    for rec in pack.paskibraka.to_dict("records"):
        assert rec["name"] in paskibraka
    followups = next(p for p in pages if "Tambah sesi di kecamatan hulu" in p)
    assert "Perbaiki data dukung SAKIP" in followups and "Sudah diunggah" in followups
    assert "nan" not in followups.split()  # the open one has no answer yet: a dash, not "nan"


@needs_poppler
def test_pdf_pages_render_as_a4_with_colour(pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "2", "-l", "4", str(pdf), str(tmp_path / "p")], check=True)
    shots = sorted(tmp_path.glob("p-*.png"))
    assert len(shots) == 3
    for shot in shots:
        img = Image.open(shot).convert("RGB")
        w, h = img.size
        assert abs(h / w - 297 / 210) < 0.01  # A4 portrait
        assert max(ImageStat.Stat(img).stddev) > 20  # not a blank page
        # the palette's "Sangat Tinggi" blue is drawn (bars, traffic lights)
        assert any(abs(r - 0x45) < 12 and abs(g - 0x75) < 12 and abs(b - 0xB4) < 12
                   for _, (r, g, b) in img.getcolors(maxcolors=1 << 20))


@needs_poppler
def test_english_pack_speaks_english(store, tmp_path):
    pack = rakor.build(store, PROVINCE, YEAR, period=2, lang="en")
    assert pack.quarter == 2
    path = tmp_path / "en.pdf"
    path.write_bytes(rakor_pdf.render(pack))
    every = "\n".join(pages_text(path))
    for key in SECTIONS:
        assert i18n.t(f"rakor.section.{key}", "en") in every
    assert "Page 3" in every and "Report versions:" in every and "up to TW II" in every
    for indonesian in ("Gambaran provinsi", "Halaman", "Tindak lanjut", "Versi laporan", "s.d.", "belum melapor"):
        assert indonesian not in every


def test_user_text_stays_text_in_both_files(pack, tmp_path):
    pack = copy.deepcopy(pack)  # an operator's indicator name, as hostile as it gets
    hostile = '=HYPERLINK("http://x.example","klik") <b>tebal</b> & co'
    pack.regencies[0].scorecard.loc[0, "indikator"] = hostile
    wb = openpyxl.load_workbook(io.BytesIO(rakor_xlsx.render(pack)))
    sheet = wb[i18n.t("rakor.sheet.scorecard", "id")]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == hostile]
    assert cells and all(c.data_type == "s" for c in cells)
    if POPPLER:
        path = tmp_path / "hostile.pdf"
        path.write_bytes(rakor_pdf.render(pack))
        assert "<b>tebal</b> & co" in " ".join(pages_text(path)[2].split())


def test_workbook_sheets_names_beside_codes_frozen_and_formula_free(pack):
    wb = openpyxl.load_workbook(io.BytesIO(rakor_xlsx.render(pack)))
    expected = [i18n.t(f"rakor.sheet.{k}", "id") for k in (
        "legend", "overview", "key_indicators", "reports", "ranking", "scorecard", "paskibraka", "funnels",
        "side_by_side", "stories", "alignment", "regency_gaps", "plan_gaps", "measurability", "peers", "followups")]
    assert wb.sheetnames == expected
    pairs = {"Kode wilayah": "Nama wilayah", "Kode indikator": "Nama indikator", "Kode program": "Nama program"}
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        header = [c.value for c in ws[1]]
        for i, h in enumerate(header):
            if h in pairs:
                assert header[i + 1] == pairs[h], (ws.title, header)
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row), ws.title
        widths = [ws.column_dimensions[c.column_letter].width for c in ws[1]]
        assert all(w and w >= 8 for w in widths), ws.title
    card = wb[i18n.t("rakor.sheet.scorecard", "id")]
    assert card.max_row - 1 == sum(len(p.scorecard) for p in pack.regencies)
    rows = list(card.iter_rows(min_row=2, values_only=True))
    names = {r[0]: r[1] for r in rows}
    assert names == {p.region: p.name for p in pack.regencies}
    legend = [r[1] for r in wb[i18n.t("rakor.sheet.legend", "id")].iter_rows(min_row=2, values_only=True)]
    assert any("belum melapor" in str(v) for v in legend)


@needs_poppler
def test_a_regency_that_did_not_report_is_marked_everywhere(tmp_path, tmp_path_factory):
    """Blank means "belum melapor": Kaltim with only three regencies' 2026 reports (and Paser's 2025)."""
    s = open_store(f"sqlite:///{tmp_path / 'partial.sqlite3'}")
    storekit.seed_samples(s, tmp_path_factory, ["rpjmd_64.xlsx", "64.01_2025.xlsx", "64.01_2026.xlsx",
                                                "64.02_2026.xlsx", "64.71_2026.xlsx"])
    try:
        pack = rakor.build(s, "64", YEAR)
    finally:
        s.close()
    assert pack.key["reporting"] == 3 and pack.key["expected"] == 10
    path = tmp_path / "partial.pdf"
    path.write_bytes(rakor_pdf.render(pack))
    pages = pages_text(path)
    overview = pages[1]
    assert "3 / 10" in overview and "Belum melapor: " in overview
    assert overview.count("belum melapor") >= 7  # each missing regency's bar in the ranking says so
    berau = titled(pages, "Berau (64.03)")
    assert "Wilayah ini belum melapor untuk tahun 2026." in berau and "64.03 belum melapor" in berau
    paser = titled(pages, "Paser (64.01)")
    first = next(p for p in pack.regencies if p.region == "64.01").scorecard.iloc[0]
    assert first["capaian_lalu"] > 0  # last year's figure is there (Paser reported 2025)
    assert formatting.format_percent(first["capaian_lalu"], "id") in paser
    wb = openpyxl.load_workbook(io.BytesIO(rakor_xlsx.render(pack)))
    ranking = {r[1]: r[3] for r in wb[i18n.t("rakor.sheet.ranking", "id")].iter_rows(min_row=2, values_only=True)}
    assert ranking["Berau"] == "belum melapor" and ranking["Paser"] in {"Sangat Tinggi", "Tinggi", "Sedang",
                                                                        "Rendah", "Sangat Rendah"}
