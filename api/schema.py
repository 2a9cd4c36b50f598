"""OpenAPI description of the API key authentication (loaded by ApiConfig.ready)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "API-Schlüssel einer Kommune (im Portal unter „API-Schlüssel“ angelegt): "
                "Kopfzeile „Authorization: Bearer <Schlüssel>“."
            ),
        }


ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Fehlermeldung auf Deutsch: „detail“ für die ganze Anfrage, sonst je Feld eine Liste "
        "von Meldungen."
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
ERRORS = {
    "400": "Ungültige Angaben (Filter oder Messwert); die Meldung nennt das Feld.",
    "401": "API-Schlüssel ungültig oder widerrufen, oder Anmeldung nötig.",
    "403": "Keine Berechtigung für diesen Indikator.",
    "404": "Nicht vorhanden oder nicht sichtbar.",
    "429": (
        "Zu viele Anfragen (anonym 60, mit Schlüssel 600 je Minute) oder zu viele falsche "
        "API-Schlüssel von dieser Adresse; die Antwort nennt in Retry-After, wann es weitergeht."
    ),
}


def add_error_responses(result, generator, request, public):
    """Postprocessing hook: every operation documents its error answers with one schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "429"]
            if "{" in path:
                codes.append("404")
            if method == "post":
                codes.append("403")
            for code in codes:
                responses.setdefault(code, {"description": ERRORS[code]})
            for code, response in responses.items():
                if code in ERRORS and not response.get("content"):
                    response["content"] = ref
    return result
