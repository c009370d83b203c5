"""One JSON object per log line in production (VISAGE_LOG_FORMAT=json): what log shippers parse."""
import json
import logging
from datetime import UTC, datetime

_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # Anything passed with `extra=` (say, event_id) becomes a field of its own.
        entry.update({key: value for key, value in record.__dict__.items() if key not in _STANDARD})
        return json.dumps(entry, default=str)
