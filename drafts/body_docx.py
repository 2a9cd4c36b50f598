"""Each Vorlage's text parts as a Word file for the council information systems (issue 20 §6).

Council offices take Vorlagen into SessionNet or ALLRIS as .docx: the Beschlussvorschlag, the
Sachverhalt and the "Finanzielle Auswirkungen" (a real Word table). The PDF stays the document
of record; this file carries the same texts and figures, from the same snapshot.

Accessible: headings in Word's heading styles, the table's header row repeats on every page
and the table has a title, the document language is German (de-DE), the title is set.
Deterministic: core properties and the dates of the zip entries come from the freeze, so the
same data gives the same bytes.
"""

import datetime
import io
import re
import zipfile

from django.utils import formats, timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from measures.impact import financial_impact, impact_view

from . import texts
from .adoption import resolution_text
from .body_document import binding_note, body_impact
from .pdf import AUTHOR, _consultation_view, consultation_sentence

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LANGUAGE = "de-DE"
CAPTION_COLOUR = RGBColor(0x17, 0x36, 0x5D)
RECORD_NOTE = (
    "Text für das Ratsinformationssystem. Maßgeblich ist die Beschlussvorlage als PDF "
    "(mit Beratungsfolge, Maßnahmen und Anlagen)."
)
YEAR_COLUMNS = (
    ("Haushaltsjahr", None),
    ("Investition", "investment"),
    ("laufender Aufwand", "running"),
    ("Folgekosten", "follow_up"),
    ("Förderung bewilligt", "funding"),
    ("Förderung offen", "funding_open"),
    ("Eigenanteil", "own"),
)


def vorlage_parts(procedure):
    """What the Word file holds for the procedure's body (the Kreistag: the whole strategy),
    from the frozen snapshot; ``procedure.draft`` is the version."""
    draft = procedure.draft
    snap = draft.snapshot
    body = procedure.municipality
    facts = [snap.get("introduction", "")]
    if body.is_district:
        consultation = _consultation_view(draft)
        if consultation:
            facts.append(consultation_sentence(consultation))
        number = procedure.document_number or draft.council_document_number
        resolution = snap.get("proposed_resolution") or texts.PROPOSED_RESOLUTION.format(
            version=snap["version_label"]
        )
        impact, scope = impact_view(financial_impact(snap)), None
    else:
        facts.append(binding_note(body))
        number = procedure.document_number
        resolution = resolution_text(procedure)
        impact, scope = body_impact(procedure, snap)
    return {
        "body": str(body),
        "title": snap["title"],
        "version_label": snap["version_label"],
        "number": number,
        "frozen_at": datetime.datetime.fromisoformat(snap["frozen_at"]),
        "resolution": resolution,
        "facts": [text for text in facts if text.strip()],
        "impact": impact,
        "scope": scope,
    }


def _set_language(document):
    """German as the language of every run (docDefaults) and of the theme's fonts."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for name in ("w:val", "w:eastAsia"):
        lang.set(qn(name), LANGUAGE)
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is not None:
        theme.set(qn("w:val"), LANGUAGE)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        node = settings.find(qn(tag))
        if node is not None:
            node.set(qn("w:val"), value)


def _add_text(document, text):
    """Paragraphs at blank lines, line breaks at single newlines (as the PDF's linebreaks)."""
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        paragraph = document.add_paragraph()
        for i, line in enumerate(block.split("\n")):
            if i:
                paragraph.add_run().add_break()
            paragraph.add_run(line)


def _table(document, caption, header, rows, total=None):
    """A Word table with a title, its header row repeated on each page, numbers right-aligned;
    ``total``: a last row in bold."""
    document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    title = OxmlElement("w:tblCaption")
    title.set(qn("w:val"), caption)
    tbl_pr.append(title)
    head = table.rows[0]
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(head.cells, header, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for values in [*rows, *([total] if total else [])]:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            run = cell.paragraphs[0].add_run(str(text))
            run.bold = values is total
            if i:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for i, cell in enumerate(head.cells):
        if i:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _impact(document, parts):
    impact, wording = parts["impact"], texts.financial_impact_texts(parts["scope"])
    document.add_heading("Finanzielle Auswirkungen", level=1)
    if impact["is_empty"]:
        document.add_paragraph(wording["empty"])
        return
    document.add_paragraph(wording["intro"])
    money = [key for _label, key in YEAR_COLUMNS[1:]]
    _table(
        document,
        wording["caption"],
        [label for label, _key in YEAR_COLUMNS],
        [[row["year"], *(row[key] for key in money)] for row in impact["years"]],
        total=["Summe", *(impact["total"][key] for key in money)],
    )
    if impact["by_kind"]:
        _table(
            document,
            wording["by_kind"],
            ["Art der Aufgabe", "Kosten"],
            [list(row) for row in impact["by_kind"]],
        )
    if impact["by_body"]:
        _table(
            document,
            wording["by_body"],
            ["Kommune", "Kosten", "Förderung bewilligt", "Eigenanteil"],
            [list(row) for row in impact["by_body"]],
        )
    if impact["errors"]:
        document.add_paragraph("Nicht berechnet: " + "; ".join(impact["errors"]))


def build_document(parts):
    """The Word document of the Vorlage's text parts (a python-docx Document)."""
    document = Document()
    _set_language(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    document.styles["Normal"].font.size = Pt(11)
    # The template's captions are light blue (3.9:1 on white); dark blue as the title (11:1).
    document.styles["Caption"].font.color.rgb = CAPTION_COLOUR
    title = f"{parts['title']} – Beschlussvorlage {parts['body']} – {parts['version_label']}"
    props = document.core_properties
    props.title = title
    props.subject = f"Beschlussvorlage für {parts['body']}"
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.language = LANGUAGE
    props.keywords = (
        f"Digitalisierungsstrategie, Lüchow-Dannenberg, Beschlussvorlage, {parts['body']}"
    )
    props.comments = RECORD_NOTE
    props.category = "Beschlussvorlage"
    props.revision = 1
    # The freeze, not now: the same version gives the same bytes.
    moment = parts["frozen_at"].astimezone(datetime.UTC).replace(tzinfo=None, microsecond=0)
    props.created = props.modified = moment

    document.add_paragraph(parts["body"])
    document.add_heading(parts["title"], level=0)
    document.add_paragraph(f"Beschlussvorlage · {parts['version_label']}")
    number = parts["number"] or "wird vor der Sitzung vergeben"
    document.add_paragraph(f"Vorlage Nr.: {number}")
    frozen_on = formats.date_format(timezone.localtime(parts["frozen_at"]), "j. F Y")
    document.add_paragraph(f"Stand der Strategie: {frozen_on}. {RECORD_NOTE}")

    document.add_heading("Beschlussvorschlag", level=1)
    _add_text(document, parts["resolution"])
    document.add_heading("Sachverhalt und Begründung", level=1)
    for text in parts["facts"]:
        _add_text(document, text)
    _impact(document, parts)
    return document


def _fixed_zip(data, moment):
    """The same zip with every entry dated ``moment`` (python-docx dates them now)."""
    stamp = timezone.localtime(moment).timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def vorlage_docx(procedure):
    """The Vorlage's text parts as .docx bytes; ``procedure.draft`` is the frozen version."""
    parts = vorlage_parts(procedure)
    buffer = io.BytesIO()
    build_document(parts).save(buffer)
    return _fixed_zip(buffer.getvalue(), parts["frozen_at"])
