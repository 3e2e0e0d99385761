"""How the shared table widget prints numbers: the language's marks on every quantity, never on a year."""

import pandas as pd

from ui import widgets


def shown(df: pd.DataFrame) -> list[list[str]]:
    styler = widgets._styled(df)
    styler._compute()
    return [[styler._display_funcs[(r, c)](df.iat[r, c]) for c in range(df.shape[1])] for r in range(len(df))]


def test_integer_counts_get_the_thousands_mark_and_years_do_not():
    # Paskibraka's conversion table: "Jumlah (tahap induk)" (float) showed 4.031 beside "Jumlah" (int) 2941
    df = pd.DataFrame({"Jumlah": [2941, 56], "Tahun": [2026, 2025], "Konversi (%)": [73.0, 7.25],
                       "Anggaran (Rp)": [1500000.0, None]})
    assert shown(df) == [["2.941", "2026", "73,00", "1.500.000"], ["56", "2025", "7,25", "—"]]


def test_every_kind_of_year_column_stays_unseparated_but_a_yearly_change_keeps_its_decimals():
    # Program Nilai's index table showed "Year measured" as 2,021 once integer columns got separators
    df = pd.DataFrame({"Tahun yang diukur": [2021, 2024], "Tahun terbit": [2022.0, None],
                       "Perubahan dari tahun sebelumnya (%)": [12.5, -3.0], "Pendaftar": [2119, 1912]})
    assert shown(df) == [["2021", "2022", "12,50", "2.119"], ["2024", "—", "-3,00", "1.912"]]
