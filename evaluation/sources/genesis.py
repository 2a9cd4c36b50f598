"""Regionalstatistik / GENESIS REST API 2020: ``data/tablefile`` in the ``ffcsv`` format.

Since 2025 the API takes only POST with the credentials in HTTP headers: the personal token
as ``username`` and an empty ``password``. The token comes from the setting
``GENESIS_API_TOKEN`` (an environment variable) and is never stored in the database.

Options: ``table`` (e.g. ``12411-01-01-5``, required), ``regionalvariable`` (default
``GEMEIN``), ``value_variable`` (pick rows of one value variable, e.g. ``BEVSTD``),
``startyear``, ``ags`` (overrides the lead municipality's AGS).
"""

import csv
import io
import json
import zipfile
from urllib.parse import urlencode, urljoin

from django.conf import settings

from .base import Source, SourceError, read_rows, to_decimal
from .http import decode, http_request

# Cells that replace a value in GENESIS tables: nothing there, secret, not available ...
QUALITY_MARKERS = {"-", ".", "x", "/", "...", "–", ""}


class GenesisSource(Source):
    kind = "genesis"

    def request_data(self):
        table = self.options.get("table")
        if not table:
            raise SourceError("Für GENESIS fehlt die Tabelle (Einstellung „table“).")
        data = {
            "name": table,
            "area": "all",
            "format": "ffcsv",
            "compress": "false",
            "regionalvariable": self.options.get("regionalvariable", "GEMEIN"),
            "regionalkey": self.body_ags(),
            "language": "de",
        }
        if self.options.get("startyear"):
            data["startyear"] = str(self.options["startyear"])
        return data

    def fetch(self):
        token = settings.GENESIS_API_TOKEN
        if not token:
            raise SourceError("Es ist kein GENESIS-Zugang eingerichtet (GENESIS_API_TOKEN fehlt).")
        base = self.indicator.source_url or settings.GENESIS_API_URL
        url = urljoin(base if base.endswith("/") else base + "/", "data/tablefile")
        return http_request(
            url,
            data=urlencode(self.request_data()).encode(),
            headers={
                "username": token,
                "password": "",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def parse(self, raw):
        if raw[:4] == b"PK\x03\x04":
            raw = self._unzip(raw)
        text = decode(raw)
        if text.lstrip().startswith("{"):
            raise SourceError(f"GENESIS meldet: {self._api_message(text)}")
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=";")
        header = reader.fieldnames or []
        prefixes = self._variable_prefixes(header)
        value_column = self.options.get("value_column") or "value"
        if "time" not in header or value_column not in header:
            raise SourceError("Die GENESIS-Datei ist keine ffcsv-Tabelle (Spalten „time“/„value“).")
        ags = self.body_ags()
        value_variable = self.options.get("value_variable")
        result = {}
        for line_number, row in read_rows(reader):
            if self._region_of(row, prefixes) != ags:
                continue
            if value_variable and row.get("value_variable_code") != value_variable:
                continue
            cell = (row.get(value_column) or "").strip()
            if cell in QUALITY_MARKERS:
                continue
            where = f"GENESIS-Zeile {line_number}"
            period = self.period(row["time"], where)
            self.add(result, period, to_decimal(cell, where, decimal_comma=True), where)
        if not result:
            raise SourceError(f"Die GENESIS-Tabelle enthält keine Werte für den AGS {ags}.")
        return result

    @staticmethod
    def _variable_prefixes(header):
        """ffcsv names the classifying variables 1_variable_code, 2_variable_code, ..."""
        return [
            name.split("_", 1)[0]
            for name in header
            if name.endswith("_variable_code") and name.split("_", 1)[0].isdigit()
        ]

    def _region_of(self, row, prefixes):
        variable = self.options.get("regionalvariable", "GEMEIN")
        for prefix in prefixes:
            if row.get(f"{prefix}_variable_code") == variable:
                return (row.get(f"{prefix}_variable_attribute_code") or "").strip()
        return None

    @staticmethod
    def _api_message(text):
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            return "unlesbare Fehlermeldung"
        status = document.get("Status") or {}
        return str(document.get("Content") or status.get("Content") or document)[:300]

    @staticmethod
    def _unzip(raw):
        limit = settings.EVALUATION_MAX_RESPONSE_BYTES
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                members = [info for info in archive.infolist() if not info.is_dir()]
                if not members:
                    raise SourceError("Das ZIP-Archiv von GENESIS ist leer.")
                # Read at most limit + 1 bytes: the declared size of a member may lie.
                with archive.open(members[0]) as member:
                    content = member.read(limit + 1)
                if len(content) > limit:
                    raise SourceError("Die entpackte GENESIS-Datei ist zu groß.")
                return content
        except zipfile.BadZipFile as exc:
            raise SourceError("Das ZIP-Archiv von GENESIS ist beschädigt.") from exc
