"""flight-agent: airline IROPS toolkit (providers, failover, cache, IROPS rules)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("flight-agent")
except PackageNotFoundError:  # imported from a source tree that was never installed
    __version__ = "0+unknown"
