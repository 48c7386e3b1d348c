"""robots.txt policy for one origin (RFC 9309), parsed with protego.

Kept apart from the HTTP client so that the rules for "what does a robots.txt answer mean"
sit in one place: 2xx is parsed, 4xx (no robots.txt) allows everything, and 5xx or no answer
at all means the site is unwell, so we stay away for this run (RFC 9309 section 2.3.1.4).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from protego import Protego

from klimatkontrakt.core.model import DISALLOWED

log = logging.getLogger(__name__)

MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB


def product_token(user_agent: str) -> str:
    """"klimatkontrakt/0.1.0 (+https://...)" -> "klimatkontrakt": the name robots.txt groups
    match against (matching the whole header would let "User-agent: github" match the contact
    URL)."""
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or user_agent


@dataclass
class RobotsPolicy:
    """What one origin's robots.txt lets us do."""

    parser: Protego | None = None
    disallow_all_reason: str | None = None  # set when robots.txt answered 5xx
    unreachable: str | None = None  # set when robots.txt got no answer at all: the host is down
    sitemaps: list[str] = field(default_factory=list)

    @classmethod
    def allow_all(cls) -> RobotsPolicy:
        return cls()

    @classmethod
    def from_response(cls, status: int | None, body: bytes, error: str | None = None) -> RobotsPolicy:
        if status is not None and 200 <= status < 300:
            text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
            parser = Protego.parse(text)
            return cls(parser=parser, sitemaps=list(parser.sitemaps))
        if status is not None and 400 <= status < 500:
            return cls.allow_all()
        if status is None:
            return cls(unreachable=error or "no response")
        return cls(disallow_all_reason=f"robots.txt unreachable: HTTP {status}")

    @property
    def keeps_host_away(self) -> bool:
        """No page of the origin may be fetched in this run (robots.txt unreachable or 5xx)."""
        return self.unreachable is not None or self.disallow_all_reason is not None

    def denial(self, url: str, agent: str) -> str | None:
        """None when `agent` may fetch `url`, else the one-line reason."""
        if self.unreachable is not None:
            return self.unreachable  # reported as the failure it is, not as a robots decision
        if self.disallow_all_reason is not None:
            return f"{DISALLOWED} ({self.disallow_all_reason})"
        if self.parser is not None and not self.parser.can_fetch(url, agent):
            return DISALLOWED
        return None

    def delay(self, agent: str) -> float:
        """Seconds between requests the site asks for (Crawl-delay or Request-rate), else 0."""
        if self.parser is None:
            return 0.0
        delay = self.parser.crawl_delay(agent) or 0.0
        rate = self.parser.request_rate(agent)
        if rate is not None and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return float(delay)
