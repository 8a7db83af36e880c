"""The contract of every raw file in data_raw/: its columns, their kinds and its key.

dbt reads these files as sources; the validator checks them against this contract first, so that a
broken file is reported by file, row and column before any SQL runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TEXT = "text"
INT = "int"
YEAR = "year"
SCORE = "score"
LEVEL = "level"
DATE = "date"
MONTH = "month"
BOOL = "bool"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = True
    # Domain of allowed codes ('theme', 'dynamic', 'sector', ...); `many` allows 'a;b'.
    domain: str | None = None
    many: bool = False
    allowed: tuple[str, ...] = ()
    # Every value differs from every other in the file (e.g. a display name or a sort order).
    unique: bool = False
    # The column may be left out of the header altogether (a file or form from before it existed): then every
    # row has it empty. Only for optional columns with a default (measurement.csv's status).
    may_be_absent: bool = False


@dataclass(frozen=True)
class RawFile:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    per_measurement: bool = False
    # Which domain the key column defines for the other files (e.g. themes.csv defines 'theme').
    defines: tuple[str, str] | None = None
    description: str = ""
    extra_checks: tuple[str, ...] = field(default=())

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _provenance() -> tuple[Column, Column]:
    return Column("provenance"), Column("source_line", INT, required=False)


# The codes the marts accept (dbt's accepted_values on dim_dynamic and dim_sector).
DYNAMIC_CODES = ("opbouw", "institutionalisering", "lock_in", "afbouw")
SECTOR_CODES = ("mbo", "hbo", "wo", "alle")

# A measurement in progress ('concept': indicative scores from a scoring session, final scores still being
# set) or with final scores ('vastgesteld'). Empty or absent means 'vastgesteld', so older files keep working.
MEASUREMENT_STATUSES = ("concept", "vastgesteld")
FINAL = "vastgesteld"
CONCEPT = "concept"

EVIDENCE_KINDS = (
    "voorbeeld",
    "variatie",
    "variatie_sector",
    "samenvatting_thema",
    "samenvatting_dynamiek",
)

# Kinds of text in report_texts.csv: a paragraph, an item of a bulleted list, a footnote, a figure caption.
REPORT_TEXT_KINDS = ("alinea", "opsomming", "voetnoot", "figuurbijschrift")

REFERENCE_FILES: tuple[RawFile, ...] = (
    RawFile(
        "themes.csv",
        (
            Column("theme_code"),
            Column("sort_order", INT, unique=True),
            Column("theme_name", unique=True),
            Column("description"),
            Column("transition_question_lead"),
            Column("transition_question"),
            *_provenance(),
        ),
        key=("theme_code",),
        defines=("theme", "theme_code"),
        description=(
            "De vijf deelthema's (§1.2); de kritische vraag staat los van haar aanloop ('De onderliggende "
            "fundamentele transitievraag is hier dus:')."
        ),
    ),
    RawFile(
        "theme_aliases.csv",
        (Column("theme_code", domain="theme"), Column("alias"), *_provenance()),
        key=("theme_code", "alias"),
        description="Andere namen die het rapport voor een deelthema gebruikt.",
    ),
    RawFile(
        "dynamics.csv",
        (
            Column("dynamic_code", allowed=DYNAMIC_CODES),
            Column("sort_order", INT, unique=True),
            Column("dynamic_name"),
            Column("quadrant_label"),
            Column("higher_is_better", BOOL),
            Column("guiding_questions"),
            *_provenance(),
        ),
        key=("dynamic_code",),
        defines=("dynamic", "dynamic_code"),
        description="De vier transitiedynamieken van de X-curve (§2.1).",
        extra_checks=("dynamic_polarity",),
    ),
    RawFile(
        "rubric_descriptors.csv",
        (
            Column("dynamic_code", domain="dynamic"),
            Column("level", LEVEL),
            Column("descriptor_seq", INT),
            Column("descriptor"),
            *_provenance(),
        ),
        key=("dynamic_code", "level", "descriptor_seq"),
        description="De scoringstabel: per dynamiek en niveau 1-5 de beschrijvingen.",
    ),
    RawFile(
        "sectors.csv",
        (
            Column("sector_code", allowed=SECTOR_CODES),
            Column("sort_order", INT, unique=True),
            Column("sector_name"),
            Column("description"),
        ),
        key=("sector_code",),
        defines=("sector", "sector_code"),
    ),
    RawFile(
        "sector_terms.csv",
        (
            Column("term"),
            Column("sector_code", domain="sector"),
            Column("note", required=False),
        ),
        key=("term", "sector_code"),
        description="Woorden die een sector aanduiden (heel woord, hoofdletterongevoelig).",
    ),
    RawFile(
        "institutions.csv",
        (
            Column("institution_code"),
            Column("institution_name"),
            Column("sector_code", domain="sector", required=False),
            Column("institution_kind", allowed=("onderwijsinstelling", "organisatie")),
            Column("first_mention", required=False),
            Column("source_line", INT, required=False),
        ),
        key=("institution_code",),
        defines=("institution", "institution_code"),
        description="Onderwijsinstellingen (met sector) en organisaties die het rapport noemt.",
        extra_checks=("institution_sector",),
    ),
    RawFile(
        "institution_aliases.csv",
        (Column("institution_code", domain="institution"), Column("alias")),
        key=("alias",),
        description="Elke schrijfwijze van een instelling (heel woord, hoofdlettergevoelig).",
    ),
    RawFile(
        "thesaurus.csv",
        (Column("concept"), Column("term"), *_provenance()),
        key=("concept", "term"),
        description=(
            "Woorden die in de zoekfunctie hetzelfde betekenen: afkortingen die het rapport gebruikt en hun "
            "voluit geschreven vorm, begrippen die het rapport op meer manieren schrijft; per rij waar in het "
            "rapport dat staat. Namen van instellingen staan in institution_aliases.csv."
        ),
    ),
    RawFile(
        "baseline.csv",
        (Column("measurement_year", YEAR), *_provenance()),
        key=("measurement_year",),
        description=(
            "De nulmeting: precies één regel met het jaar van de meting waartegen elke volgende meting wordt "
            "afgezet. Een meting vóór dat jaar wordt geweigerd."
        ),
    ),
)

MEASUREMENT_FILES: tuple[RawFile, ...] = (
    RawFile(
        "measurement.csv",
        (
            Column("measurement_year", YEAR),
            Column("label"),
            Column("fieldwork_start", DATE, required=False),
            Column("fieldwork_end", DATE, required=False),
            Column("report_date", MONTH, required=False),
            Column("report_title", required=False),
            Column("publisher", required=False),
            Column("commissioned_by", required=False),
            Column("authors", required=False),
            Column("scoring_method", required=False),
            Column("source_document", required=False),
            *_provenance(),
            Column("status", required=False, allowed=MEASUREMENT_STATUSES, may_be_absent=True),
        ),
        key=("measurement_year",),
        per_measurement=True,
    ),
    RawFile(
        "scores.csv",
        (
            Column("measurement_year", YEAR),
            Column("theme_code", domain="theme"),
            Column("dynamic_code", domain="dynamic"),
            Column("sector_code", domain="sector"),
            Column("score", SCORE),
            Column("justification"),
            *_provenance(),
        ),
        key=("measurement_year", "theme_code", "dynamic_code", "sector_code"),
        per_measurement=True,
    ),
    RawFile(
        "evidence.csv",
        (
            Column("measurement_year", YEAR),
            Column("evidence_kind", allowed=EVIDENCE_KINDS),
            Column("theme_code", domain="theme", required=False),
            Column("dynamic_code", domain="dynamic", required=False),
            Column("seq", INT),
            Column("sector_codes", domain="sector", many=True, required=False),
            Column("heading", required=False),
            Column("text"),
            *_provenance(),
        ),
        key=("measurement_year", "evidence_kind", "theme_code", "dynamic_code", "seq"),
        per_measurement=True,
        extra_checks=("evidence_scope",),
    ),
    RawFile(
        "evidence_sectors.csv",
        (
            Column("evidence_id"),
            Column("sector_codes", domain="sector", many=True, required=False),
            Column("institution_codes", domain="institution", many=True, required=False),
            Column("provenance"),
        ),
        key=("evidence_id",),
        per_measurement=True,
        description=(
            "Nagekeken sectoren van een stuk bewijs waar de woorden in de tekst het verkeerde zeggen (een voorbeeld "
            "of vergelijking is niet het onderwerp): de sectoren (leeg: geen sector in het bijzonder), instellingen "
            "die de tekst noemt zonder hun naam (toegevoegd), en waarom, met de plaats in het rapport."
        ),
    ),
    RawFile(
        "sessions.csv",
        (
            Column("session_code"),
            Column("measurement_year", YEAR),
            Column("session_number", INT),
            Column("session_name"),
            Column("session_date", DATE),
            Column("reading_guide", required=False),
            Column("intro_heading", required=False),
            Column("intro_text", required=False),
            *_provenance(),
        ),
        key=("session_code",),
        per_measurement=True,
        defines=("session", "session_code"),
    ),
    RawFile(
        "session_themes.csv",
        (Column("session_code", domain="session"), Column("theme_code", domain="theme")),
        key=("session_code", "theme_code"),
        per_measurement=True,
    ),
    RawFile(
        "session_findings.csv",
        (
            Column("session_code", domain="session"),
            Column("dynamic_code", domain="dynamic"),
            Column("finding_seq", INT),
            Column("finding_kind", allowed=("narratief", "ontwikkeling")),
            Column("heading", required=False),
            Column("text"),
            *_provenance(),
        ),
        key=("session_code", "dynamic_code", "finding_seq"),
        per_measurement=True,
    ),
    RawFile(
        "session_examples.csv",
        (
            Column("session_code", domain="session"),
            Column("dynamic_code", domain="dynamic"),
            Column("finding_seq", INT),
            Column("example_seq", INT),
            Column("heading", required=False),
            Column("text"),
            *_provenance(),
        ),
        key=("session_code", "dynamic_code", "example_seq"),
        per_measurement=True,
    ),
    RawFile(
        "sources.csv",
        (
            Column("measurement_year", YEAR),
            Column("source_seq", INT),
            Column("citation"),
            Column("title"),
            Column("organisation", required=False),
            Column("url", required=False),
            Column("is_public", BOOL),
            *_provenance(),
        ),
        key=("measurement_year", "source_seq"),
        per_measurement=True,
    ),
    RawFile(
        "method_texts.csv",
        (
            Column("measurement_year", YEAR),
            Column("section"),
            Column("heading"),
            Column("seq", INT),
            Column("text"),
            *_provenance(),
        ),
        key=("measurement_year", "section", "seq"),
        per_measurement=True,
    ),
    RawFile(
        "report_texts.csv",
        (
            Column("measurement_year", YEAR),
            Column("section"),
            Column("heading"),
            Column("text_kind", allowed=REPORT_TEXT_KINDS),
            Column("seq", INT),
            Column("text"),
            *_provenance(),
        ),
        key=("measurement_year", "section", "text_kind", "seq"),
        per_measurement=True,
        description=(
            "De eigen tekst van het rapport buiten scores, bewijs en methodehoofdstuk: de Introductie en "
            "hoofdstuk 1 (alinea's en opsommingen), voetnoten en figuurbijschriften."
        ),
    ),
)

# Files every measurement folder must have; the others are optional. scores.csv is required as well, but only
# for a measurement whose scores are final ('vastgesteld'): a concept measurement may have none yet.
REQUIRED_MEASUREMENT_FILES = ("measurement.csv",)

# Columns the pre-filled scoring form shows beside the score for reference (the session's indicative score,
# the previous measurement's final score). They are never read: the build skips them in the form's sheet
# 'scores'. Every other unknown column is still refused.
FORM_REFERENCE_COLUMNS = (
    "indicatief_score",
    "indicatief_spreiding",
    "indicatief_toelichting",
    "vorige_score",
    "vorige_onderbouwing",
)

# The scoring form's sheets and the file each stands for: the template writes them, the build reads them.
WORKBOOK_SHEETS = {"meting": "measurement.csv", "scores": "scores.csv", "bewijs": "evidence.csv"}
REQUIRED_SHEETS = ("meting", "scores")
