"""The offline chat model: reads a traveller's request by rules, plans tool calls, answers.

``model`` is the LangChain chat model. ``intents`` reads the request: what is asked, with
``keywords`` for the intent, cause and provider, ``flights`` and ``airline_names`` for
flights, ``places`` and ``codes`` for airports (``sheets`` for those in a pasted sheet's
columns), ``dates`` for days (``tense`` for whether one lies behind or ahead), ``windows`` for
departure windows, ``notice`` for cancellation notice, ``arrival`` for a disrupted trip's
final arrival, ``legs`` for the order legs are flown in, ``words`` for short English words
that look like codes, and ``scope`` for what is declined.
``planner`` turns it into tool calls, with what earlier turns established (``memory``), the
flights a follow-up names without their numbers (``follow_ups``) and the request an answer to
its question completes (``clarified``); ``small_talk`` answers greetings and thanks;
``answers`` writes the reply from tool results.
"""

from graphs.offline.model import OfflineChatModel

__all__ = ["OfflineChatModel"]
