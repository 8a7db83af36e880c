"""Transitiemonitor: the router. Filters in the sidebar, one page module per view."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `app` as a package, however Streamlit starts us

import streamlit as st  # noqa: E402

from app import data, presentation  # noqa: E402
from app.ui import filtering, layout  # noqa: E402

# A local icon: a Material icon as favicon is fetched from a font CDN, which fails offline.
st.set_page_config(
    page_title="Transitiemonitor", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide"
)

pages = {
    name: st.Page(path, title=layout.PAGE_TITLES[name], url_path=name, default=name == "overzicht")
    for name, path in layout.PAGES.items()
    if name in layout.enabled_pages()
}
navigation = st.navigation(list(pages.values()), position="hidden")
st.session_state["_page"] = next(name for name, page in pages.items() if page.url_path == navigation.url_path)

try:
    filters = filtering.sidebar_filters()
except data.WarehouseMissing as missing:
    st.title("Transitiemonitor")
    st.error(f"{missing} Daarna deze pagina verversen.")
    st.stop()

st.session_state["_filters"] = filters
layout.apply_style(filters)
presentation.install_app_script()
if filters.presentation:
    presentation.presentation_bar(filters)
else:
    with st.sidebar:
        st.divider()
        layout.nav_links(filters, layout.current_page())
        st.divider()
        layout.presentation_toggle(filters)
        st.caption("Bron: Nulmeting transitiemonitoring (DRIFT en Risbo voor Npuls, maart 2026).")

navigation.run()
