"""The live scoring session: the rules over the vote store and what its pages show.

The vote store itself (the only code that writes votes: the event log and the current state derived from it,
on SQLite or PostgreSQL) is `warehouse.votes`, below the app, so that the warehouse build can read it too.

session.py  the rules: join codes, who may change what, open and closed rounds, the facilitator secret
figures.py  the shared screen's dot plot (plain SVG) and the join QR code
runtime.py  the glue for the pages: which store, which secret (environment or st.secrets)
display.py  what both pages show: reference scores, rubric text, the shared screen's cells as escaped HTML
"""
