"""The toolkit's faces: the ``flight-agent`` command line and the MCP server.

The only part of ``flight_agent`` that builds on ``tools`` and ``graphs``; everything below it
(providers, cache, monitoring, IROPS rules, the service) knows nothing of LangChain.
"""
