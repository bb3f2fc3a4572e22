"""The offline chat model: reads a traveller's request by rules, plans tool calls, answers.

``model`` is the LangChain chat model; ``intents`` reads the request (what is asked, with
``airline_names``, ``places``, ``dates``, ``notice`` and ``legs`` for flights, airports, dates,
cancellation notice and the order legs are flown in; ``scope`` for what is declined),
``planner`` turns it into tool calls, and ``answers`` writes the reply from the tools' results.
"""

from graphs.offline.model import OfflineChatModel

__all__ = ["OfflineChatModel"]
