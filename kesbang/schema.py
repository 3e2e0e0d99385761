"""The submission and RPJMD workbook formats, declared once as data.

The template writer, the loader/validator and the format docs all read these declarations, so the
three cannot drift. Keys are stable identifiers (used in storage and code); labels are what the
template writes; synonyms are the other spellings operators use (compared after `normalise_label`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

FORMAT_VERSION = "1.0"
FORMAT_MARKER_NAME = "KESBANG_FORMAT"  # defined name on the hidden lists sheet holding the version

# --- choice lists (also written to the template's hidden lists sheet as defined names) ----------

PERIODS = ["TW I", "TW II", "TW III", "TW IV", "Tahunan"]
PERIOD_QUARTERS = {"TW I": 1, "TW II": 2, "TW III": 3, "TW IV": 4, "Tahunan": 4}
LEVELS = ["program", "kegiatan", "subkegiatan"]
POLARITIES = ["positif", "negatif"]
ROLLUPS = ["kumulatif", "stok", "persentase"]
MEASURE_TYPES = ["kuantitatif", "indeks", "proksi kualitatif"]
UNITS = ["Orang", "Dokumen", "Laporan", "Kali", "Kegiatan", "Ormas", "Kasus", "Persen", "Indeks", "Angka",
         "Sekolah", "Hari", "Desa", "Lembaga"]
THEMES = [
    "Pembudayaan Pancasila",
    "Wawasan Kebangsaan",
    "Bela Negara",
    "Belom Bahadat / kearifan lokal",
    "Pendidikan Politik",
    "Kerukunan Umat Beragama",
    "Pembauran Kebangsaan",
]
RUBRIC_LEVELS = [1, 2, 3, 4, 5]


@dataclass(frozen=True)
class Stage:
    key: str
    label: str           # Indonesian, as written in the workbook
    label_en: str
    legal_stage: int     # 1 rekrutmen & seleksi, 2 pemusatan diklat, 3 pengukuhan & tugas
    parent: str | None   # the stage whose count this one may not exceed (funnel check)
    gendered: bool = True  # putra/putri counted separately


# Paskibraka yearly funnel (Perpres 51/2022; Peraturan BPIP 3/2022). Order is the funnel order.
STAGES: list[Stage] = [
    Stage("sekolah", "Sekolah dijangkau", "Schools reached", 1, None, gendered=False),
    Stage("pendaftar", "Pendaftar", "Registrants", 1, None),
    Stage("lulus_kesehatan", "Lulus tes kesehatan", "Passed health test", 1, "pendaftar"),
    Stage("lulus_administrasi", "Lulus seleksi administrasi", "Passed administration", 1, "lulus_kesehatan"),
    Stage("lulus_pancasila", "Lulus tes Pancasila & wawasan kebangsaan",
          "Passed Pancasila & national insight test", 1, "lulus_administrasi"),
    Stage("lulus_fisik", "Lulus tes baris-berbaris & kesamaptaan", "Passed marching & fitness test", 1,
          "lulus_pancasila"),
    Stage("lulus_wawancara", "Lulus wawancara", "Passed interview", 1, "lulus_fisik"),
    Stage("ditetapkan", "Ditetapkan SK Bupati/Wali Kota", "Appointed by regent/mayor decree", 1,
          "lulus_wawancara"),
    Stage("dikirim_provinsi", "Dikirim ke seleksi provinsi", "Sent to provincial selection", 1, "ditetapkan"),
    Stage("diklat", "Peserta pemusatan diklat", "Training participants", 2, "ditetapkan"),
    Stage("dikukuhkan", "Dikukuhkan", "Inaugurated", 3, "diklat"),
    Stage("tugas_1_juni", "Bertugas 1 Juni", "Served on 1 June", 3, None),
    Stage("tugas_17_agustus", "Bertugas 17 Agustus", "Served on 17 August", 3, "dikukuhkan"),
    Stage("duta_pancasila", "Dikukuhkan Duta Pancasila", "Appointed Duta Pancasila", 3, None),
]
STAGE_BY_KEY = {s.key: s for s in STAGES}

# Nomenclature sub-kegiatan that fund Paskibraka (for cost per selected member).
PASKIBRAKA_SUBKEGIATAN = ["8.01.02.2.01.0008"]


# --- column declarations ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    key: str
    label: str                     # Indonesian header written by the template
    label_en: str
    kind: str = "text"             # text | code | number | int | range | date | choice | url | region
    required: bool = False
    choices: str | None = None     # name of a list in CHOICE_LISTS
    synonyms: tuple[str, ...] = ()
    help: str = ""                 # Indonesian help shown in the instructions sheet
    min_value: float | None = None
    max_value: float | None = None
    width: int = 14


@dataclass(frozen=True)
class SheetSpec:
    key: str
    name: str                      # Indonesian sheet name
    name_en: str
    columns: tuple[Column, ...]
    synonyms: tuple[str, ...] = ()  # other sheet names accepted
    required: bool = True
    layout: str = "table"          # table | keyvalue
    max_rows: int = 5000

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


CHOICE_LISTS: dict[str, list] = {
    "periode": PERIODS,
    "level": LEVELS,
    "polaritas": POLARITIES,
    "akumulasi": ROLLUPS,
    "jenis_ukuran": MEASURE_TYPES,
    "satuan": UNITS,
    "tema": THEMES,
    "tahap": [s.label for s in STAGES],
    "rubrik": RUBRIC_LEVELS,
}

# Accepted spellings of choice values (normalised) -> canonical value.
CHOICE_SYNONYMS: dict[str, dict[str, str]] = {
    "periode": {"tw 1": "TW I", "tw 2": "TW II", "tw 3": "TW III", "tw 4": "TW IV", "q1": "TW I", "q2": "TW II",
                "q3": "TW III", "q4": "TW IV", "tahunan": "Tahunan", "annual": "Tahunan", "setahun": "Tahunan"},
    "level": {"program": "program", "outcome": "program", "kegiatan": "kegiatan", "output kegiatan": "kegiatan",
              "subkegiatan": "subkegiatan", "sub kegiatan": "subkegiatan", "sub": "subkegiatan"},
    "polaritas": {"positif": "positif", "positive": "positif", "+": "positif", "naik": "positif",
                  "maksimal": "positif", "negatif": "negatif", "negative": "negatif", "-": "negatif",
                  "turun": "negatif", "minimal": "negatif"},
    "akumulasi": {"kumulatif": "kumulatif", "akumulatif": "kumulatif", "sum": "kumulatif", "jumlah": "kumulatif",
                  "stok": "stok", "stock": "stok", "posisi akhir": "stok", "persentase": "persentase",
                  "persen": "persentase", "percentage": "persentase"},
    "jenis_ukuran": {"kuantitatif": "kuantitatif", "quantitative": "kuantitatif", "indeks": "indeks",
                     "index": "indeks", "proksi kualitatif": "proksi kualitatif", "proksi": "proksi kualitatif",
                     "kualitatif": "proksi kualitatif", "qualitative proxy": "proksi kualitatif"},
}

IDENTITAS = SheetSpec(
    key="identitas", name="Identitas", name_en="Identity", layout="keyvalue",
    synonyms=("identitas", "identity", "data umum", "profil"),
    columns=(
        Column("provinsi", "Provinsi", "Province", "text", True, synonyms=("prov", "nama provinsi")),
        Column("kode_wilayah", "Kode Wilayah (Kemendagri)", "Region code (Kemendagri)", "region", True,
               synonyms=("kode wilayah", "kode kabupaten kota", "kode kab kota", "kode daerah", "kode kemendagri",
                         "region code", "kode")),
        Column("nama_wilayah", "Kabupaten/Kota", "Regency/city", "text", True,
               synonyms=("kabupaten kota", "kab kota", "nama kabupaten kota", "nama wilayah", "wilayah",
                         "kabupaten", "kota", "regency")),
        Column("tahun", "Tahun", "Year", "int", True, min_value=2015, max_value=2045,
               synonyms=("tahun anggaran", "ta", "year", "tahun pelaporan")),
        Column("periode", "Periode Pelaporan", "Reporting period", "choice", True, choices="periode",
               synonyms=("periode", "triwulan", "periode laporan", "reporting period", "tw")),
        Column("periode_rpjmd", "Periode RPJMD", "RPJMD period", "text", True,
               synonyms=("rpjmd", "periode rpjmd rpd", "periode rpd", "plan period"),
               help="Contoh: 2025-2029"),
        Column("perangkat_daerah", "Perangkat Daerah", "Regional agency", "text", False,
               synonyms=("opd", "skpd", "instansi", "nama opd", "office")),
        Column("operator", "Operator", "Operator", "text", False, synonyms=("petugas", "nama operator", "penyusun")),
        Column("tanggal", "Tanggal", "Date", "date", False, synonyms=("tanggal laporan", "tgl", "date")),
    ),
)

_TW = ("I", "II", "III", "IV")


def _quarter_columns() -> tuple[Column, ...]:
    cols = []
    for i, roman in enumerate(_TW, start=1):
        cols.append(Column(
            f"realisasi_tw{i}", f"Realisasi TW {roman} (K)", f"Actual Q{i} (K)", "number",
            synonyms=(f"realisasi tw {i} k", f"tw {i} k", f"realisasi tw {i}", f"realisasi kinerja tw {i}",
                      f"capaian tw {i} k", f"realisasi {i} k", f"k tw {i}", f"realisasi triwulan {i} kinerja",
                      f"realisasi kinerja pada tw {i} k")))
    for i, roman in enumerate(_TW, start=1):
        cols.append(Column(
            f"anggaran_tw{i}", f"Realisasi Anggaran TW {roman} (Rp)", f"Budget spent Q{i} (Rp)", "number",
            min_value=0, width=18,
            synonyms=(f"realisasi tw {i} rp", f"tw {i} rp", f"realisasi anggaran tw {i}", f"anggaran tw {i}",
                      f"keuangan tw {i}", f"rp tw {i}", f"realisasi keuangan tw {i}",
                      f"realisasi kinerja pada tw {i} rp")))
    return tuple(cols)


INDIKATOR = SheetSpec(
    key="indikator", name="Indikator", name_en="Indicators",
    synonyms=("indikator", "indikator kinerja", "evaluasi renja", "form evaluasi", "capaian kinerja", "indicators",
              "evaluasi", "e 81", "t c 27"),
    columns=(
        Column("kode_program", "Kode Program", "Program code", "code", True,
               synonyms=("kode prog", "program code")),
        Column("kode_kegiatan", "Kode Kegiatan", "Activity code", "code",
               synonyms=("kode keg",)),
        Column("kode_subkegiatan", "Kode Sub Kegiatan", "Sub-activity code", "code",
               synonyms=("kode sub keg", "kode subkegiatan", "sub kegiatan kode")),
        Column("nama_program", "Program/Kegiatan/Sub Kegiatan", "Program/activity name", "text",
               synonyms=("program kegiatan", "uraian", "nama program kegiatan", "program kegiatan sub kegiatan",
                         "nama kegiatan", "urusan program kegiatan", "nomenklatur"), width=36),
        Column("kode_indikator", "Kode Indikator", "Indicator code", "code", True,
               synonyms=("kode ik", "no indikator", "indicator code", "kode indikator kinerja")),
        Column("indikator", "Indikator Kinerja", "Performance indicator", "text", True,
               synonyms=("indikator", "indikator kinerja program kegiatan", "indikator kinerja program outcome",
                         "indicator", "uraian indikator", "nama indikator",
                         "indikator kinerja program outcome kegiatan output",
                         "indikator kinerja sub kegiatan", "indikator kinerja program kegiatan sub kegiatan",
                         "indikator program kegiatan"),
               width=40),
        Column("level", "Level", "Level", "choice", True, choices="level",
               synonyms=("tingkat", "jenis indikator", "level indikator")),
        Column("satuan", "Satuan", "Unit", "text", True, choices="satuan", synonyms=("sat", "unit")),
        Column("polaritas", "Polaritas", "Polarity", "choice", True, choices="polaritas",
               synonyms=("polarisasi", "arah", "polarity", "sifat indikator")),
        Column("akumulasi", "Jenis Akumulasi", "Roll-up type", "choice", True, choices="akumulasi",
               synonyms=("akumulasi", "jenis perhitungan", "roll up", "rollup", "cara akumulasi")),
        Column("jenis_ukuran", "Jenis Ukuran", "Measure type", "choice", True, choices="jenis_ukuran",
               synonyms=("jenis pengukuran", "measure type", "tipe ukuran")),
        Column("kode_rpjmd", "Kode Indikator RPJMD Provinsi", "Provincial RPJMD indicator code", "code",
               synonyms=("kode rpjmd", "indikator rpjmd", "cascading", "kode cascading", "rpjmd code")),
        Column("baseline", "Kondisi Awal", "Baseline", "number",
               synonyms=("baseline", "kondisi awal", "kondisi kinerja awal", "capaian awal")),
        Column("target", "Target Tahun (K)", "Yearly target (K)", "range", True,
               synonyms=("target", "target k", "target kinerja", "target tahun", "target renja k", "target kinerja k",
                         "target kinerja dan anggaran renja tahun k")),
        *_quarter_columns()[:4],
        Column("pagu", "Pagu (Rp)", "Budget ceiling (Rp)", "number", min_value=0, width=18,
               synonyms=("pagu", "target rp", "pagu anggaran", "anggaran", "pagu indikatif", "target renja rp",
                         "alokasi anggaran", "target kinerja dan anggaran renja tahun rp")),
        *_quarter_columns()[4:],
        Column("sumber_data", "Sumber Data", "Data source", "text", synonyms=("sumber", "data source")),
        Column("faktor_pendorong", "Faktor Pendorong", "Enabling factors", "text", width=30,
               synonyms=("pendorong", "faktor pendukung", "enabling factors")),
        Column("faktor_penghambat", "Faktor Penghambat", "Inhibiting factors", "text", width=30,
               synonyms=("penghambat", "kendala", "hambatan", "inhibiting factors")),
        Column("tindak_lanjut", "Tindak Lanjut", "Follow-up", "text", width=30,
               synonyms=("rencana tindak lanjut", "rtl", "follow up")),
        Column("data_dukung", "Data Dukung (tautan)", "Evidence (link)", "url", width=30,
               synonyms=("data dukung", "bukti", "link data dukung", "evidence", "tautan")),
    ),
)

PASKIBRAKA = SheetSpec(
    key="paskibraka", name="Paskibraka", name_en="Paskibraka", required=False, max_rows=200,
    synonyms=("paskibraka", "seleksi paskibraka", "tahapan paskibraka", "paskibraka funnel"),
    columns=(
        Column("tahap", "Tahap", "Stage", "choice", True, choices="tahap", width=38,
               synonyms=("tahapan", "stage", "uraian tahap")),
        Column("putra", "Putra", "Boys", "int", min_value=0, synonyms=("laki laki", "l", "boys", "pa")),
        Column("putri", "Putri", "Girls", "int", min_value=0, synonyms=("perempuan", "p", "girls", "pi")),
        Column("jumlah", "Jumlah", "Total", "int", min_value=0, synonyms=("total", "jml")),
        Column("rencana_mulai", "Rencana Mulai", "Planned start", "date", synonyms=("jadwal mulai", "planned start")),
        Column("rencana_selesai", "Rencana Selesai", "Planned end", "date", synonyms=("jadwal selesai", "planned end")),
        Column("realisasi_mulai", "Realisasi Mulai", "Actual start", "date", synonyms=("mulai", "actual start")),
        Column("realisasi_selesai", "Realisasi Selesai", "Actual end", "date", synonyms=("selesai", "actual end")),
        Column("catatan", "Catatan", "Notes", "text", width=30, synonyms=("keterangan", "notes", "ket")),
    ),
)

PROGRAM_NILAI = SheetSpec(
    key="nilai", name="Program Nilai", name_en="Values programs", required=False,
    synonyms=("program nilai", "kegiatan nilai", "pembinaan ideologi", "values programs", "nilai"),
    columns=(
        Column("tema", "Tema", "Theme", "choice", True, choices="tema", width=28, synonyms=("theme", "bidang tema")),
        Column("kegiatan", "Kegiatan", "Activity", "text", True, width=36,
               synonyms=("nama kegiatan", "activity", "judul kegiatan")),
        Column("kode_subkegiatan", "Kode Sub Kegiatan", "Sub-activity code", "code", synonyms=("kode",)),
        Column("tanggal", "Tanggal", "Date", "date", True, synonyms=("tgl", "date", "waktu")),
        Column("lokasi", "Lokasi", "Location", "text", synonyms=("tempat", "location")),
        Column("sasaran", "Kelompok Sasaran", "Target group", "text",
               synonyms=("sasaran", "target group", "peserta sasaran")),
        Column("peserta", "Jumlah Peserta", "Participants", "int", min_value=0,
               synonyms=("peserta", "participants", "jml peserta")),
        Column("pre_test", "Nilai Pre-test", "Pre-test score", "number", min_value=0, max_value=100,
               synonyms=("pre test", "pretest", "nilai awal")),
        Column("post_test", "Nilai Post-test", "Post-test score", "number", min_value=0, max_value=100,
               synonyms=("post test", "posttest", "nilai akhir")),
        Column("rubrik", "Level Rubrik (1-5)", "Rubric level (1-5)", "int", min_value=1, max_value=5,
               synonyms=("rubrik", "level rubrik", "rubric", "tingkat rubrik")),
        Column("narasi", "Cerita Perubahan", "Story of change", "text", width=50,
               synonyms=("narasi", "cerita perubahan", "narrative", "uraian hasil")),
        Column("data_dukung", "Data Dukung (tautan)", "Evidence (link)", "url", width=30,
               synonyms=("data dukung", "bukti", "evidence", "tautan")),
    ),
)

SUBMISSION_SHEETS: tuple[SheetSpec, ...] = (IDENTITAS, INDIKATOR, PASKIBRAKA, PROGRAM_NILAI)

# --- provincial RPJMD reference workbook (maintained by Bappeda) ------------------------------------

PLAN_YEARS = 5

RPJMD_IDENTITAS = SheetSpec(
    key="rpjmd_identitas", name="Identitas", name_en="Identity", layout="keyvalue",
    columns=(
        Column("provinsi", "Provinsi", "Province", "text", True),
        Column("kode_provinsi", "Kode Provinsi", "Province code", "region", True, synonyms=("kode",)),
        Column("periode_rpjmd", "Periode RPJMD", "RPJMD period", "text", True, synonyms=("periode",)),
        Column("dokumen", "Dokumen", "Document", "text", synonyms=("dasar hukum", "sumber")),
    ),
)

RPJMD_INDIKATOR = SheetSpec(
    key="rpjmd", name="RPJMD", name_en="RPJMD",
    synonyms=("rpjmd", "indikator rpjmd", "rpd", "cascading"),
    columns=(
        Column("kode_rpjmd", "Kode Indikator RPJMD", "RPJMD indicator code", "code", True,
               synonyms=("kode indikator", "kode")),
        Column("tujuan", "Tujuan", "Goal", "text", width=30),
        Column("sasaran", "Sasaran", "Target objective", "text", True, width=30),
        Column("kode_program", "Kode Program", "Program code", "code", True),
        Column("indikator", "Indikator Kinerja", "Performance indicator", "text", True, width=40,
               synonyms=("indikator",)),
        Column("satuan", "Satuan", "Unit", "text", True, choices="satuan"),
        Column("polaritas", "Polaritas", "Polarity", "choice", True, choices="polaritas"),
        Column("baseline", "Kondisi Awal", "Baseline", "number", synonyms=("baseline",)),
        *(Column(f"target_{i}", f"Target Tahun ke-{i}", f"Target year {i}", "range",
                 synonyms=(f"target th {i}", f"target tahun {i}", f"target {i}")) for i in range(1, PLAN_YEARS + 1)),
        Column("target_akhir", "Kondisi Akhir Periode", "End-of-period target", "range",
               synonyms=("target akhir", "kondisi kinerja akhir", "target akhir periode")),
        Column("perangkat_daerah", "Perangkat Daerah", "Responsible agency", "text",
               synonyms=("opd", "penanggung jawab")),
    ),
)

RPJMD_SHEETS: tuple[SheetSpec, ...] = (RPJMD_IDENTITAS, RPJMD_INDIKATOR)

# --- label matching -----------------------------------------------------------------------------------

_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
_TOKEN_MAP = {"triwulan": "tw", "trw": "tw", "tri": "tw", "quarter": "tw", "q": "tw", "kab": "kabupaten",
              "subkegiatan": "sub kegiatan", "sub-kegiatan": "sub kegiatan", "rp.": "rp"}


def normalise_label(text: object) -> str:
    """Fold a header or choice value into a comparison form: case, accents, punctuation, roman numerals."""
    s = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().lower()
    s = re.sub(r"(\d)([a-z])", r"\1 \2", s)
    s = re.sub(r"([a-z])(\d)", r"\1 \2", s)
    tokens = re.split(r"[^a-z0-9+\-]+|(?<=\w)-|-(?=\w)", s)
    out = []
    for tok in tokens:
        if not tok:
            continue
        tok = _TOKEN_MAP.get(tok, tok)
        tok = _ROMAN.get(tok, tok)
        out.append(tok)
    return " ".join(out)


@dataclass
class HeaderIndex:
    """Normalised header text -> column key, for one sheet spec."""
    spec: SheetSpec
    lookup: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, spec: SheetSpec) -> HeaderIndex:
        idx = cls(spec)
        for col in spec.columns:
            for text in (col.key.replace("_", " "), col.label, col.label_en, *col.synonyms):
                idx.lookup.setdefault(normalise_label(text), col.key)
        return idx

    def match(self, header: object) -> str | None:
        return self.lookup.get(normalise_label(header))


def sheet_specs_by_name(specs: tuple[SheetSpec, ...]) -> dict[str, SheetSpec]:
    out: dict[str, SheetSpec] = {}
    for spec in specs:
        for text in (spec.name, spec.name_en, *spec.synonyms):
            out.setdefault(normalise_label(text), spec)
    return out
