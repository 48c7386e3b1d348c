"""URL normalisation shared by the live client, the replay archive and the crawler.

One function decides what "the same URL" means, so a URL recorded while crawling is found
again when replaying, and the crawler's de-duplication agrees with both.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from requests.utils import requote_uri

_DEFAULT_PORTS = {"http": 80, "https": 443}


@lru_cache(maxsize=65536)  # menus repeat the same links on every page of a site
def normalise_url(url: str) -> str:
    """Canonical form: lower-case scheme and host, no default port, no fragment, path at least
    "/", query kept as is, unsafe characters (spaces, å/ä/ö) percent-encoded the way requests
    sends them. Idempotent."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if host and not host.isascii() else host.lower()
    except UnicodeError:
        host = host.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if ":" in host:  # IPv6 literal
        netloc = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = parts.username + (f":{parts.password}" if parts.password is not None else "")
        netloc = f"{userinfo}@{netloc}"
    path = parts.path or "/"
    return requote_uri(urlunsplit((scheme, netloc, path, parts.query, "")))


def host_of(url: str) -> str:
    """Lower-case host name without port ("" when there is none)."""
    return (urlsplit(url).hostname or "").rstrip(".").lower()


def same_site(host: str, other: str) -> bool:
    """Hosts that differ only by a leading "www." count as the same site (goteborg.se and
    www.goteborg.se redirect to each other all the time)."""
    strip = lambda h: h[4:] if h.startswith("www.") else h  # noqa: E731
    return strip(host) == strip(other)


def allowed_hosts(source) -> set[str]:
    """Hosts a source may be fetched from: those of allowed_prefixes, else of start_urls."""
    prefixes = source.allowed_prefixes or source.start_urls
    return {host_of(p) for p in prefixes if host_of(p)}


def host_allowed(url: str, hosts: set[str]) -> bool:
    host = host_of(url)
    return any(same_site(host, h) for h in hosts)
