"""The search over the whole monitor: the index beside the warehouse file matches and ranks (tantivy, through
warehouse.search_index), DuckDB does the rest (which rows carry a matched text, filters, grouping, texts).

The engine is opened once per warehouse version (the file's inode and modification time, as every cached frame):
a rebuild swaps the file, and the file names its own index directory, so the next rerun searches the new index.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl
import streamlit as st

from app.data.connection import _connection, _run, _version, warehouse_path
from warehouse.search_index import engine as search_engine
from warehouse.search_index.engine import Hits

RESULT_CAP = 2_000  # results a search returns at most (the page says when there are more)


@st.cache_resource(max_entries=2, show_spinner=False)
def _engine(path: str, inode: int, mtime_ns: int) -> search_engine.Engine:
    with _connection().cursor() as cursor:
        return search_engine.from_warehouse(cursor, warehouse_path().parent)


def engine() -> search_engine.Engine:
    return _engine(*_version())


@st.cache_data(max_entries=512, ttl=3600, show_spinner=False)
def _hits(version: tuple, text: str, expand: bool) -> Hits:
    return _engine(*version).search(text, expand)


def hits(text: str, expand: bool = True) -> Hits:
    """What a typed search matches: the plan (units, expansion, suggestions) and (text_key, score) best first."""
    return _hits(_version(), text.strip(), expand)


def hit_lists(found: Hits) -> tuple[list[int], list[float]]:
    """The hits as two lists, for DuckDB's unnest: text keys and their scores."""
    ranked = found.ranked[:RESULT_CAP] if len(found.ranked) > RESULT_CAP else found.ranked
    return [k for k, _ in ranked], [s for _, s in ranked]


@dataclass(frozen=True)
class SiteSearch:
    hits: Hits
    results: pl.DataFrame  # one row per shown result, in the order shown (see site_search)
    total: int

    @property
    def groups(self) -> list[tuple[int, pl.DataFrame]]:
        """(result_group, its rows) in the order shown."""
        order = list(dict.fromkeys(self.results["result_group"].to_list()))
        return [(g, self.results.filter(pl.col("result_group") == g)) for g in order]


RESULT_COLUMNS = ", ".join(
    f"d.{c}"
    for c in [
        "doc_id",
        "doc_kind",
        "evidence_kind",
        "kind_label",
        "result_group",
        "measurement_year",
        "theme_codes",
        "dynamic_code",
        "sector_codes",
        "sector_scope",
        "evidence_id",
        "score_id",
        "title",
        "body",
        "provenance",
        "url",
    ]
)


def site_search(text: str, year: int | None, expand: bool = True) -> SiteSearch:
    """The one search box: every kind of text of a measurement, one row per result (a per-sector sentence shows
    as its variatie paragraph, a text repeated word for word once, with `members` naming every row it stands for),
    grouped by kind: the groups in the order of their best result, within a group best first."""
    return _site_search(_version(), text.strip(), year, expand)


@st.cache_data(max_entries=256, ttl=3600, show_spinner=False)
def _site_search(version: tuple, text: str, year: int | None, expand: bool) -> SiteSearch:
    found = _hits(version, text, expand)
    if not found.ranked:
        return SiteSearch(found, _empty_results(), 0)
    keys, scores = hit_lists(found)
    frame = _run(
        "with hits as (select unnest(?::bigint[]) as text_key, unnest(?::double[]) as score), "
        "matched as (select d.collapse_key, d.doc_id, d.doc_key, h.score from search.document d "
        "  join hits h using (text_key) where (?::integer is null or d.measurement_year = ?)), "
        "results as (select collapse_key, max(score) as score, "
        "  list(doc_id order by doc_key) as members from matched group by collapse_key), "
        "grouped as (select r.*, d.result_group, max(r.score) over (partition by d.result_group) as group_score "
        "  from results r join search.document d on d.doc_id = r.collapse_key) "
        f"select g.score, g.members, g.group_score, d.doc_key, {RESULT_COLUMNS} "
        "from grouped g join search.document d on d.doc_id = g.collapse_key "
        "order by g.group_score desc, d.result_group, g.score desc, d.doc_key",
        (keys, scores, year, year),
    )
    return SiteSearch(found, frame, frame.height)


def _empty_results() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "score": pl.Float64,
            "members": pl.List(pl.String),
            "group_score": pl.Float64,
            "doc_key": pl.Int64,
            "doc_id": pl.String,
            "doc_kind": pl.String,
            "evidence_kind": pl.String,
            "kind_label": pl.String,
            "result_group": pl.Int32,
            "measurement_year": pl.Int32,
            "theme_codes": pl.List(pl.String),
            "dynamic_code": pl.String,
            "sector_codes": pl.List(pl.String),
            "sector_scope": pl.String,
            "evidence_id": pl.String,
            "score_id": pl.String,
            "title": pl.String,
            "body": pl.String,
            "provenance": pl.String,
            "url": pl.String,
        }
    )
