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
