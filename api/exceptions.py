from rest_framework.exceptions import ParseError
from rest_framework.views import exception_handler


def german_exception_handler(exc, context):
    """DRF's messages are German already (LANGUAGE_CODE "de"), except the JSON parser's."""
    if isinstance(exc, ParseError):
        exc = ParseError(
            "Der Inhalt der Anfrage ist kein gültiges JSON. Erwartet wird z. B. "
            '{"period": "2026", "value": "12,5"}.'
        )
    return exception_handler(exc, context)
