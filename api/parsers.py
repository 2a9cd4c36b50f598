"""The API's JSON parser."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's parser, also refusing JSON nested too deeply for Python's decoder (``[[[…]]]``
    100,000 levels deep raised a RecursionError, an error 500) as invalid JSON (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("Der JSON-Inhalt ist zu tief verschachtelt.") from exc
