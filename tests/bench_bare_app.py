"""The floor for tests/bench_floor.py: the least a Streamlit page with our sidebar's sector control (the same
widget) can be, and what one kind of element adds to it.

Same server flags and theme as the product (app/serve.py), one heading, one paragraph and the sector control in
the sidebar; no data, no charts. What this page costs the browser, every page of the product costs at least.
`?met=<kind>` adds the elements the product's pages are made of, one kind at a time (ELEMENTS below), so the cost
of each kind is measured on its own.
"""

import polars as pl
import streamlit as st

CARD = (
    "<p><strong>Praktijkvoorbeeld</strong> · Flexibele leerroutes · Opbouw</p><p>Een instelling biedt modules aan "
    "die studenten in hun eigen tempo volgen, met erkenning van eerder verworven competenties.</p>"
)
TABLE = pl.DataFrame({"Thema": [f"Thema {i}" for i in range(5)], **{f"D{d}": [3, 2, 4, 1, 5] for d in range(4)}})


def cards_as_elements() -> None:
    for _ in range(25):
        with st.container(border=True):
            st.html(CARD)
            st.markdown("Naar het thema →")


ELEMENTS = {
    "tabel": lambda: st.dataframe(TABLE, hide_index=True),
    "code": lambda: st.code("select theme_name, score\nfrom fct_score\norder by 1", language="sql"),
    "uitklappers": lambda: [st.expander(f"tabel_{i}").markdown("kolommen") for i in range(20)],
    "kaarten": cards_as_elements,
    "kaarten-html": lambda: st.html("".join(f'<div class="kaart">{CARD}</div>' for _ in range(25))),
    "metrics": lambda: [column.metric(f"Maat {i}", i) for i, column in enumerate(st.columns(3))],
    "tekstvak": lambda: st.text_area("SQL", "select 1", height=260),
    "knoppen": lambda: [st.button(f"Knop {i}", icon=":material/arrow_forward:") for i in range(10)],
    "downloads": lambda: [st.download_button(f"Download {i}", "x", f"x{i}.csv") for i in range(5)],
    "koppen": lambda: [st.subheader(f"Kop {i}") for i in range(10)],
}


def page() -> None:
    st.set_page_config(page_title="Kale pagina", layout="wide")
    sector = st.sidebar.segmented_control("Sector", ["Alle", "mbo", "hbo", "wo"], default="Alle")
    st.title("Kale pagina")
    st.write(f"Gekozen sector: {sector}. Geen gegevens, geen grafieken: alleen Streamlit zelf.")
    extra = ELEMENTS.get(st.query_params.get("met", ""))
    if extra:
        extra()


if __name__ == "__main__":  # as Streamlit runs it; tests/bench_floor.py imports ELEMENTS only
    page()
