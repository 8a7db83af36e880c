"""Logboek — wie opende een scoringssessie, toonde de uitslag, sloot of heropende een ronde, legde een score vast,
en wie voerde welke SQL uit, wanneer. Voor de rol begeleider (met aanmelden); nooit met namen van deelnemers.
"""

import polars as pl
import streamlit as st

from app import audit
from app.exports import tables
from app.scoring import runtime
from warehouse.votes import StoreError

SHOWN = 500

st.title("Logboek")
st.caption(
    "Wie een scoringssessie opende, de uitslag van een ronde toonde, een ronde sloot of heropende, een afgesproken "
    "score vastlegde, en wie welke SQL uitvoerde. Tijden in UTC. Deelnemers staan hier nooit in, ook niet met "
    "hun naam of pseudoniem."
)

try:
    entries = audit.recent(runtime.store(), SHOWN)
except StoreError as error:  # a Dutch sentence ('probeer het … opnieuw' when the store is down)
    st.warning(str(error), icon=":material/sync:")
    st.stop()

if not entries:
    st.info("Er staat nog niets in het logboek.")
    st.stop()

table = pl.DataFrame(
    {
        "tijd (UTC)": [e.occurred_at[:19].replace("T", " ") for e in entries],
        "wie": [e.actor for e in entries],
        "rol": [e.actor_role for e in entries],
        "wat": [audit.ACTION_LABELS.get(e.action, e.action) for e in entries],
        "sessie": [e.join_code or "" for e in entries],
        "thema": [e.theme_code or "" for e in entries],
        "details": [e.detail for e in entries],
    }
)
st.markdown(f"**{len(entries)} {'gebeurtenis' if len(entries) == 1 else 'gebeurtenissen'}**, de nieuwste eerst.")
st.dataframe(table, hide_index=True, width="stretch")
tables.table_downloads(
    table, "transitiemonitor-logboek", key="logboek", title="Logboek", file_name="transitiemonitor-logboek"
)
