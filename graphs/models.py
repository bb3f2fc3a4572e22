"""Model selection: the configured LangChain chat model, else the offline one.

``select_model("openai:gpt-4.1-mini")`` builds a chat model through LangChain's
``init_chat_model`` (the ``llm`` extra); with no name it reads ``FLIGHT_AGENT_MODEL`` through
``Settings``, and with none set (or ``"offline"``) it returns ``OfflineChatModel``. Keys stay
with the provider packages, which read their own environment variables; nothing here logs them.
"""

from __future__ import annotations

import logging

from langchain_core.language_models import BaseChatModel
from pydantic import ValidationError

from flight_agent.clock import SYSTEM_CLOCK, Clock
from flight_agent.settings import Settings
from graphs.offline.model import OfflineChatModel

OFFLINE = "offline"
"""The model name that selects ``OfflineChatModel`` explicitly."""
LLM_EXTRA = "pip install 'flight-agent[llm]'"
API_KEYS = {"openai": "OPENAI_API_KEY", "anthropic": "ANTHROPIC_API_KEY"}
"""The key variable of each provider in the ``llm`` extra."""

logger = logging.getLogger(__name__)


class ModelSelectionError(ValueError):
    """The configured chat model cannot be built; the message says how to fix it."""


def _cannot_start(chosen: str, error: Exception) -> ModelSelectionError:
    """The model's class would not start, mostly for want of a key.

    Only the error's type is named: its text may quote the settings, a key among them.
    """
    provider = chosen.partition(":")[0] if ":" in chosen else ""
    key = API_KEYS.get(provider, "the provider's API key")
    return ModelSelectionError(
        f"Chat model {chosen!r} cannot start ({type(error).__name__}): set {key}, "
        "or unset FLIGHT_AGENT_MODEL to use the offline model."
    )


_STATUS_HINTS = {
    401: "check its API key",
    403: "check what its API key may use",
    404: "check the model name",
    429: "it is rate limited or out of quota; try again later",
}


def model_failure(error: Exception, name: str | None = None) -> str:
    """One line saying a chat model failed mid-run (a refused key, a network error) and what to
    do; ``name`` as for ``select_model``.

    Only the error's type and HTTP status are named: providers quote the key in their messages.
    """
    chosen = (name if name is not None else Settings().flight_agent_model or "").strip()
    if chosen in ("", OFFLINE):
        return f"The offline model failed ({type(error).__name__}: {error})."
    status = getattr(error, "status_code", None)
    status = status if isinstance(status, int) else None
    what = type(error).__name__ + (f", HTTP {status}" if status else "")
    hint = _STATUS_HINTS.get(status or 0, "check its API key, the model name and the network")
    return (
        f"Chat model {chosen!r} failed ({what}): {hint}, or unset FLIGHT_AGENT_MODEL to use "
        "the offline model."
    )


def select_model(
    name: str | None = None, *, settings: Settings | None = None, clock: Clock = SYSTEM_CLOCK
) -> BaseChatModel:
    """The chat model named ``name``, else ``FLIGHT_AGENT_MODEL``, else the offline model.

    Args:
        name: ``provider:model`` as ``init_chat_model`` reads it (e.g. ``openai:gpt-4.1-mini``,
            ``anthropic:claude-sonnet-4-5``), or ``"offline"``.
        settings: Where ``FLIGHT_AGENT_MODEL`` comes from; ``Settings()`` when None.
        clock: The offline model's clock, for dates such as 'on Friday'.

    Raises:
        ModelSelectionError: LangChain or the provider's package is not installed, the
            provider is unknown, or the model cannot start (e.g. its API key is not set).
    """
    chosen = name if name is not None else (settings or Settings()).flight_agent_model
    chosen = (chosen or "").strip()
    if chosen in ("", OFFLINE):
        return OfflineChatModel(clock=clock)
    try:
        from langchain.chat_models import init_chat_model
    except ImportError as error:
        raise ModelSelectionError(
            f"Chat model {chosen!r} needs LangChain: {LLM_EXTRA}, or unset FLIGHT_AGENT_MODEL "
            "to use the offline model."
        ) from error
    try:
        model = init_chat_model(chosen)
    except ImportError as error:
        raise ModelSelectionError(
            f"The provider package for chat model {chosen!r} is not installed: {LLM_EXTRA} "
            f"(OpenAI and Anthropic) or install the provider's langchain package. ({error})"
        ) from error
    except ValidationError as error:  # a provider class refusing its settings, e.g. no key
        raise _cannot_start(chosen, error) from error
    except ValueError as error:
        raise ModelSelectionError(
            f"Unknown chat model {chosen!r}: use 'provider:model' such as "
            f"'openai:gpt-4.1-mini' or 'anthropic:claude-sonnet-4-5', or '{OFFLINE}'."
        ) from error
    except Exception as error:  # the provider's client refusing to start, e.g. openai.OpenAIError
        raise _cannot_start(chosen, error) from error
    logger.info("chat model: %s", chosen)
    return model
