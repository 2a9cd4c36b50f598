"""Indicator sources: one small class per kind behind ``fetch -> parse -> values``."""

from .base import Source, SourceError, TransientSourceError
from .csv_url import CsvUrlSource
from .genesis import GenesisSource
from .json_url import JsonUrlSource
from .manual import ManualSource
from .portal import PortalSource

SOURCES = {
    cls.kind: cls
    for cls in (ManualSource, PortalSource, CsvUrlSource, JsonUrlSource, GenesisSource)
}


def source_for(indicator):
    try:
        return SOURCES[indicator.source_kind](indicator)
    except KeyError as exc:
        raise SourceError(f"Unbekannte Art der Datenquelle „{indicator.source_kind}“.") from exc


__all__ = ["SOURCES", "Source", "SourceError", "TransientSourceError", "source_for"]
