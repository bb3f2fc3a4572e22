"""Which proxy the environment sends a provider's requests through, by httpx's own rules.

Providers send requests straight to a transport (``ProviderHttp``), not through an
``httpx.AsyncClient``: the client's per-request work (cookies, auth flow, redirects, URL
merging) costs more than a third of a request's CPU. The one thing of the client they need is its
reading of ``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY`` and ``NO_PROXY`` (any case), done here
once per provider: its base URL decides. httpx keeps those rules in private helpers
(``httpx._utils.get_environment_proxies`` and ``URLPattern``); this module is their only user,
and ``tests/providers/test_proxies.py`` pins the behaviour relied on to the httpx versions it was
checked against.
"""

from __future__ import annotations

import httpx
from httpx._utils import URLPattern, get_environment_proxies


def environment_proxy(url: str) -> str | None:
    """The proxy an ``httpx.AsyncClient`` would send a request for ``url`` through, or None
    when it would go direct (no proxy variable applies, or ``NO_PROXY`` names the host).

    The most specific pattern wins, as in the client: a ``NO_PROXY`` host before a scheme's
    proxy, a scheme's proxy (``HTTPS_PROXY``) before ``ALL_PROXY``.
    """
    target = httpx.URL(url)
    mounts = sorted(
        ((URLPattern(pattern), proxy) for pattern, proxy in get_environment_proxies().items()),
        key=lambda mount: mount[0],
    )
    return next((proxy for pattern, proxy in mounts if pattern.matches(target)), None)
