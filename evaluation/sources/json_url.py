"""JSON over HTTP(S): a list of objects with ``period`` and ``value``.

Option ``path``: where the list sits in the document, as dot-separated keys (``data.items``)
or list positions (``results.0.values``); empty for a top-level list. If the objects carry an
``ags``, only those of the body's AGS are used.
"""

import json

from .base import Source, SourceError, to_decimal
from .http import decode, http_request


class JsonUrlSource(Source):
    kind = "json_url"

    def fetch(self):
        return http_request(self.indicator.source_url, headers={"Accept": "application/json"})

    def parse(self, raw):
        try:
            document = json.loads(decode(raw))
        except json.JSONDecodeError as exc:
            raise SourceError(f"Ungültiges JSON (Zeile {exc.lineno}, Spalte {exc.colno}).") from exc
        items = document
        path = (self.options.get("path") or "").strip()
        for step in [part for part in path.split(".") if part]:
            if isinstance(items, dict) and step in items:
                items = items[step]
            elif isinstance(items, list) and step.isdigit() and int(step) < len(items):
                items = items[int(step)]
            else:
                raise SourceError(f"Der Pfad „{path}“ passt nicht zur JSON-Datei (bei „{step}“).")
        if not isinstance(items, list):
            raise SourceError("An der angegebenen Stelle steht keine Liste von Werten.")
        filter_ags = any(isinstance(item, dict) and "ags" in item for item in items)
        ags = self.body_ags() if filter_ags else None
        result = {}
        for index, item in enumerate(items):
            where = f"Eintrag {index + 1}"
            if not isinstance(item, dict) or "period" not in item or "value" not in item:
                raise SourceError(f"{where}: erwartet ein Objekt mit „period“ und „value“.")
            if ags is not None and str(item.get("ags", "")).strip() != ags:
                continue
            if item["value"] is None:
                continue
            period = self.period(item["period"], where)
            self.add(result, period, to_decimal(item["value"], where), where)
        if ags is not None and not result:
            raise SourceError(f"Die JSON-Datei enthält keine Werte für den AGS {ags}.")
        return result
