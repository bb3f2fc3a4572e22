"""API keys never show: every key a provider uses is registered here and masked as ``***``.

A key rarely comes back exactly as it was sent. A request URL carries it percent-encoded (the
query writes ``/`` as ``%2F`` and a space as ``+``; hex digits may come back in either case), and
a provider may echo it upper- or lower-cased in an error message. ``redact`` masks each registered
key in every one of these forms, whatever their case.

Provider text enters at one boundary, the provider's HTTP client (``ProviderHttp``): every error
it raises, whoever built it (status mapping or a provider's error-envelope reader), and its
request log pass through ``redact`` there. Loggers that can carry provider text without passing
that boundary get ``redact`` as a filter on every record, traceback included: httpx's and
httpcore's, and the failover attempt's report of a provider's bug (its traceback may quote the
answer being read).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote, quote_plus

REDACTED = "***"

_secrets: set[str] = set()
_pattern: re.Pattern[str] | None = None


def _forms(secret: str) -> set[str]:
    """The ways ``secret`` can appear in text: as is, case-folded, and URL-encoded.

    URL encoding covers a query (``+`` for a space) and a path (``%20``), with ``/`` escaped
    or kept. ``redact`` also ignores case on top of these forms.
    """
    forms: set[str] = set()
    for variant in {secret, secret.upper(), secret.casefold()}:
        for safe in ("", "/"):
            forms |= {variant, quote(variant, safe=safe), quote_plus(variant, safe=safe)}
    return forms


def redact(text: str) -> str:
    """``text`` with every form of every registered API key replaced by ``***``.

    Case is ignored, and longer forms are tried first, so a key that contains a shorter
    registered one is still hidden whole.
    """
    return _pattern.sub(REDACTED, text) if _pattern is not None else text


class _RedactSecrets(logging.Filter):
    """Masks registered API keys in log records: the message and any traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _pattern is None:
            return True
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            # Formatters reuse ``exc_text`` when it is set, so the masked text is what they write.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_REDACTOR = _RedactSecrets()
_FILTERED_LOGGERS = (
    "httpx",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "flight_agent.providers.failover.attempt",
)


def register_secret(secret: str) -> None:
    """Keep ``secret``, in every form it can take, out of every error and log record.

    The loggers that can carry provider text past ``ProviderHttp`` get a redacting filter
    (logger filters do not apply to child loggers, so each is listed).
    """
    global _pattern
    if not secret:
        return
    _secrets.add(secret)
    forms = {form for known in _secrets for form in _forms(known)}
    alternatives = sorted(forms, key=lambda form: (-len(form), form))
    _pattern = re.compile("|".join(map(re.escape, alternatives)), re.IGNORECASE)
    for name in _FILTERED_LOGGERS:
        logger = logging.getLogger(name)
        if _REDACTOR not in logger.filters:
            logger.addFilter(_REDACTOR)
