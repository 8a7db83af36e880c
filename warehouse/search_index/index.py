"""The search index: built by the warehouse build from the marts in one pass, next to the warehouse file.

tantivy holds one document per distinct searchable text (search.document.text_key: a text the monitor repeats
verbatim is analysed and indexed once) with two fields of our own terms (analysis.py): 'body' (stems, with
positions for phrases) and 'parts' (compound parts). DuckDB keeps everything else: which rows carry a text, their
filters, labels and texts (the search schema of the warehouse).

The build writes the index into a fresh directory '<warehouse stem>.search-<id>' beside the fresh warehouse file and
records its name in the warehouse (search.index_build), so the warehouse file's atomic swap switches both at once;
readers of the old file keep using the old directory, which the next build removes.
"""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import tantivy

from warehouse.search_index import analysis

TOKENIZER = "terms"  # our terms, separated by spaces: tantivy only splits them
HEAP = 64_000_000
DIRECTORY_INFIX = ".search-"


def schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_unsigned_field("text_key", stored=False, indexed=False, fast=True)
    builder.add_text_field("body", tokenizer_name=TOKENIZER, index_option="position")
    builder.add_text_field("parts", tokenizer_name=TOKENIZER, index_option="freq")
    return builder.build()


def _register(index: tantivy.Index) -> tantivy.Index:
    index.register_tokenizer(TOKENIZER, tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return index


def open_index(directory: Path) -> tantivy.Index:
    return _register(tantivy.Index.open(str(directory)))


@dataclass(frozen=True)
class IndexStats:
    directory: str
    texts: int
    words: int


def write_index(index: tantivy.Index, texts: Iterable[tuple[int, str]]) -> Counter:
    """Index (text_key, text) pairs; returns in how many texts each surface word occurs."""
    vocabulary: Counter = Counter()
    writer = index.writer(heap_size=HEAP, num_threads=1)
    for text_key, text in texts:
        body, parts, surface = analysis.text_terms(text)
        vocabulary.update(surface)
        document = tantivy.Document()
        document.add_unsigned("text_key", text_key)
        document.add_text("body", body)
        document.add_text("parts", parts)
        writer.add_document(document)
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return vocabulary


def in_memory(texts: Iterable[tuple[int, str]]) -> tuple[tantivy.Index, Counter]:
    """An index in memory, for a warehouse copied without its index directory."""
    index = _register(tantivy.Index(schema()))
    return index, write_index(index, texts)


def read_texts(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str]]:
    return con.sql("select text_key, any_value(search_text) from search.document group by text_key").fetchall()


def new_directory(warehouse: Path) -> Path:
    return warehouse.parent / f"{warehouse.stem}{DIRECTORY_INFIX}{uuid.uuid4().hex[:12]}"


def build_search_index(database: Path, directory: Path) -> IndexStats:
    """Index the searchable texts of a freshly built warehouse into `directory` (new) and record in the warehouse
    the directory's name and the vocabulary (search.index_build, search.vocabulary)."""
    directory.mkdir(parents=True)
    con = duckdb.connect(str(database))
    try:
        texts = read_texts(con)
        index = _register(tantivy.Index(schema(), path=str(directory), reuse=False))
        vocabulary = write_index(index, texts)
        _write_tables(con, directory.name, len(texts), vocabulary)
    finally:
        con.close()
    return IndexStats(directory.name, len(texts), len(vocabulary))


def _write_tables(con: duckdb.DuckDBPyConnection, directory: str, texts: int, vocabulary: Counter) -> None:
    words = sorted(vocabulary.items(), key=lambda item: (-item[1], item[0]))
    table = pa.table({"word": [w for w, _ in words], "text_count": [n for _, n in words]})
    con.register("vocabulary_rows", table)
    con.execute(
        "create or replace table search.vocabulary as "
        "select word, text_count::integer as text_count from vocabulary_rows order by text_count desc, word"
    )
    con.unregister("vocabulary_rows")
    con.execute(
        "create or replace table search.index_build as "
        "select ?::varchar as index_directory, ?::integer as text_count, ?::integer as word_count, "
        "current_timestamp as built_at",
        [directory, texts, len(words)],
    )
    con.execute(
        "comment on table search.vocabulary is 'Every word of the searchable texts (lower case, no accents, "
        "no hyphens) and in how many distinct texts it occurs: the words a typo is corrected to.'"
    )
    con.execute(
        "comment on table search.index_build is 'The search index directory (tantivy) beside this file that "
        "belongs to this build.'"
    )


def current_directory(database: Path) -> str | None:
    """The index directory a built warehouse names, or None (no such warehouse, or one from before the index)."""
    if not database.exists():
        return None
    try:
        with duckdb.connect(str(database), read_only=True) as con:
            return con.sql("select index_directory from search.index_build").fetchall()[0][0]
    except (duckdb.Error, IndexError):
        return None


def remove_stale(warehouse: Path, keep: Iterable[str | None]) -> None:
    """Remove index directories of this warehouse other than those in `keep` (the new one and the one replaced)."""
    kept = {k for k in keep if k}
    for candidate in warehouse.parent.glob(f"{warehouse.stem}{DIRECTORY_INFIX}*"):
        if candidate.is_dir() and candidate.name not in kept:
            shutil.rmtree(candidate, ignore_errors=True)
