"""The graphs ``langgraph dev`` serves (see ``langgraph.json``).

Compiled without a checkpointer: the LangGraph server brings its own. The model comes from
``FLIGHT_AGENT_MODEL`` (the offline model when unset) and the service from the environment; both
are built here without I/O, the service on its first tool call.
"""

from graphs.chat_agent import build_chat_agent
from graphs.irops_graph import build_irops_graph

irops = build_irops_graph()
chat = build_chat_agent()
