"""What the one search box searches: every text of the monitor, from the warehouse marts, with the ids that
tests/relevance/queries.yaml uses. A variatie_sector row is left out: its variatie paragraph holds the same words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Document:
    id: str  # evidence:…, score:…, method:…, source:…
    kind: str  # the evidence kind, or 'score', 'method', 'source'
    text: str


def _score_id(score_id: str, year: int, theme: str, dynamic: str, sector: str) -> str:
    return f"score:{theme}:{dynamic}" if (year, sector) == (2025, "alle") else f"score:{score_id}"


def documents(con) -> list[Document]:
    """Evidence (heading and text), score justifications, method and report texts, sources."""
    docs = [
        Document("evidence:" + i, kind, f"{heading}: {text}" if heading else text)
        for i, kind, heading, text in con.sql(
            "select evidence_id, evidence_kind, heading, evidence_text from fct_evidence "
            "where evidence_kind != 'variatie_sector' order by evidence_id"
        ).fetchall()
    ]
    docs += [
        Document(_score_id(*key), "score", text)
        for *key, text in con.sql(
            "select score_id, measurement_year, theme_code, dynamic_code, sector_code, justification from fct_score "
            "where justification is not null order by score_id"
        ).fetchall()
    ]
    docs += [
        Document("method:" + i, "method", text)
        for i, text in con.sql("select method_text_id, method_text from dim_method_text order by 1").fetchall()
    ]
    docs += [  # title and organisation: the URL in the citation is no text (its 'hu', 'web' match words)
        Document("source:" + i, "source", text)
        for i, text in con.sql(
            "select source_id, concat_ws(' – ', coalesce(title, citation), organisation) from dim_source order by 1"
        ).fetchall()
    ]
    return docs
