"""Benchmarks of flight-agent: each prints its figures against its target.

``python -m benchmarks`` (``make bench``) runs them all and writes ``benchmarks/results.md``.
One module per benchmark (``bench_cache``, ``bench_overhead``, ``bench_batch``,
``bench_failover``, ``bench_coalescing``, ``bench_upstream_cost``, ``bench_hedging``,
``bench_memory``, ``bench_mcp``), each with ``bench(scale, upstream)``; ``common`` holds timers,
percentiles and result rows, ``stack`` builds the providers and service under test,
``upstream`` runs the fake upstream in a child process, and ``mcp_baseline`` is the bare MCP
server the MCP benchmark measures against.
"""
