"""The evidence: every piece under a set of filters, and the Voorbeelden and Thema pages' lists, searched,
filtered, counted and paged in DuckDB."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from app.data.connection import _frame, _run, _version
from app.data.search_queries import hit_lists, hits
from warehouse.search_index.engine import Hits

EVIDENCE_COLUMNS = (
    "e.evidence_id, e.measurement_year, e.evidence_kind, k.evidence_kind_label, e.theme_code, e.dynamic_code, "
    "e.report_session_id, e.session_code, e.parent_evidence_id, e.seq, e.heading, e.evidence_text, e.sector_codes, "
    "e.sector_scope, e.institution_codes, e.provenance"
)


def evidence(
    year: int | None = None,
    theme_code: str | None = None,
    dynamic_code: str | None = None,
    sector_code: str | None = None,
    kinds: tuple[str, ...] = (),
    institution_code: str | None = None,
    search: str = "",
) -> pl.DataFrame:
    """Evidence matching every given filter; None or empty means 'any'.

    A sector filter keeps evidence about that sector and sector-wide evidence, never evidence about other
    sectors only. The search is case- and accent-insensitive on heading and text.
    """
    terms = [t for t in search.split() if t]
    return _frame(
        f"select {EVIDENCE_COLUMNS}, "
        "exists (select 1 from bridge_evidence_sector b where b.evidence_id = e.evidence_id "
        "        and b.sector_code = ?) as about_sector "
        "from fct_evidence e join dim_evidence_kind k using (evidence_kind) "
        "left join dim_theme t on t.theme_code = e.theme_code "
        "left join dim_dynamic d on d.dynamic_code = e.dynamic_code "
        "left join dim_session s on s.report_session_id = e.report_session_id "
        "where (? is null or e.measurement_year = ?) "
        "  and (? is null or e.evidence_id in (select evidence_id from bridge_evidence_theme where theme_code = ?)) "
        "  and (? is null or e.dynamic_code = ?) "
        "  and (? is null or ? = 'alle' or e.evidence_id in (select evidence_id from bridge_evidence_sector "
        "       where sector_code in (?, 'alle'))) "
        "  and (len(?::varchar[]) = 0 or list_contains(?::varchar[], e.evidence_kind)) "
        "  and (? is null or list_contains(e.institution_codes, ?)) "
        "  and coalesce(list_bool_and(list_transform(?::varchar[], "
        "      lambda w: contains(e.search_text, lower(strip_accents(w))))), true) "
        "order by e.measurement_year, t.sort_order nulls first, d.sort_order nulls first, k.sort_order, "
        "s.session_number nulls first, e.seq",
        sector_code,
        year,
        year,
        theme_code,
        theme_code,
        dynamic_code,
        dynamic_code,
        sector_code,
        sector_code,
        sector_code,
        list(kinds),
        list(kinds),
        institution_code,
        institution_code,
        terms,
    )


# --- Evidence, searched, filtered and paged in DuckDB ----------------------------------------------------------
#
# The Voorbeelden and Thema pages never fetch more evidence than they show: filters, counts and limit/offset run
# in DuckDB on search.evidence (one row per piece of evidence, filter columns first); a search is matched and
# ranked by the search index (app.data.search_queries) and joins in as (text_key, score); only the texts of the
# shown rows are read.

EVIDENCE_PAGE_SIZE = 25


@dataclass(frozen=True)
class EvidenceFilter:
    """What to show; None or empty means 'any'. A sector keeps evidence about it and sector-wide evidence."""

    year: int | None = None
    theme_code: str | None = None
    dynamic_code: str | None = None
    sector_code: str | None = None
    kinds: tuple[str, ...] = ()
    institution_code: str | None = None
    search: str = ""
    expand: bool = True  # the search also looks up the thesaurus's other terms ('ook gezocht op')
    about_sector: bool = False  # only evidence that names the sector itself (not sector-wide evidence)
    session_findings: bool = False  # session findings, and session examples whose finding is filtered out

    def without(self, **changes) -> EvidenceFilter:
        return EvidenceFilter(**{**self.__dict__, **changes})


@dataclass(frozen=True)
class EvidencePage:
    total: int
    rows: pl.DataFrame  # the shown rows, in order, with their texts
    facets: pl.DataFrame  # facet ('dynamiek', 'soort', 'instelling'), value, n: counts under the other filters
    search: Hits | None  # the search as read and matched (None: no search typed)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _search_cached(version: tuple, sql: str, params: tuple) -> pl.DataFrame:
    return _run(sql, params)


def _search_frame(sql: str, params: list) -> pl.DataFrame:
    return _search_cached(_version(), sql, tuple(tuple(p) if isinstance(p, list) else p for p in params))


def _search(f: EvidenceFilter) -> Hits | None:
    return hits(f.search, f.expand) if f.search.strip() else None


def _matches_sql(found: Hits) -> tuple[str, list]:
    """CTE `matched` (text_key, score): the texts the search index matched, with their relevance."""
    keys, scores = hit_lists(found)
    return "matched as (select unnest(?::bigint[]) as text_key, unnest(?::double[]) as score), ", [keys, scores]


def _base_sql(f: EvidenceFilter, found: Hits | None) -> tuple[str, list]:
    """WITH … base, filtered: the evidence under the page-wide filters (year, theme, sector, search), each row
    flagged by the filters a facet leaves out (dynamic, kind, institution); filtered applies those too."""
    prefix, params = _matches_sql(found) if found is not None else ("", [])
    join = "join matched m using (text_key)" if found is not None else ""
    score = "m.score" if found is not None else "0.0"
    if f.about_sector:
        sector_filter, sector_params = "list_contains(s.sector_codes, ?)", [f.sector_code]
    else:
        sector_filter = "(? = 'alle' or list_has_any(s.sector_codes, [?, 'alle']))"
        sector_params = [f.sector_code, f.sector_code]
    sql = (
        f"with {prefix}"
        "base as materialized ("
        "  select s.search_key, s.evidence_id, s.dynamic_code, s.evidence_kind, s.theme_codes, s.institution_codes, "
        f"    s.parent_evidence_id, s.browse_rank, s.report_rank, {score} as score, "
        "    (?::varchar is null or s.dynamic_code = ?) as f_dynamic, "
        "    (len(?::varchar[]) = 0 or list_contains(?::varchar[], s.evidence_kind)) as f_kind, "
        "    (?::varchar is null or list_contains(s.institution_codes, ?)) as f_institution "
        f"  from search.evidence s {join} "
        "  where (?::integer is null or s.measurement_year = ?) "
        "    and (?::varchar is null or list_contains(s.theme_codes, ?)) "
        f"    and (?::varchar is null or {sector_filter}) "
        f"    {'and s.report_session_id is not null' if f.session_findings else ''}"
        "), "
        "filtered as materialized (select * from base where f_dynamic and f_kind and f_institution"
    )
    if f.session_findings:  # a session example shows under its finding, unless the filters dropped the finding
        sql += (
            " and (evidence_kind != 'sessie_voorbeeld' or parent_evidence_id is null "
            "or parent_evidence_id not in (select evidence_id from base where f_dynamic and f_kind and f_institution))"
        )
    sql += ") "
    params += [
        f.dynamic_code,
        f.dynamic_code,
        list(f.kinds),
        list(f.kinds),
        f.institution_code,
        f.institution_code,
        f.year,
        f.year,
        f.theme_code,
        f.theme_code,
        f.sector_code,
        *sector_params,
    ]
    return sql, params


TEXT_COLUMNS = (
    "search_key, evidence_id, evidence_kind, evidence_kind_label, dynamic_code, report_session_id, session_code, "
    "session_name, session_date, parent_evidence_id, heading, evidence_text, sector_codes, sector_scope, "
    "institution_codes, provenance"
)
TEXTS_BY_LIST = 2_048  # up to this many rows (DuckDB's index_scan_max_count) are looked up through the index


def _texts(keys: list[int]) -> pl.DataFrame:
    """Texts and labels of the given rows of search.evidence: a short list is a point lookup per row in the
    index on search_key, so no text is read but the shown ones."""
    if len(keys) <= TEXTS_BY_LIST:
        where, params = f"search_key in ({', '.join('?' * len(keys))})", list(keys)
    else:
        where, params = "search_key in (select unnest(?::bigint[]))", [list(keys)]
    return _search_frame(f"select {TEXT_COLUMNS} from search.evidence where {where}", params)


def _with_texts(keys: pl.DataFrame) -> pl.DataFrame:
    """The shown rows (search_key, theme_codes, score, … in order) with their texts, in the same order."""
    if keys.is_empty():
        return _empty_page()
    texts = _texts(keys["search_key"].to_list()).drop("evidence_id")
    return keys.join(texts, on="search_key", how="left", maintain_order="left").select(_empty_page().columns)


def evidence_page(
    f: EvidenceFilter, offset: int = 0, limit: int = EVIDENCE_PAGE_SIZE, order: str = "browse", facets: bool = False
) -> EvidencePage:
    """One page of evidence under the filters, its total and (facets=True) the counts per option of the dynamic,
    kind and institution filters, each under the other filters. Order: by relevance when searching, else
    'browse' (illustrative examples first) or 'report' (the report's order)."""
    found = _search(f)
    if found is not None and not found.ranked:  # nothing matches (or only punctuation typed)
        return EvidencePage(0, _empty_page(), _empty_facets(), found)
    sql, params = _base_sql(f, found)
    rank = "report_rank" if order == "report" else "browse_rank"
    facet_sql = (
        "(select list(struct_pack(facet := facet, value := value, n := n)) from ("
        "  select 'dynamiek' as facet, coalesce(dynamic_code, '') as value, count(*) as n from base "
        "    where f_kind and f_institution group by all "
        "  union all select 'soort', evidence_kind, count(*) from base where f_dynamic and f_institution group by all "
        "  union all select 'instelling', code, count(*) from (select unnest(institution_codes) as code from base "
        "    where f_dynamic and f_kind) group by all))"
        if facets
        else "[]::struct(facet varchar, value varchar, n bigint)[]"
    )
    # One statement: the total, the facet counts and the keys of the shown rows, as one row of lists.
    sql += (
        "select (select count(*) from filtered) as total, "
        f"{facet_sql} as facets, "
        "(select list(struct_pack(search_key := search_key, evidence_id := evidence_id, theme_codes := theme_codes, "
        "    score := score) "
        f"   order by score desc, {rank}) "
        f" from (select * from filtered order by score desc, {rank} limit ? offset ?)) as keys"
    )
    frame = _search_frame(sql, [*params, limit, offset])
    keys = frame.select(pl.col("keys").explode()).unnest("keys").drop_nulls("search_key")
    facet_rows = frame.select(pl.col("facets").explode()).unnest("facets").drop_nulls("facet")
    return EvidencePage(int(frame["total"][0]), _with_texts(keys), facet_rows, found)


def _empty_page() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "evidence_id": pl.String,
            "evidence_kind": pl.String,
            "evidence_kind_label": pl.String,
            "theme_codes": pl.List(pl.String),
            "dynamic_code": pl.String,
            "report_session_id": pl.String,
            "session_code": pl.String,
            "session_name": pl.String,
            "session_date": pl.Date,
            "parent_evidence_id": pl.String,
            "heading": pl.String,
            "evidence_text": pl.String,
            "sector_codes": pl.List(pl.String),
            "sector_scope": pl.String,
            "institution_codes": pl.List(pl.String),
            "provenance": pl.String,
            "score": pl.Float64,
        }
    )


def _empty_facets() -> pl.DataFrame:
    return pl.DataFrame(schema={"facet": pl.String, "value": pl.String, "n": pl.Int64})


def evidence_count(f: EvidenceFilter) -> int:
    """How many pieces of evidence the filters give (for 'what to loosen' and 'x of y' lines)."""
    found = _search(f)
    if found is not None and not found.ranked:
        return 0
    sql, params = _base_sql(f, found)
    return int(_search_frame(sql + "select count(*) as n from filtered", params)["n"][0])


def evidence_children(parent_ids: tuple[str, ...], sector_code: str | None, limit: int = 10) -> pl.DataFrame:
    """The session examples of the shown findings, in one query: at most `limit` per finding in the report's
    order, with the number each finding has under the sector filter (n_children)."""
    if not parent_ids:
        return _empty_page().with_columns(n_children=pl.lit(0, pl.Int64)).clear()
    keys = _search_frame(
        "select search_key, evidence_id, theme_codes, 0.0 as score, n_children from ("
        "  select search_key, evidence_id, theme_codes, report_rank, "
        "    row_number() over (partition by parent_evidence_id order by report_rank) as nth, "
        "    count(*) over (partition by parent_evidence_id) as n_children "
        "  from search.evidence "
        f"  where parent_evidence_id in ({', '.join('?' * len(parent_ids))}) "
        "    and evidence_kind = 'sessie_voorbeeld' "
        "    and (?::varchar is null or ? = 'alle' or list_has_any(sector_codes, [?, 'alle']))"
        ") where nth <= ? order by report_rank",
        [*parent_ids, sector_code, sector_code, sector_code, limit],
    )
    counts = keys.select("evidence_id", "n_children")
    return _with_texts(keys.drop("n_children")).join(counts, on="evidence_id", maintain_order="left")


DOWNLOAD_CAP = 2_000


def evidence_download(f: EvidenceFilter) -> pl.DataFrame:
    """Every row under the filters in the page's order, at most DOWNLOAD_CAP (for the CSV and Excel downloads)."""
    return evidence_page(f, 0, DOWNLOAD_CAP).rows
