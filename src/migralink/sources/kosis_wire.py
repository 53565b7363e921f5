"""What KOSIS sends and what we log: its legacy JSON, and the API key kept out of logs.

KOSIS answers some requests with JavaScript-style objects whose keys are not quoted
(``{ORG_ID:"101"}``); :func:`quote_bare_keys` makes them JSON. The key travels in the
query string, and httpx logs every request URL at INFO, so a filter masks it.
"""

from __future__ import annotations

import logging
import re

__all__ = ["KEY_IN_URL", "install_log_redaction", "quote_bare_keys"]

KEY_IN_URL = re.compile(r"(apiKey=)[^&\s\"'>]*", re.IGNORECASE)
_BARE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?=\s*:)")


def quote_bare_keys(text: str) -> str:
    """Quote the bare keys of KOSIS's legacy JSON (``{ORG_ID:"101"}``), outside strings."""
    out: list[str] = []
    i, in_string, key_expected = 0, False, False
    while i < len(text):
        char = text[i]
        if in_string:
            out.append(text[i:i + 2] if char == "\\" else char)
            in_string = char != '"'
            i += 2 if char == "\\" else 1
            continue
        found = _BARE_KEY.match(text, i) if key_expected else None
        if found:
            out.append(f'"{found.group()}"')
            i, key_expected = found.end(), False
            continue
        in_string = char == '"'
        key_expected = char in "{," or (key_expected and char.isspace())
        out.append(char)
        i += 1
    return "".join(out)


class _RedactApiKey(logging.Filter):
    """Masks ``apiKey=...`` in log lines (httpx logs every request URL at INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "apikey=" in message.lower():
            record.msg, record.args = KEY_IN_URL.sub(r"\1***", message), ()
        return True


def install_log_redaction() -> None:
    """Mask the API key in httpx's and httpcore's request log lines (idempotent)."""
    for name in ("httpx", "httpcore"):
        target = logging.getLogger(name)
        if not any(isinstance(f, _RedactApiKey) for f in target.filters):
            target.addFilter(_RedactApiKey())
