"""Model selection: offline by default, LangChain's ``init_chat_model`` when configured."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from typing import Any

import pytest
from langchain_core.language_models import FakeListChatModel
from pydantic import BaseModel, ValidationError

from flight_agent.settings import Settings
from graphs.models import ModelSelectionError, select_model
from graphs.offline.model import OfflineChatModel


def fake_langchain(monkeypatch: pytest.MonkeyPatch, outcome: Exception | None = None) -> list[str]:
    """Stand in for ``langchain.chat_models``; returns the names it was asked to build."""
    asked: list[str] = []

    def init_chat_model(name: str) -> Any:
        asked.append(name)
        if outcome is not None:
            raise outcome
        return FakeListChatModel(responses=["hi"])

    module = types.ModuleType("langchain.chat_models")
    module.init_chat_model = init_chat_model  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "langchain.chat_models", module)
    return asked


@pytest.mark.parametrize("name", [None, "offline", " "])
def test_the_offline_model_is_the_default(name: str | None) -> None:
    """No name and no FLIGHT_AGENT_MODEL (or 'offline') gives the offline model."""
    model = select_model(name, settings=Settings(flight_agent_model=None))
    assert isinstance(model, OfflineChatModel)


def test_flight_agent_model_is_read_through_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no name, FLIGHT_AGENT_MODEL from the environment picks the model."""
    asked = fake_langchain(monkeypatch)
    monkeypatch.setenv("FLIGHT_AGENT_MODEL", "openai:gpt-4.1-mini")
    model = select_model()
    assert asked == ["openai:gpt-4.1-mini"]
    assert isinstance(model, FakeListChatModel)


def test_an_explicit_name_wins_over_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name given to select_model is used whatever the settings say."""
    asked = fake_langchain(monkeypatch)
    select_model("anthropic:claude-sonnet-4-5", settings=Settings(flight_agent_model="openai:x"))
    assert asked == ["anthropic:claude-sonnet-4-5"]


def test_an_unknown_provider_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name init_chat_model cannot place says how to name a model."""
    fake_langchain(monkeypatch, ValueError("Unable to infer model provider"))
    with pytest.raises(ModelSelectionError, match="use 'provider:model' such as"):
        select_model("nosuch:model")


def test_a_missing_provider_package_names_the_llm_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """A provider whose package is not installed points at the llm extra."""
    fake_langchain(monkeypatch, ImportError("requires the langchain-anthropic package"))
    with pytest.raises(ModelSelectionError, match=r"flight-agent\[llm\]"):
        select_model("anthropic:claude-sonnet-4-5")


def test_missing_langchain_names_the_llm_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without LangChain installed, the error says how to install it."""
    monkeypatch.setitem(sys.modules, "langchain.chat_models", None)
    with pytest.raises(ModelSelectionError, match=r"pip install 'flight-agent\[llm\]'"):
        select_model("openai:gpt-4.1-mini")


def test_the_real_init_chat_model_rejects_an_unknown_provider() -> None:
    """Through the installed LangChain, an unknown provider is the same clear error."""
    with pytest.raises(ModelSelectionError, match="Unknown chat model 'nosuch:model'"):
        select_model("nosuch:model")


SECRET = "sk-test-not-a-real-key"


class OpenAIError(Exception):
    """Stands in for ``openai.OpenAIError``, which ``ChatOpenAI`` raises without a key."""


class ProviderSettings(BaseModel):
    """A provider class whose settings pydantic validates (as most LangChain models do)."""

    api_key: int


def rejected_settings() -> ValidationError:
    try:
        ProviderSettings.model_validate({"api_key": SECRET})
    except ValidationError as error:
        return error
    raise AssertionError("the settings were accepted")


@pytest.mark.parametrize(
    "refusal",
    [
        pytest.param(lambda: OpenAIError(f"Incorrect API key provided: {SECRET}"), id="client"),
        pytest.param(rejected_settings, id="settings"),
    ],
)
def test_a_model_that_cannot_start_names_the_key_and_never_echoes_it(
    monkeypatch: pytest.MonkeyPatch, refusal: Callable[[], Exception]
) -> None:
    """No key or a bad one: the message says what to set and leaves out the error's own text."""
    fake_langchain(monkeypatch, refusal())
    with pytest.raises(ModelSelectionError) as caught:
        select_model("openai:gpt-4.1-mini")
    message = str(caught.value)
    assert message.startswith("Chat model 'openai:gpt-4.1-mini' cannot start")
    assert "set OPENAI_API_KEY, or unset FLIGHT_AGENT_MODEL to use the offline model" in message
    assert SECRET not in message


def test_a_provider_without_a_known_key_variable_gets_a_general_hint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Outside the llm extra's providers the message cannot name the variable."""
    fake_langchain(monkeypatch, rejected_settings())
    with pytest.raises(ModelSelectionError, match="set the provider's API key"):
        select_model("groq:llama-3.3-70b")


def test_the_real_openai_model_without_a_key_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the installed langchain-openai: no OPENAI_API_KEY, no model, one clear line."""
    pytest.importorskip("langchain_openai")
    for name in ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ModelSelectionError, match=r"cannot start \(OpenAIError\): set OPENAI"):
        select_model("openai:gpt-4.1-mini")
