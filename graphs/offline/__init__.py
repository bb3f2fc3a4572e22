"""The offline chat model: reads a traveller's request by rules, plans tool calls, answers.

``model`` is the LangChain chat model; ``intents`` and ``dates`` read the request (flights,
airports, dates, what is asked), ``planner`` turns it into tool calls, and ``answers`` writes
the reply from the tools' results.
"""

from graphs.offline.model import OfflineChatModel

__all__ = ["OfflineChatModel"]
