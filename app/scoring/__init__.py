"""The live scoring session: an append-only vote store (the only code that writes) and the rules over it.

store.py    the event log and the current state derived from it, on SQLite (default) or PostgreSQL
session.py  the rules: join codes, who may change what, open and closed rounds, the facilitator secret
figures.py  the shared screen's dot plot (plain SVG) and the join QR code
runtime.py  the glue for the pages: which store, which secret (environment or st.secrets)
display.py  what both pages show: reference scores, rubric text, the shared screen's cells as escaped HTML
"""
