"""The floor for tests/bench_floor.py: the least a Streamlit page with our sidebar's sector control (the same widget) can be.

Same server flags and theme as the product (app/serve.py), one heading, one paragraph and the sector radio in the
sidebar; no data, no charts. What this page costs the browser, every page of the product costs at least.
"""

import streamlit as st

st.set_page_config(page_title="Kale pagina", layout="wide")
sector = st.sidebar.segmented_control("Sector", ["Alle", "mbo", "hbo", "wo"], default="Alle")
st.title("Kale pagina")
st.write(f"Gekozen sector: {sector}. Geen gegevens, geen grafieken: alleen Streamlit zelf.")
