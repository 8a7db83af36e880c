"""Every piece of the report's body is somewhere in the warehouse: nothing of the nulmeting is lost.

The report's text export (tests/report/nulmeting_2025_tekstexport.txt, a copy of what data_raw/ was extracted
from) is cut into units the way the extraction reads it: blocks between blank lines, a block that a page break
split joined to the next one (the next starts in lower case; a word split at a hyphen is joined without a
space), each bulleted item its own unit, footnotes their own units, every <p> of an HTML table its own unit.
Each unit is normalised as the extraction did (`**`, `*`, footnote digits and bullet markers removed,
whitespace collapsed) and must appear in some text column of the built marts: whole, or as a sequence of text
values that together leave no letter of it uncovered (a heading and its text in two columns; a per-sector
statement; a provenance that names the heading).

What is left out on purpose is listed in LEFT_OUT, each with the reason and the place the information is
held instead.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parent / "report" / "nulmeting_2025_tekstexport.txt"

_FOOTNOTE_DIGITS = re.compile("[¹²³⁴⁵⁶⁷⁸⁹⁰]")
_TERMINAL = tuple('.!?:;”"’)')
_LETTER = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]")
# A session report's label before its practice examples, alone or in front of them on one line.
_EXAMPLES_LABEL = re.compile(r"^Voorbeelden(?: (?:uit|vanuit) de praktijk| van [a-z-]+)?:?\s*")

# Units that are deliberately in no text column: (pattern on the normalised unit, why, where it is instead).
LEFT_OUT: tuple[tuple[str, str], ...] = (
    (r"Score: [1-5]", "scoreregel van hoofdstuk 4: het getal staat in fct_score.score"),
    (
        r"Illustre(?:ernde|erende|erde) voorbeelden",
        "kopje met typefout boven de voorbeelden: evidence_kind 'voorbeeld', de provenance spelt het verbeterd",
    ),
    (
        r"Voorbeelden(?: (?:uit|vanuit) de praktijk| van [a-z-]+)?:?",
        "label boven sessievoorbeelden: evidence_kind 'sessie_voorbeeld', provenance eindigt op '› Voorbeelden'",
    ),
    (
        r"[1-5]\. Verslag monitoringssessie: .+ \(\d{1,2} (?:oktober|november) 2025\)",
        "titel van een sessieverslag: dim_session.session_number, session_name en session_date",
    ),
    ("Leeswijzer", "kopje; de tekst eronder staat in dim_session.reading_guide"),
    (
        "2. Transitie monitoring: aanpak en methodologische verantwoording",
        "hoofdstuktitel; dim_method_text.heading en de provenance spellen hem als de inhoudsopgave "
        "('Transitiemonitoring')",
    ),
    ("4. Staat van transitie per deelthema", "hoofdstuktitel zonder eigen tekst; de paragrafen staan in provenance"),
    ("Geraadplaatte bronnen", "kopje met typefout; dim_source.provenance spelt 'Geraadpleegde bronnen'"),
    ("Bijlagen", "kopje; de bijlagen staan in provenance ('Bijlage 1. …')"),
    (
        r"In de verdiepende interviews op dit thema .* beckers@drift\.eur\.nl\.",
        "voetnoot 5: de eerste zin (een leemte in het mbo-bewijs over lerende cultuur) staat in report_texts.csv; "
        "de oproep om contacten te mailen en het adres zijn weggelaten (data_raw/README.md)",
    ),
)

# Outside the body (before the Introductie, after the last appendix) and so not checked at all.
OUTSIDE_BODY = (
    "titelpagina (DRIFT, Risbo, titel, datum, auteurs) en inhoudsopgave: vóór 'Introductie'; "
    "titel, datum en auteurs staan in dim_measurement",
    "achterkant ('drift for transition', 'Dit is een publicatie van DRIFT.' …): na de laatste bijlage",
)


def normalise(text: str) -> str:
    text = _FOOTNOTE_DIGITS.sub("", text.replace("**", "").replace("*", ""))
    return " ".join(text.split())


def report_units(path: Path = REPORT) -> list[tuple[int, str]]:
    """(line, normalised text) for every unit of the body, in report order."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index("Introductie")  # the heading; the table of contents has 'Introductie.....'
    end = max(i for i, line in enumerate(lines) if line.strip() == "drift for transition")
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] | None = None
    for index in range(start, end):
        line = lines[index].strip()
        if not line:
            current = None
            continue
        if current is None:
            current = []
            blocks.append(current)
        current.append((index + 1, line))

    footnotes = [b for b in blocks if _FOOTNOTE_DIGITS.match(b[0][1])]
    joined: list[list[tuple[int, str]]] = []
    for block in (b for b in blocks if not _FOOTNOTE_DIGITS.match(b[0][1])):
        if joined:
            previous = joined[-1]
            line_no, last = previous[-1]
            first = block[0][1]
            if not last.endswith(_TERMINAL) and (first[0].islower() or first[0] in "‘("):
                glue = "" if last.endswith("-") and first[0].islower() else " "
                previous[-1] = (line_no, last + glue + first)
                previous.extend(block[1:])
                continue
        joined.append(list(block))

    units: list[tuple[int, str]] = []
    for block in [*joined, *footnotes]:
        for position, (line_no, line) in enumerate(block):
            if "<p>" in line:
                units.extend((line_no, normalise(p)) for p in re.findall(r"<p>(.*?)</p>", line))
            elif position == 0 or line.startswith("- ") or "<p>" in block[position - 1][1]:
                units.append((line_no, normalise(line.removeprefix("- "))))
            else:  # a bullet's text under its bold heading, or a source's address under its title
                units[-1] = (units[-1][0], units[-1][1] + " " + normalise(line))
    return [(n, u) for n, u in units if u]


def warehouse_texts(con, skip_tables: tuple[str, ...] = ()) -> tuple[str, list[str]]:
    """All text values of all marts (and each row's text values joined), and the values to cut units with."""
    tables = [
        r[0]
        for r in con.sql(
            "select table_name from duckdb_tables() where schema_name = 'main' order by table_name"
        ).fetchall()
    ]
    fragments: set[str] = set()
    rows_joined: list[str] = []
    for table in tables:
        if table in skip_tables:
            continue
        columns = [
            name
            for name, kind in con.sql(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'main' and table_name = ? order by ordinal_position",
                params=[table],
            ).fetchall()
            if kind in ("VARCHAR", "VARCHAR[]")
        ]
        if not columns:
            continue
        select = ", ".join(f'"{c}"' for c in columns)
        for row in con.sql(f'select {select} from "{table}"').fetchall():
            values: list[str] = []
            for column, value in zip(columns, row, strict=True):
                for item in value if isinstance(value, list) else [value]:
                    if item is None:
                        continue
                    text = normalise(item)
                    values.append(text)
                    fragments.add(text)
                    if column == "provenance":  # each heading it names, with and without its number
                        for part in text.split(" › "):
                            fragments.add(part)
                            fragments.add(re.sub(r"^(?:§?[\d.]+|Bijlage)\s+", "", part))
            rows_joined.append(" ".join(values))
    everything = "\n".join([*fragments, *rows_joined])
    cutters = sorted((f for f in fragments if len(f) >= 4), key=len, reverse=True)
    return everything, cutters


def is_covered(unit: str, everything: str, cutters: list[str]) -> bool:
    if unit in everything:
        return True
    rest = unit
    for fragment in cutters:
        if fragment in rest:
            rest = rest.replace(fragment, " ")
    return not _LETTER.search(rest)


def left_out_reason(unit: str) -> str | None:
    for pattern, reason in LEFT_OUT:
        if re.fullmatch(pattern, unit):
            return reason
    return None


def coverage(con, skip_tables: tuple[str, ...] = ()) -> tuple[list, list, list]:
    """(covered, left out on purpose, missing) units of the report body."""
    everything, cutters = warehouse_texts(con, skip_tables)
    covered, left_out, missing = [], [], []
    for line_no, unit in report_units():
        if is_covered(unit, everything, cutters):
            covered.append((line_no, unit))
            continue
        reason = left_out_reason(unit)
        # A label in front of examples on the same line: the examples themselves must be there.
        examples = _EXAMPLES_LABEL.sub("", unit)
        if reason is None and examples != unit and is_covered(examples, everything, cutters):
            reason = LEFT_OUT[2][1]
        (left_out if reason else missing).append((line_no, unit, reason) if reason else (line_no, unit))
    return covered, left_out, missing


@pytest.fixture(scope="module")
def report_coverage(warehouse):
    return coverage(warehouse)


def test_every_paragraph_of_the_report_body_is_in_the_warehouse(report_coverage):
    covered, left_out, missing = report_coverage
    assert not missing, "niet in het warehouse:\n" + "\n".join(f"regel {n}: {u[:140]}" for n, u in missing)
    assert len(covered) > 700


def test_what_is_left_out_is_only_labels_titles_and_the_mail_footnote(report_coverage):
    _, left_out, _ = report_coverage
    reasons = {reason for _, _, reason in left_out}
    assert reasons <= {reason for _, reason in LEFT_OUT}
    # No running text slips through as a 'label': every left-out unit is short, except the mail footnote.
    long = [unit for _, unit, _ in left_out if len(unit) > 90 and "beckers@drift.eur.nl" not in unit]
    assert all(_EXAMPLES_LABEL.match(unit) for unit in long), long


def test_the_check_finds_a_missing_paragraph(warehouse):
    """Without dim_method_text the Introductie and chapter 1 are nowhere: the check must say so."""
    _, _, missing = coverage(warehouse, skip_tables=("dim_method_text",))
    lines = {n for n, _ in missing}
    assert {76, 84, 104, 116, 189, 226} <= lines  # Introductie, an aim, §1.1, §1.2, footnote 1, the legend
    assert all(n < 230 or n == 299 for n in lines)  # nothing else depends on dim_method_text


def test_units_are_cut_as_the_extraction_reads_the_report():
    units = dict(report_units())
    # A sentence split by a page break is one unit; so is a word split at a hyphen ('MBO-' / 'raad').
    assert "versterken daarmee het bestaande systeem van eenzijdige kennisoverdracht" in units[319]
    assert any(u.endswith("zoals OCW en de MBO-raad)") for u in units.values())
    # The three aims are three units; footnote 4 is cut out of the paragraph it interrupts.
    assert units[84] == "De beweging in het onderwijs zichtbaar en bespreekbaar maakt"
    assert units[299].startswith("Een LMS (Learning Management System) is een digitaal platform")
    assert any("afhankelijk van individuele docenten of teams, en ook bij thema's" in u for u in units.values())


def test_methode_shows_the_introductie_and_chapter_one_in_context(warehouse_path, monkeypatch):
    from tests.test_app_pages import open_page, text_of

    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    at = open_page("methode")
    text = text_of(at)
    assert "Waarom deze monitor" in text
    assert at.expander[0].label == "Introductie en hoofdstuk 1 van het rapport"
    assert not at.expander[0].markdown  # made only when opened
    at.session_state["methode-inleiding"] = True  # the reader opens it
    at.run()
    shown = "\n".join(m.value for m in at.expander[0].markdown)
    assert "<li>De beweging in het onderwijs zichtbaar en bespreekbaar maakt</li>" in shown
    assert "over zes jaar van monitoring concreet te kunnen beantwoorden" in shown
    assert "Het diploma vormde het centrale organiserende principe." in shown
    assert "De onderliggende fundamentele transitievraag is hier echter:" in shown
    # The footnoted X-curve literature: as a footnote under §2.1 and in the list of sources.
    assert "Voetnoot 2: Diercks, G., et al., (2020)" in html.unescape(text)
    assert "49 bronnen, waarvan 11 intern of niet-publiek; daarnaast 3 uit de voetnoten" in text
