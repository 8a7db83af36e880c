"""Transitiemonitor: the router. Sign-in (when configured), filters in the sidebar, one page module per view.

Every page of the deployment is registered, whatever the visitor's role, so a page reached by URL is answered by
our own Dutch refusal (app/access.py) and not by Streamlit's English 'page not found'; the links in the sidebar
and the presentation bar show only the pages the visitor may use.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `app` as a package, however Streamlit starts us

import streamlit as st  # noqa: E402

from app import access, data, memory, presentation  # noqa: E402
from app.ui import filter_tools, filtering, layout  # noqa: E402

# A local icon: a Material icon as favicon is fetched from a font CDN, which fails offline.
st.set_page_config(
    page_title="Transitiemonitor", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide"
)

pages = {
    name: st.Page(path, title=layout.PAGE_TITLES[name], url_path=name, default=name == "overzicht")
    for name, path in layout.PAGES.items()
    if name in layout.deployment_pages()
}
navigation = st.navigation(list(pages.values()), position="hidden")
page_name = next(name for name, page in pages.items() if page.url_path == navigation.url_path)
st.session_state["_page"] = page_name

verdict = access.decision(page_name)
if verdict in access.WHOLE_PAGE_GATES:
    access.show_gate(verdict)
with st.sidebar:  # who is signed in, at the top; nothing in the open local mode
    access.sidebar_identity()

try:
    filters = filtering.sidebar_filters()
except data.WarehouseMissing as missing:
    st.title("Transitiemonitor")
    st.error(f"{missing} Daarna deze pagina verversen.")
    st.stop()

st.session_state["_filters"] = filters
layout.apply_style(filters)
presentation.install_app_script()
filter_tools.install_copy_script()
if filters.presentation:
    presentation.presentation_bar(filters)
else:
    with st.sidebar:
        filter_tools.sidebar_tools(filters, page_name)
        st.divider()
        layout.nav_links(filters, layout.current_page())
        st.divider()
        layout.presentation_toggle(filters)
        st.caption("Bron: Nulmeting transitiemonitoring (DRIFT en Risbo voor Npuls, maart 2026).")

if verdict == access.REFUSED:
    access.show_refusal(layout.PAGE_TITLES[page_name])
if not filters.presentation and page_name not in filter_tools.LINE_IN_PAGE:
    filter_tools.active_filters_line(filters, page_name)
try:
    navigation.run()
finally:  # also when the page stops or reruns: Streamlit collects garbage after every run, fragments' too
    memory.freeze_long_lived()
