"""Tagged PDF/UA-1 documents with WeasyPrint, for every app that prints.

- ``generator``: ``PDFGenerator`` (template + context -> PDF bytes and page count) and what
  keeps large documents fast and lean;
- ``assets``: the URL fetcher that gives the print templates the portal's own static files
  and nothing else.
"""
