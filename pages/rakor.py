"""Paket Rakor: the coordination-meeting pack of the sidebar's province, year and period, in the sidebar's
language, as an A4 PDF and as an Excel workbook. Each file is built only when its button is clicked."""

import streamlit as st

from kesbang import regions
from kesbang.exports import rakor, rakor_pdf, rakor_xlsx
from ui import source
from ui.page import open_data_page, year_dataset
from ui.state import T
from ui.widgets import XLSX_MIME

PDF_MIME = "application/pdf"


@st.cache_resource(show_spinner=False, max_entries=4)
def pack(version: str, province: str, year: int, quarter: int, lang: str) -> rakor.Pack:
    """One pack per data version and choice: both buttons (and every viewer) share it, nothing changes it."""
    return rakor.build(source.store(), province, year, quarter, lang)


f = open_data_page("rakor.page_title", "rakor.caption")
year_dataset()  # stops with the "no data this year" notice
version = source.data_version()
st.caption(T("rakor.built", regencies=len(regions.regions_in(f.province)), period=f.period_label, year=f.year))
name = f"paket-rakor-{f.province}-{f.year}-tw{f.quarter}-{f.lang}"


def pdf() -> bytes:
    return rakor_pdf.render(pack(version, f.province, f.year, f.quarter, f.lang))


def xlsx() -> bytes:
    return rakor_xlsx.render(pack(version, f.province, f.year, f.quarter, f.lang))


left, right = st.columns(2)
with left:
    st.download_button(T("rakor.pdf_button"), data=pdf, file_name=f"{name}.pdf", mime=PDF_MIME, key="rakor-pdf",
                       on_click="ignore", icon=":material/picture_as_pdf:", type="primary", width="stretch")
with right:
    st.download_button(T("rakor.xlsx_button"), data=xlsx, file_name=f"{name}.xlsx", mime=XLSX_MIME,
                       key="rakor-xlsx", on_click="ignore", icon=":material/table_view:", width="stretch")
