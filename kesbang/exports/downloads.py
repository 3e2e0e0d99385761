"""How a stored original upload is handed back: its real kind decides the MIME type and extension.

The bytes are the operator's file as uploaded. A name ending in .xlsx may hold an .xlsm (macros) or an
old .xls; serving it under its real type and extension lets Excel apply its own macro warnings instead of
opening a macro workbook as if it were plain. The recommended download is a clean copy re-written by the
template writer from the parsed submission (`kesbang.exports.template.write_submission`), which carries no macros,
formulas or anything else the loader did not read.
"""

from __future__ import annotations

from pathlib import PurePosixPath, PureWindowsPath

from kesbang.intake.reader import sniff

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME = {
    "xlsx": XLSX_MIME,
    "xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    "xlsb": "application/vnd.ms-excel.sheet.binary.macroEnabled.12",
    "xls": "application/vnd.ms-excel",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
OTHER_MIME = "application/octet-stream"  # anything else the store kept (a refused upload is never stored)


def _stem(filename: str) -> str:
    """The uploaded name without folders (either separator) or extension; 'laporan' when nothing is left."""
    name = PureWindowsPath(PurePosixPath(filename or "").name).name
    stem = PurePosixPath(name).stem.strip()
    return stem or "laporan"


def original_download(filename: str, data: bytes) -> tuple[str, str, str]:
    """(file name with the real extension, MIME type, sniffed kind) for serving stored original bytes."""
    kind = sniff(data)
    ext = kind if kind in MIME else "bin"
    return f"{_stem(filename)}.{ext}", MIME.get(kind, OTHER_MIME), kind


def clean_copy_name(filename: str, mark: str) -> str:
    """The name of the re-written clean copy: the upload's name plus `mark` (translated), always .xlsx."""
    return f"{_stem(filename)}_{mark}.xlsx"
