"""CSV over HTTP(S): columns ``period,value`` and optionally ``ags`` (``,`` or ``;``)."""

import csv
import io

from .base import Source, SourceError, read_rows, to_decimal
from .http import decode, http_request


class CsvUrlSource(Source):
    kind = "csv_url"

    def fetch(self):
        return http_request(self.indicator.source_url)

    def parse(self, raw):
        text = decode(raw)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        if "period" not in header or "value" not in header:
            raise SourceError(
                "Die CSV-Datei braucht die Spalten „period“ und „value“ (gefunden: "
                f"{', '.join(header[:10]) or 'keine'})."
            )
        reader.fieldnames = header
        ags = self.body_ags() if "ags" in header else None
        result = {}
        for line_number, row in read_rows(reader):
            if None in row:
                raise SourceError(f"Zeile {line_number}: mehr Felder als Spalten.")
            if ags is not None and (row.get("ags") or "").strip() != ags:
                continue
            value_text = (row.get("value") or "").strip()
            if not value_text and not (row.get("period") or "").strip():
                continue  # an empty line
            where = f"Zeile {line_number}"
            period = self.period(row.get("period") or "", where)
            if not value_text:
                continue  # no value for this period (yet)
            self.add(result, period, to_decimal(value_text, where), where)
        if ags is not None and not result:
            raise SourceError(f"Die CSV-Datei enthält keine Werte für den AGS {ags}.")
        return result
