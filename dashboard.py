"""Router: the navigation over every page file (listed here), and the app that serves it with the
sign-in session routes (st.App).

`streamlit run dashboard.py` finds `app` below and serves it; the app then runs this file as its script
(`__main__`), which draws one run through `ui.router.route`.
"""

import streamlit as st

# Every page file, listed explicitly (st.navigation does not discover pages/): (path, url slug, icon).
PAGES = {
    "nav.section_dashboard": [
        ("pages/ringkasan.py", "ringkasan", ":material/dashboard:"),
        ("pages/bandingkan.py", "bandingkan", ":material/compare_arrows:"),
        ("pages/indikator.py", "indikator", ":material/query_stats:"),
        ("pages/profil_wilayah.py", "profil_wilayah", ":material/location_city:"),
    ],
    "nav.section_programs": [
        ("pages/paskibraka.py", "paskibraka", ":material/flag:"),
        ("pages/program_nilai.py", "program_nilai", ":material/diversity_3:"),
        ("pages/berdampingan.py", "berdampingan", ":material/view_column:"),
    ],
    "nav.section_analysis": [
        ("pages/keselarasan.py", "keselarasan", ":material/account_tree:"),
        ("pages/keterukuran.py", "keterukuran", ":material/rule:"),
        ("pages/inspirasi.py", "inspirasi", ":material/lightbulb:"),
        ("pages/peringatan.py", "peringatan", ":material/notification_important:"),
    ],
    "nav.section_data": [
        ("pages/unggah.py", "unggah", ":material/upload_file:"),
        ("pages/tinjauan.py", "tinjauan", ":material/fact_check:"),
        ("pages/masuk.py", "masuk", ":material/login:"),
    ],
}

if __name__ == "__main__":
    from ui.router import route

    route(PAGES)
else:
    from ui.session_routes import session_routes

    app = st.App("dashboard.py", routes=session_routes())
