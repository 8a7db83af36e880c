"""SQL — eigen vragen aan het warehouse: alleen lezen, met schema, voorbeelden en downloads.

The query runs in a throwaway worker process (app/sql_worker.py) that hands back text-converted columns, so
this page only shows what came back, or a Dutch message with DuckDB's own words as plain text below it.
"""

from functools import partial

import polars as pl
import streamlit as st

from app import access, audit, data
from app.exports import tables
from app.scoring import runtime
from app.text.numbers import number_text, seconds_text
from app.ui import lazy

# Questions analysts asked; each loads into the editor with one click.
EXAMPLES = {
    "Welke wo-voorbeelden noemen microcredentials?": """select e.evidence_kind, e.theme_code, e.dynamic_code, e.evidence_text
from fct_evidence e
join bridge_evidence_sector s using (evidence_id)
where s.sector_code = 'wo'
  and e.search_text like '%microcredential%'
order by e.theme_code, e.dynamic_code""",
    "Waar is institutionalisering hoogstens 2 terwijl opbouw 4 is?": """select t.theme_name,
       o.score as opbouw,
       i.score as institutionalisering
from fct_score o
join fct_score i using (measurement_year, theme_code, sector_code)
join dim_theme t using (theme_code)
where o.dynamic_code = 'opbouw' and o.score = 4
  and i.dynamic_code = 'institutionalisering' and i.score <= 2
  and o.measurement_year = 2025""",
    "Alle scores van de nulmeting naast elkaar": """select t.theme_name as thema,
       max(s.score) filter (where s.dynamic_code = 'opbouw') as opbouw,
       max(s.score) filter (where s.dynamic_code = 'institutionalisering') as institutionalisering,
       max(s.score) filter (where s.dynamic_code = 'lock_in') as lock_in,
       max(s.score) filter (where s.dynamic_code = 'afbouw') as afbouw
from fct_score s
join dim_theme t using (theme_code)
where s.measurement_year = 2025 and s.sector_code = 'alle'
group by t.theme_name, t.sort_order
order by t.sort_order""",
    "Welk niveau uit de scoringstabel hoort bij elke lock-in-score?": """select t.theme_name, s.score, r.descriptor
from fct_score s
join dim_theme t using (theme_code)
join dim_rubric_level r on r.dynamic_code = s.dynamic_code and r.level = s.score
where s.dynamic_code = 'lock_in' and s.measurement_year = 2025
order by s.score desc, t.sort_order, r.descriptor_seq""",
    "Hoeveel bewijs is er per thema en soort?": """select coalesce(t.theme_name, '(geen)') as thema, k.evidence_kind_label as soort, count(*) as aantal
from fct_evidence e
join bridge_evidence_theme b using (evidence_id)
join dim_theme t on t.theme_code = b.theme_code
join dim_evidence_kind k using (evidence_kind)
group by all
order by thema, aantal desc""",
    "Welke instellingen worden het vaakst genoemd?": """select i.institution_name, i.sector_code, count(*) as keer_genoemd
from bridge_evidence_institution b
join dim_institution i using (institution_code)
where i.institution_kind = 'onderwijsinstelling'
group by all
order by keer_genoemd desc, i.institution_name
limit 15""",
    "Welk deel van het bewijs per thema gaat over één sector?": """select t.theme_name,
       count(distinct e.evidence_id) as bewijs,
       count(distinct e.evidence_id) filter (where not list_contains(e.sector_codes, 'alle')) as sectorspecifiek,
       round(100.0 * sectorspecifiek / bewijs) as procent
from fct_evidence e
join bridge_evidence_theme b using (evidence_id)
join dim_theme t on t.theme_code = b.theme_code
group by all
order by procent desc""",
    "Wat zeggen de monitoringssessies over afbouw?": """select s.session_name, e.evidence_kind, e.heading, e.evidence_text
from fct_evidence e
join dim_session s using (report_session_id)
where e.dynamic_code = 'afbouw' and e.evidence_kind in ('sessie_narratief', 'sessie_ontwikkeling')
order by s.session_number, e.seq""",
    "Waar is lock-in sterker dan afbouw?": """select t.theme_name, l.score as lock_in, a.score as afbouw, l.score - a.score as verschil
from fct_score l
join fct_score a using (measurement_year, theme_code, sector_code)
join dim_theme t using (theme_code)
where l.dynamic_code = 'lock_in' and a.dynamic_code = 'afbouw' and l.measurement_year = 2025
order by verschil desc""",
    "Welke geraadpleegde bronnen zijn niet openbaar?": """select title, organisation
from dim_source
where not is_public
order by title""",
}

st.title("SQL")
st.caption(
    "Stel het warehouse uw eigen vraag. Alleen lezen: bestanden, instellingen en wijzigingen zijn afgeschermd. "
    f"Maximaal {number_text(data.SQL_ROW_CAP)} rijen, {data.SQL_COLUMN_CAP} kolommen, "
    f"{data.SQL_BYTE_CAP // 1024**2} MB en {seconds_text(data.SQL_TIMEOUT_MS)} seconden per query."
)

if "sql" not in st.session_state:
    st.session_state["sql"] = next(iter(EXAMPLES.values()))


def show_columns(table: dict) -> None:
    st.markdown(table["table_comment"] or "")
    columns = schema.filter(table_name=table["table_name"]).select(
        pl.col("column_name").alias("kolom"),
        pl.col("data_type").alias("type"),
        pl.col("column_comment").fill_null("").alias("betekenis"),
    )
    st.dataframe(columns, hide_index=True, width="stretch")


editor_column, help_column = st.columns([3, 2], gap="large")

with help_column:
    st.subheader("Voorbeeldvragen")
    for index, (question, query) in enumerate(EXAMPLES.items()):
        if st.button(question, key=f"voorbeeld-{index}", width="stretch"):
            st.session_state["sql"] = query
            st.session_state["run_sql"] = True

    st.subheader("Schema")
    schema = data.schema()
    marts = schema.select("table_name", "table_comment").unique(maintain_order=True)
    st.caption(f"{marts.height} tabellen in het publieke schema. Klik een tabel open voor de kolommen.")
    for table in marts.iter_rows(named=True):
        # A table's columns are made only when it is opened: two dozen tables at once slowed the page down.
        lazy.lazy_expander(f"`{table['table_name']}`", f"schema-{table['table_name']}", partial(show_columns, table))

with editor_column:
    st.text_area(
        "SQL (Ctrl+Enter of de knop om uit te voeren)",
        key="sql",
        height=260,
        on_change=lambda: st.session_state.update(run_sql=True),
    )
    if st.button("Uitvoeren", type="primary", icon=":material/play_arrow:"):
        st.session_state["run_sql"] = True
    # No highlighted copy of the query under the box: the highlighter alone added ~1 s to the page's first paint
    # (docs/benchmark-profile.md) and repeated what the box shows.
    query = st.session_state["sql"]

    if st.session_state.pop("run_sql", False):
        try:
            audit.record_sql(runtime.store, access.actor(), query)  # who ran which SQL: before it runs
            st.session_state["sql_result"] = (query, data.run_user_sql(query), None)
        except data.SqlRefused as refused:
            st.session_state["sql_result"] = (query, None, refused)
        except audit.AuditNotWritten as not_logged:
            st.session_state["sql_result"] = (query, None, data.SqlRefused(str(not_logged)))

    ran = st.session_state.get("sql_result")
    if ran:
        ran_query, result, refusal = ran
        if refusal:
            st.error(refusal.message, icon=":material/block:")
            if refusal.detail:
                # DuckDB's words as plain text: never Markdown, so a message cannot carry a link or markup.
                st.code(refusal.detail, language=None, wrap_lines=True)
        else:
            rows = number_text(result.frame.height)
            cut = []
            if result.truncated:
                cut.append(f"er zijn meer dan {number_text(data.SQL_ROW_CAP)} rijen")
            if result.truncated_bytes:
                cut.append(f"meer dan {data.SQL_BYTE_CAP // 1024**2} MB")
            if result.column_count > result.frame.width:
                cut.append(f"de eerste {result.frame.width} van {number_text(result.column_count)} kolommen")
            more = f" (afgekapt: {'; '.join(cut)})" if cut else ""
            st.markdown(
                f"**{rows} {'rij' if result.frame.height == 1 else 'rijen'}** in {result.seconds * 1000:.0f} ms{more}"
            )
            st.dataframe(result.frame, hide_index=True, width="stretch")
            if result.frame.width:
                tables.table_downloads(result.frame, "transitiemonitor-sql", key="sql-resultaat")
