"""The live scoring session: the rules over the vote store and what its pages show.

The vote store itself (the only code that writes votes: the event log and the current state derived from it,
on SQLite or PostgreSQL) is `warehouse.votes`, below the app, so that the warehouse build can read it too.

session.py            the rules: join codes, server-issued identity, who may change what, open and closed
                      rounds, the facilitator secret, the throttles and the participant cap
participant_cookie.py the one HTTP route: a browser redeems its join claim for the HttpOnly participant cookie
figures.py            the shared screen's dot plot (plain SVG) and the join QR code
runtime.py            the glue for the pages: which store, secret, client address, cookie and link
display.py            what both pages show: reference scores, rubric text, the shared screen's cells as escaped
                      HTML
"""
