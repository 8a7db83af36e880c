"""How a CSV file was written: its encoding (UTF-8, with or without BOM, or Windows-1252), separator and line ends."""

from __future__ import annotations

import re
from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"
# A multi-byte UTF-8 sequence: a file that holds one is UTF-8 (with a broken byte), never Windows-1252.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SEPARATOR_NAMES = {",": "komma", ";": "puntkomma", "\t": "tab", "|": "verticale streep"}
SAVE_AS = "sla het in Excel opnieuw op als 'CSV UTF-8 (door komma's gescheiden)' (een puntkomma mag ook)"


@dataclass(frozen=True)
class CsvFormat:
    """How a CSV file was written: what Dutch Excel saves differs from plain UTF-8 with commas."""

    encoding: str = "UTF-8"
    bom: bool = False
    separator: str = ","
    crlf: bool = False

    @property
    def is_plain(self) -> bool:
        return self.encoding == "UTF-8" and not self.bom and self.separator == ","

    def describe(self) -> str:
        parts = [
            f"scheidingsteken {SEPARATOR_NAMES[self.separator]} ('{self.separator}')",
            f"codering {self.encoding}" + (" met BOM" if self.bom else ""),
        ]
        if self.crlf:
            parts.append("Windows-regeleinden")
        return "gelezen met " + ", ".join(parts)


def decode_csv(raw: bytes) -> tuple[str, CsvFormat] | str:
    """The text of a CSV file and how it was encoded, or a Dutch message naming the first bad byte.

    UTF-8 (with or without BOM) first; Windows-1252 only for a file that holds no UTF-8 sequence at all and
    decodes without control characters, so valid UTF-8 is never misread and a UTF-8 file with one stray byte
    is reported, not silently read as Windows-1252.
    """
    bom = raw.startswith(UTF8_BOM)
    body = raw[len(UTF8_BOM) :] if bom else raw
    try:
        text, encoding = body.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as err:
        text = None
        if not _UTF8_SEQUENCE.search(body):
            try:
                candidate = body.decode("cp1252")
            except UnicodeDecodeError:
                candidate = None
            if candidate is not None and not _CONTROL.search(candidate):
                text, encoding = candidate, "Windows-1252"
        if text is None:
            start = err.start
            line_start = body.rfind(b"\n", 0, start) + 1
            line = body.count(b"\n", 0, start) + 1
            before = body[line_start:start].decode("utf-8", errors="replace")
            context = before[-30:].replace("\r", "")
            why = (
                "de rest van het bestand is UTF-8"
                + (" (het begint met een UTF-8-kenmerk, BOM)" if bom else "")
                + ", deze byte niet"
                if _UTF8_SEQUENCE.search(body)
                else "het bestand is geen UTF-8 en ook geen Windows-1252"
            )
            return (
                f"is geen geldige UTF-8: byte 0x{body[start]:02x} op regel {line}, teken {len(before) + 1}"
                f"{f' (na {context!r})' if context else ''}; {why}. Open het bestand, controleer dat teken en "
                f"{SAVE_AS}"
            )
    crlf = "\r\n" in text
    header_line = text.split("\n", 1)[0]
    separator = ";" if header_line.count(";") > header_line.count(",") else ","
    return text.replace("\r\n", "\n"), CsvFormat(encoding, bom, separator, crlf)
