"""Router: every page file of the navigation (`ui.router` draws the sidebar and runs the page), and the
st.App that serves the pages together with the HTTP routes: the sign-in session routes of
`ui.session_routes` and the open-data API, /healthz and /metrics of `ui.api`.

`streamlit run dashboard.py` finds `app` below and serves it; the app then runs this file as its script
(`__main__`), which draws one run through `ui.router.route`.
"""

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
        ("pages/rakor.py", "rakor", ":material/picture_as_pdf:"),
    ],
    "nav.section_data": [
        ("pages/unggah.py", "unggah", ":material/upload_file:"),
        ("pages/tinjauan.py", "tinjauan", ":material/fact_check:"),
        ("pages/masuk.py", "masuk", ":material/login:"),
    ],
}

if __name__ == "__main__":
    # Streamlit runs this file as `__main__` on every script run: the router draws the page.
    from ui.router import route

    route(PAGES)
else:
    # `streamlit run dashboard.py` first imports this file as a module, finds this st.App and serves it
    # (uvicorn): the pages, the sign-in session routes and the API from the same process.
    import streamlit as st

    from ui.api import api_routes
    from ui.session_routes import session_routes

    app = st.App("dashboard.py", routes=[*session_routes(), *api_routes()])
