"""LangGraph agents over the flight-agent tools: the IROPS graph and the chat agent.

``build_irops_graph`` assesses an itinerary (fetch, rules engine, model explanation, human
approval, ``IropsReport``); ``build_chat_agent`` answers free-form questions with every tool.
Both take a chat model (the offline rule-based one when none is configured), a service and a
checkpointer: ``memory_checkpointer()``, or a durable one that a thread resumes from in another
process (``sqlite_checkpointer`` and ``postgres_checkpointer``, with async forms for
``ainvoke``).
"""

from graphs.chat_agent import build_chat_agent
from graphs.checkpoints import (
    async_postgres_checkpointer,
    async_sqlite_checkpointer,
    memory_checkpointer,
    postgres_checkpointer,
    sqlite_checkpointer,
)
from graphs.irops_graph import build_irops_graph
from graphs.report import IropsReport, LegReport, Recommendation

__all__ = [
    "IropsReport",
    "LegReport",
    "Recommendation",
    "async_postgres_checkpointer",
    "async_sqlite_checkpointer",
    "build_chat_agent",
    "build_irops_graph",
    "memory_checkpointer",
    "postgres_checkpointer",
    "sqlite_checkpointer",
]
