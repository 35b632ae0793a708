"""Structured logs: one JSON line per event in production, readable lines in development."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

request_log = logging.getLogger("achterban.request")

# A preference link's token is the credential of the person it belongs to; API tokens too.
_SECRET_IN_PATH = re.compile(r"(?<=/preferences/)[^/]+|\babt_[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def redact_path(path: str) -> str:
    """The path as it may be logged: without tokens. The query string is never logged (it
    holds search terms, which are personal data, and sometimes tokens)."""
    return _SECRET_IN_PATH.sub("[redacted]", path)


def escape(text: str) -> str:
    """Control characters as escapes, so a value cannot start a forged log line."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(record.__dict__)
        safe.msg, safe.args = escape(record.getMessage()), None
        base = super().format(safe)
        fields = getattr(record, "fields", None)
        if fields:
            base += " " + " ".join(f"{k}={escape(str(v))}" for k, v in fields.items())
        return base


def configure(log_format: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(TextFormatter("%(asctime)s %(levelname)-5s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "piccolo.engine.base"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def request_logging(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: one log line per HTTP request with status, duration and actor."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        method = str(scope.get("method", ""))
        started = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_wrapper)
        finally:
            actor = scope.get("user")
            client = scope.get("client")
            path = redact_path(str(scope["path"]))
            request_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "fields": {
                        "method": method,
                        "path": path,
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "actor": getattr(actor, "user_id", None),
                        "ip": client[0] if client else None,
                    }
                },
            )

    return middleware
