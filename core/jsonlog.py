"""JSON lines for log files: one JSON object per record (production's security log).

Keys: ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message`` and, for records of
``core.security``, the event's fields (``event``, ``username``, ``ip``, ``path``,
``actor``, ...). Exceptions are added as ``exception`` (the formatted traceback).
"""

import datetime
import json
import logging


class JSONLinesFormatter(logging.Formatter):
    def format(self, record):
        data = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in (getattr(record, "security", None) or {}).items():
            data.setdefault(key, value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)
