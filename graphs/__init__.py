"""LangGraph IROPS graph and chat agent (arrives with the graph issue)."""
