"""Check a PDF the portal makes with the PDF/UA checker ``pdfua`` (no JVM).

``pdf_ua_problems(data)`` returns one line per finding and per rule that could not run;
an empty list means the checker has nothing to report. Every test that renders a PDF
asserts that list is empty.
"""

from unittest import mock

import pikepdf
from pdfua import document as pdfua_document
from pdfua import validate


def _as_integer(value):
    """``pdfua.document.as_integer`` that also answers for arrays and dictionaries.

    pdfua 0.1.3 asks every /K of a heading for ``is_integer`` with ``getattr``; pikepdf
    raises ValueError (not AttributeError) for that on an array, so its empty-heading rule
    gives up on any heading with more than one kid instead of checking it.
    """
    if isinstance(value, pikepdf.Array | pikepdf.Dictionary):
        return None
    return pdfua_document.as_integer(value)


def pdf_ua_problems(data, tmp_path):
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    with mock.patch("pdfua.rules.structure.as_integer", _as_integer):
        report = validate(str(path))
    problems = []
    for outcome in report.outcomes:
        if outcome.skipped_reason:
            problems.append(f"{outcome.rule_id} did not run: {outcome.skipped_reason}")
        problems.extend(
            f"{finding.rule_id} ({finding.severity.name}, page {finding.location.page}): "
            f"{finding.message}"
            for finding in outcome.findings
        )
    return problems
