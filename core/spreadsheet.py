"""Helpers for files that people open in spreadsheet programs (CSV, XLSX).

Used by every export that users may open in Excel or LibreOffice, so that text typed into the
portal is never run as a formula there (CSV/formula injection), and by the imports that read
those files back.
"""

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
