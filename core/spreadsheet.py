"""Helpers for files that people open in spreadsheet programs (CSV, XLSX).

Used by every export that users may open in Excel or LibreOffice, so that text typed into the
portal is never run as a formula there (CSV/formula injection), and by the imports that read
those files back, and by the imports to refuse unsafe workbooks before parsing them.
"""

import io
import zipfile
import zlib
from xml.etree.ElementTree import ParseError  # noqa: S405 - only the exception class

from defusedxml import DefusedXmlException

# Spreadsheet programs evaluate cells that start with these characters as formulas.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text):
    """Neutralise a text cell that a spreadsheet would run as a formula (CSV injection)."""
    text = str(text or "")
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def unquote_text(text):
    """Undo safe_text() on import, so that a text survives the round trip unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


# --- reading uploaded workbooks safely ------------------------------------------------------

# An XLSX of a few sheets has a dozen members; thousands only in a crafted file.
MAX_ZIP_MEMBERS = 1000
# A member that unpacks to more than this many times its packed size is a zip bomb. Real
# sheets pack 5 to 30 fold; a comment of one repeated letter packs 1000 fold.
MAX_COMPRESSION_RATIO = 200
# Small members may pack better than that (a sheet of empty rows) without doing any harm.
RATIO_FREE_BYTES = 1_000_000
# How far into an XML member a document type declaration may stand (it precedes the root).
PROLOG_BYTES = 4096
CHUNK = 1 << 16


class UnsafeWorkbook(ValueError):
    """The upload is no workbook that can be read safely; the message is German."""


def check_workbook(raw, max_uncompressed):
    """Refuse an XLSX before openpyxl reads it: no zip, too many members, a zip bomb, a
    document type declaration (XML entities: XXE, "billion laughs").

    The declared sizes are checked first; then every member is unpacked once, in chunks and
    without keeping it, so a member whose real size exceeds its declared one is caught too.
    openpyxl also parses with defusedxml, which refuses entities; this check gives the clear
    message before any parsing and holds when defusedxml is switched off.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnsafeWorkbook(
            "Die Datei ist keine Excel-Datei (XLSX). Bitte speichern Sie sie in Excel oder "
            "LibreOffice als „Excel-Arbeitsmappe (.xlsx)“; eine CSV-Datei laden Sie bitte mit "
            "der Endung .csv hoch."
        ) from exc
    too_big = UnsafeWorkbook(
        f"Die Excel-Datei ist entpackt größer als {max_uncompressed // 1_000_000} MB oder "
        "ungewöhnlich stark gepackt und wird deshalb nicht gelesen. Bitte teilen Sie die "
        "Datei auf oder entfernen Sie große Kommentare und Bilder."
    )
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise UnsafeWorkbook(
                f"Die Excel-Datei besteht aus mehr als {MAX_ZIP_MEMBERS} Teilen und wird "
                "deshalb nicht gelesen."
            )
        if sum(info.file_size for info in members) > max_uncompressed:
            raise too_big
        if any(_packed_too_well(info.file_size, info.compress_size) for info in members):
            raise too_big
        total = 0
        for info in members:
            total = _unpack_member(archive, info, total, max_uncompressed, too_big)


def _packed_too_well(size, packed):
    return size > RATIO_FREE_BYTES and size > MAX_COMPRESSION_RATIO * max(packed, 1)


def _unpack_member(archive, info, total, max_uncompressed, too_big):
    size, prolog = 0, b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                if len(prolog) < PROLOG_BYTES:
                    prolog += chunk[: PROLOG_BYTES - len(prolog)]
                size += len(chunk)
                total += len(chunk)
                if total > max_uncompressed or _packed_too_well(size, info.compress_size):
                    raise too_big
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        OSError,
        EOFError,
        zlib.error,  # corrupt deflate data
        RuntimeError,  # a member flagged as encrypted ("password required")
    ) as exc:
        raise UnsafeWorkbook(
            "Die Excel-Datei ist beschädigt oder verschlüsselt und kann nicht gelesen werden. "
            "Bitte speichern Sie sie erneut als „Excel-Arbeitsmappe (.xlsx)“ ohne Kennwort."
        ) from exc
    if _declares_doctype(prolog):
        raise UnsafeWorkbook(
            "Die Excel-Datei enthält eine Dokumenttyp-Deklaration (DOCTYPE), wie sie Excel "
            "und LibreOffice nie schreiben; sie wird aus Sicherheitsgründen nicht gelesen. "
            "Bitte speichern Sie die Datei erneut in Excel oder LibreOffice."
        )
    return total


def _declares_doctype(prolog):
    if prolog.startswith((b"\xff\xfe", b"\xfe\xff")) or prolog[1:2] == b"\x00":
        prolog = prolog.decode("utf-16", errors="ignore").encode()
    return b"<!doctype" in prolog.lower() or b"<!entity" in prolog.lower()


# What openpyxl may raise while it reads a broken or refused sheet lazily (read-only mode):
# defusedxml's refusal of entities, XML syntax errors, and its own errors on bad content.
READING_ERRORS = (
    DefusedXmlException,
    ParseError,
    zipfile.BadZipFile,
    EOFError,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
)
