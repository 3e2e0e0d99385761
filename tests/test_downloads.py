"""Serving a stored original upload: the name and MIME type follow the bytes' real kind, not the name."""

from __future__ import annotations

import workbook_factory as wf

from kesbang.exports.downloads import MIME, OTHER_MIME, clean_copy_name, original_download


def test_real_kind_decides_extension_and_mime():
    xlsx = wf.submission_bytes()
    assert original_download("laporan.xls", xlsx) == ("laporan.xlsx", MIME["xlsx"], "xlsx")
    # folders in an uploaded name (either separator) are dropped
    assert original_download("C:\\Users\\op\\lap 2026.xlsm", xlsx)[0] == "lap 2026.xlsx"
    assert original_download("../../etc/lap.xlsx", xlsx)[0] == "lap.xlsx"
    assert original_download("laporan.xlsx", b"a;b\n1;2\n")[1:] == (OTHER_MIME, "csv")
    assert original_download("laporan.xlsx", b"a;b\n1;2\n")[0] == "laporan.bin"
    assert original_download("", xlsx)[0] == "laporan.xlsx"


def test_clean_copy_is_always_xlsx():
    assert clean_copy_name("v2.xlsm", "bersih") == "v2_bersih.xlsx"
    assert clean_copy_name("dir/v2", "clean") == "v2_clean.xlsx"
