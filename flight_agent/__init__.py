"""flight-agent: airline IROPS toolkit (providers, failover, cache, IROPS rules)."""
