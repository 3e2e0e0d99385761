"""The meeting pack's two doors: `python -m kesbang rakor` (an empty store seeded from sample_data/ as the
app does) and the Paket Rakor page, whose buttons build the PDF and the workbook when clicked."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from kesbang import i18n
from kesbang.cli import main

APP = str(Path(__file__).resolve().parent.parent / "dashboard.py")


def test_cli_writes_the_pdf_from_an_empty_store_it_seeds(tmp_path, capsys):
    out = tmp_path / "rakor.pdf"
    assert main(["rakor", "--province", "62", "--year", "2026", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    said = capsys.readouterr().out
    assert f"Paket rakor ditulis ke {out} (14 wilayah," in said


def test_cli_writes_an_english_workbook_for_a_chosen_period(tmp_path, capsys):
    out = tmp_path / "rakor.xlsx"
    assert main(["rakor", "--province", "64", "--year", "2026", "--period", "2", "--lang", "en", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Legend" and "Indicator scorecard" in wb.sheetnames
    legend = {r[0]: r[1] for r in wb["Legend"].iter_rows(min_row=2, values_only=True)}
    assert legend["Period"] == "TW II 2026"
    assert "(10 regencies," in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message", "code"), [
    (["--province", "99", "--year", "2026", "-o", "x.pdf"], "Provinsi 99 tidak dikenal di daftar wilayah.", 1),
    (["--province", "64", "--year", "2024", "-o", "x.xlsx"], "Belum ada laporan untuk provinsi 64 tahun 2024.", 1),
    (["--province", "62", "--year", "2026", "-o", "x.docx"],
     "Berkas keluaran harus berakhiran .pdf atau .xlsx: x.docx", 2),
])
def test_cli_refusals_say_why(tmp_path, capsys, monkeypatch, args, message, code):
    monkeypatch.chdir(tmp_path)
    assert main(["rakor", *args]) == code
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("x.*"))


@pytest.fixture
def deferred(monkeypatch) -> dict:
    """File name -> the callable a deferred download runs when its button is clicked."""
    found = {}
    original = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        found[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", recording)
    return found


def run_page(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if lang:
        at.session_state["lang"] = lang
    at.query_params["tahun"] = "2026"
    at.run()
    at.switch_page("pages/rakor.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_page_offers_both_files_in_the_sidebar_language(deferred):
    at = run_page("en")
    assert at.title[0].value == i18n.t("rakor.page_title", "en")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [i18n.t("rakor.pdf_button", "en"), i18n.t("rakor.xlsx_button", "en")]
    pdf, mime = deferred["paket-rakor-62-2026-tw3-en.pdf"]
    assert mime == "application/pdf" and pdf().startswith(b"%PDF-")
    xlsx, _ = deferred["paket-rakor-62-2026-tw3-en.xlsx"]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx()))
    assert wb.sheetnames[:2] == ["Legend", "Province overview"]


def test_page_on_an_empty_store_says_so(monkeypatch):
    monkeypatch.setenv("KESBANG_SEED_SAMPLE", "0")
    at = run_page()
    assert not at.get("download_button")
    assert at.info or at.warning
