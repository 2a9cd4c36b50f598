"""Table header cells of every generated PDF carry their /Scope; the PDF/UA checker sees it."""

import io

import pikepdf
import pytest

from core.pdf.generator import PDFGenerator
from tests.pdf_ua import pdf_ua_problems

TABLE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Tabelle</title></head>
<body><h1>Kosten</h1><table><caption>Kosten je Jahr</caption>
<thead><tr><th scope="col">Jahr</th><th scope="col">Betrag</th><th>Anteil</th></tr></thead>
<tbody><tr><th scope="row">2027</th><td>100 €</td><td>10 %</td></tr>
<tr><th scope="row">2028</th><td>200 €</td><td>20 %</td></tr></tbody></table></body></html>"""


def _scopes(data):
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [
            (str(obj["/A"].get("/Scope")))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH"
        ]


def test_every_header_cell_gets_the_scope_of_its_th(tmp_path):
    data = PDFGenerator(None).render(TABLE).content
    assert sorted(_scopes(data)) == ["/Column"] * 3 + ["/Row"] * 2
    assert pdf_ua_problems(data, tmp_path) == []


def test_the_checker_reports_header_cells_without_scope(tmp_path):
    """What the tests of every PDF rely on: without the finisher the checker objects."""
    from weasyprint import HTML

    data = HTML(string=TABLE).write_pdf(pdf_variant="pdf/ua-1")
    assert set(_scopes(data)) == {"None"}
    problems = pdf_ua_problems(data, tmp_path)
    assert problems and all(p.startswith("UA-15-003") for p in problems)


@pytest.mark.parametrize("heading", ["<h1></h1>", "<h1>Kosten <em>je</em> Jahr</h1>"])
def test_the_checker_looks_at_every_heading(tmp_path, heading):
    """pdfua's empty-heading rule runs on headings of several parts too (tests/pdf_ua.py)."""
    html = TABLE.replace("<h1>Kosten</h1>", heading)
    problems = pdf_ua_problems(PDFGenerator(None).render(html).content, tmp_path)
    assert problems == (
        [] if "Kosten" in heading else ["UA-14-001 (WARNING, page 1): Empty heading element /H1."]
    )
