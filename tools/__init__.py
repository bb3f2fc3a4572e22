"""LangChain tools over the flight-agent service (arrives with the tools issue)."""
