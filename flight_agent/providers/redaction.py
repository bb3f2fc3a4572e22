"""API keys never show: every key a provider uses is registered here and masked as ``***``.

Providers register their key when they are built. The HTTP layer masks keys in error details
and in its request log (AviationStack's key travels in the URL), and httpx's and httpcore's own
loggers get a filter that masks them in every record they write.
"""

from __future__ import annotations

import logging

REDACTED = "***"

_secrets: set[str] = set()


def redact(text: str) -> str:
    """``text`` with every registered API key replaced by ``***``.

    Longest keys first: a key that contains a shorter registered one is still hidden whole.
    """
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


class _RedactSecrets(logging.Filter):
    """Replaces registered API keys in log messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _secrets:
            message = record.getMessage()
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


_REDACTOR = _RedactSecrets()
_HTTP_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
)


def register_secret(secret: str) -> None:
    """Keep ``secret`` out of every error and log record from now on.

    URLs may carry query-parameter keys (AviationStack): the HTTP layer's request log redacts
    them, and httpx's and httpcore's loggers get a redacting filter too, so no future record of
    theirs can leak one (logger filters do not apply to child loggers, so each is listed).
    """
    if not secret:
        return
    _secrets.add(secret)
    for name in _HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
