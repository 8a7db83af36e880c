"""Transitiemonitor: the router. Filters in the sidebar, one page module per view."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `app` as a package, however Streamlit starts us

import streamlit as st  # noqa: E402

from app import data, ui  # noqa: E402

st.set_page_config(page_title="Transitiemonitor", page_icon=":material/monitoring:", layout="wide")

pages = {
    name: st.Page(path, title=ui.PAGE_TITLES[name], url_path=name, default=name == "overzicht")
    for name, path in ui.PAGES.items()
    if name in ui.enabled_pages()
}
navigation = st.navigation(list(pages.values()), position="hidden")
st.session_state["_page"] = next(name for name, page in pages.items() if page.url_path == navigation.url_path)

try:
    filters = ui.sidebar_filters()
except data.WarehouseMissing as missing:
    st.title("Transitiemonitor")
    st.error(f"{missing} Daarna deze pagina verversen.")
    st.stop()

st.session_state["_filters"] = filters
ui.apply_style(filters)
if filters.presentation:
    names = ui.enabled_pages()
    columns = st.columns([1] * len(names) + [2], vertical_alignment="center")
    for column, name in zip(columns, names, strict=False):
        with column:
            st.page_link(
                ui.PAGES[name],
                label=ui.PAGE_TITLES[name],
                query_params=filters.params(),
                disabled=name == ui.current_page(),
            )
    with columns[-1]:
        ui.presentation_toggle(filters)
else:
    with st.sidebar:
        st.divider()
        ui.nav_links(filters, ui.current_page())
        st.divider()
        ui.presentation_toggle(filters)
        st.caption("Bron: Nulmeting transitiemonitoring (DRIFT en Risbo voor Npuls, maart 2026).")

navigation.run()
