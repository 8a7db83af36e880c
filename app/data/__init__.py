"""The one door to the warehouse: a read-only DuckDB connection and parameterised queries on the public marts.

Pages call `data.scores(...)`, `data.evidence_page(...)` and so on from here. Behind it, by subject: connection
(the file, its versions, the connection and the cached frames), reference (the dimensions), score_queries,
evidence_queries (lists), search_queries (the search over the whole monitor) and sql (the SQL page's runner).
This package and app.sql_worker are the only app code that imports duckdb; user SQL from the SQL page runs only in
app.sql_worker's throwaway processes.
"""

from app.data.connection import WarehouseMissing, warehouse_path, warehouse_version
from app.data.evidence_queries import (
    DOWNLOAD_CAP,
    EVIDENCE_PAGE_SIZE,
    EvidenceFilter,
    EvidencePage,
    evidence,
    evidence_children,
    evidence_count,
    evidence_download,
    evidence_page,
)
from app.data.reference import (
    dynamics,
    evidence_kinds,
    institutions,
    measurement_label,
    measurements,
    method_texts,
    rubric,
    sectors,
    sessions,
    sources,
    themes,
)
from app.data.score_queries import (
    concept_measurements,
    indicative_scores,
    score_changes,
    scores,
    scoring_sessions,
    theme_scores_by_year,
)
from app.data.search_queries import SiteSearch, site_search
from app.data.sql import (
    SQL_ADDRESS_SPACE,
    SQL_BYTE_CAP,
    SQL_COLUMN_CAP,
    SQL_KILL_MARGIN_S,
    SQL_MAX_WORKERS,
    SQL_MEMORY_LIMIT,
    SQL_ROW_CAP,
    SQL_TEXT_CAP,
    SQL_TIMEOUT_MS,
    SqlLimits,
    SqlRefused,
    SqlResult,
    run_user_sql,
    schema,
    sql_page_enabled,
)

__all__ = [
    "DOWNLOAD_CAP",
    "EVIDENCE_PAGE_SIZE",
    "SQL_ADDRESS_SPACE",
    "SQL_BYTE_CAP",
    "SQL_COLUMN_CAP",
    "SQL_KILL_MARGIN_S",
    "SQL_MAX_WORKERS",
    "SQL_MEMORY_LIMIT",
    "SQL_ROW_CAP",
    "SQL_TEXT_CAP",
    "SQL_TIMEOUT_MS",
    "EvidenceFilter",
    "EvidencePage",
    "SqlLimits",
    "SqlRefused",
    "SiteSearch",
    "SqlResult",
    "WarehouseMissing",
    "concept_measurements",
    "dynamics",
    "evidence",
    "evidence_children",
    "evidence_count",
    "evidence_download",
    "evidence_kinds",
    "evidence_page",
    "indicative_scores",
    "institutions",
    "measurement_label",
    "measurements",
    "method_texts",
    "rubric",
    "run_user_sql",
    "schema",
    "score_changes",
    "scores",
    "scoring_sessions",
    "sectors",
    "sessions",
    "site_search",
    "sources",
    "sql_page_enabled",
    "theme_scores_by_year",
    "themes",
    "warehouse_path",
    "warehouse_version",
]
