"""HTTP clients behind one protocol: `get(url, source) -> FetchedPage`.

`LiveClient` talks to the network politely (robots.txt, per-host pacing, retries with
backoff, size cap, no private addresses) and writes every attempt to the WARC archive.
`ReplayClient` answers the same questions from an archive and never touches the network.
Both share the redirect policy and the response-to-FetchedPage conversion (`_BaseClient`), so
a replayed run sees exactly what the live run saw. `get` never raises: failures come back as
a FetchedPage with a one-line `error`.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import requests

from klimatkontrakt.core.errors import one_line
from klimatkontrakt.core.model import NOT_ARCHIVED, FetchedPage, Source
from klimatkontrakt.core.settings import Settings
from klimatkontrakt.fetch.decode import decode_html, is_html
from klimatkontrakt.fetch.pdfs import PdfUnreadable, is_pdf, is_pdf_link, read_pdf
from klimatkontrakt.fetch.politeness import HostLimiter, parse_retry_after
from klimatkontrakt.fetch.robots import RobotsPolicy, product_token
from klimatkontrakt.fetch.urls import (
    allowed_hosts,
    host_allowed,
    host_of,
    normalise_url,
)
from klimatkontrakt.fetch.warc import ArchiveWriter, ReplayArchive

log = logging.getLogger(__name__)

MAX_REDIRECTS = 10
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
_CHUNK = 64 * 1024
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
_ACCEPT_LANGUAGE = "sv,en;q=0.8"


class Client(Protocol):
    def get(self, url: str, source: Source) -> FetchedPage: ...


def _now() -> datetime:
    # second precision: WARC-Date has seconds, so live and replayed pages carry the same time
    return datetime.now(timezone.utc).replace(microsecond=0)


_POOL_PREFIX = re.compile(r"^\W*(HTTPS?Connection(Pool)?\([^)]*\)|<[^>]*>): ")


def _reason(exc: BaseException) -> str:
    """The innermost cause of a requests/urllib3 error, without the connection-pool prefix:
    "[Errno 111] Connection refused" instead of three nested reprs."""
    seen: set[int] = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        inner = getattr(exc, "reason", None)
        if not isinstance(inner, BaseException):
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        if inner is None:
            break
        exc = inner
    text = _POOL_PREFIX.sub("", one_line(exc, 500))
    text = text.replace("Failed to establish a new connection: ", "")
    return text or type(exc).__name__


@dataclass
class _Hop:
    """The answer for one URL, redirects not followed."""

    status: int | None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    fetched_at: datetime = field(default_factory=_now)
    elapsed_ms: int = 0
    error: str | None = None
    truncated: bool = False
    retryable: bool = False  # only meaningful for failures without a status

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None


class _BaseClient:
    """Redirect policy and FetchedPage construction shared by the live and replay clients."""

    def _hop(self, url: str, source: Source) -> _Hop:  # pragma: no cover - abstract
        raise NotImplementedError

    def _remember_validators(self, url: str, hop: _Hop) -> None:
        """ETag / Last-Modified of a 200 answer, for the next run's conditional requests."""
        if hop.status == 200:
            etag, last_modified = hop.header("ETag"), hop.header("Last-Modified")
            if etag or last_modified:
                with self._lock:
                    self.seen_validators[url] = (etag, last_modified)

    def get(self, url: str, source: Source) -> FetchedPage:
        try:
            return self._get(url, source)
        except Exception as exc:  # noqa: BLE001 - get() must never raise
            error = f"internal error: {type(exc).__name__}: {one_line(exc, 500)}"
            log.warning("%s: %s", url, error)
            return FetchedPage(url=url, final_url=url, status=None, content_type=None, body=b"",
                               text=None, fetched_at=_now(), error=error, source_id=source.id)

    def _get(self, url: str, source: Source) -> FetchedPage:
        url = normalise_url(url)
        hosts = allowed_hosts(source)
        chain = [url]
        current = url
        elapsed = 0
        while True:
            hop = self._hop(current, source)
            elapsed += hop.elapsed_ms
            if hop.status not in REDIRECT_STATUSES:
                return self._page(url, current, hop, elapsed, source)
            location = hop.header("Location")
            if not location:
                return self._page(url, current, hop, elapsed, source,
                                  error=f"HTTP {hop.status} without Location")
            target = normalise_url(urljoin(current, location.strip()))
            error = None
            if urlsplit(target).scheme not in ("http", "https"):
                error = f"redirect to unsupported URL {target}"
            elif not host_allowed(target, hosts):
                error = f"redirect to disallowed host {host_of(target)}"
            elif target in chain:
                error = f"redirect loop at {target}"
            elif len(chain) > MAX_REDIRECTS:
                error = f"too many redirects (more than {MAX_REDIRECTS})"
            if error:
                log.warning("%s: %s", url, error)
                return self._page(url, current, hop, elapsed, source, error=error)
            chain.append(target)
            current = target

    @staticmethod
    def _page(url: str, final_url: str, hop: _Hop, elapsed_ms: int, source: Source,
              error: str | None = None) -> FetchedPage:
        content_type = hop.header("Content-Type")
        status = hop.status
        if error is None:
            error = hop.error
        if error is None and status is not None and status >= 400:
            error = one_line(f"HTTP {status} {hop.reason}", 500)
        text = kind = None
        if error is None and status is not None and 200 <= status < 300:
            if is_html(content_type, hop.body):
                text, kind = decode_html(hop.body, content_type), "html"
            elif is_pdf(content_type, hop.body):
                kind = "pdf"
                text, error = _pdf_text(url, hop)
        return FetchedPage(
            url=url,
            final_url=final_url,
            status=status,
            content_type=content_type,
            body=hop.body,
            text=text,
            fetched_at=hop.fetched_at,
            elapsed_ms=elapsed_ms,
            error=error,
            from_cache=status == 304,
            truncated=hop.truncated,
            source_id=source.id,
            kind=kind,
        )


def _pdf_text(url: str, hop: _Hop) -> tuple[str | None, str | None]:
    """(text, None) of a PDF answer, or (None, the reason it cannot be read)."""
    if hop.truncated:
        error = f"PDF larger than the size cap ({len(hop.body)} bytes kept): not read"
    else:
        try:
            return read_pdf(hop.body), None
        except PdfUnreadable as exc:
            error = str(exc)
    log.warning("%s: %s", url, error)
    return None, error


# ---------------------------------------------------------------------------------------------


class LiveClient(_BaseClient):
    """Fetches over HTTP(S) with robots.txt, pacing, retries, size cap and archiving.

    Thread-safe: one requests.Session per thread, shared robots/pacing state per host.
    `seen_validators` collects ETag/Last-Modified of 200 responses, in the shape the
    `validators` argument takes, so a caller can persist them for the next run.
    """

    def __init__(self, settings: Settings, archive: ArchiveWriter | None,
                 validators: dict[str, tuple[str | None, str | None]] | None = None):
        self.settings = settings
        self.archive = archive
        self.validators = {normalise_url(u): v for u, v in (validators or {}).items()}
        self.seen_validators: dict[str, tuple[str | None, str | None]] = {}
        self.user_agent = settings.effective_user_agent
        self.robots_agent = product_token(self.user_agent)
        self._limiter = HostLimiter()
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self._robots: dict[str, RobotsPolicy] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._private: dict[str, str | None] = {}
        self._failing: dict[str, int] = {}  # host -> pages in a row without a usable answer
        self._given_up: dict[str, str] = {}  # host -> why it is not asked again in this run

    # -- lifecycle -------------------------------------------------------------------------
    def __enter__(self) -> LiveClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            for session in self._sessions:
                session.close()
            self._sessions.clear()

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update({"User-Agent": self.user_agent, "Accept": _ACCEPT,
                                    "Accept-Language": _ACCEPT_LANGUAGE})
            session.max_redirects = MAX_REDIRECTS
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    # -- policy ----------------------------------------------------------------------------
    def _base_interval(self, source: Source) -> float:
        return source.delay_seconds if source.delay_seconds is not None else self.settings.delay_seconds

    def _private_refusal(self, host: str) -> str | None:
        """One-line refusal when `host` resolves to a non-public address (cached per host)."""
        if self.settings.allow_private:
            return None
        with self._lock:
            if host in self._private:
                return self._private[host]
        reason = None
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError, OSError):
            infos = []  # let the request itself report the DNS failure
        for info in infos:
            ip = ipaddress.ip_address(info[4][0].split("%", 1)[0])
            if getattr(ip, "ipv4_mapped", None):
                ip = ip.ipv4_mapped
            if not ip.is_global or ip.is_multicast:
                reason = (f"refused: host {host} resolves to non-public address {ip}"
                          " (set KLIMATKONTRAKT_ALLOW_PRIVATE=true to allow)")
                break
        with self._lock:
            self._private[host] = reason
        return reason

    def robots_policy(self, url: str, source: Source) -> RobotsPolicy:
        """The robots.txt policy of `url`'s origin, fetched once per run (and archived)."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            policy = self._robots.get(origin)
            if policy is None:
                policy = self._fetch_robots(origin, source)
                with self._lock:
                    self._robots[origin] = policy
        return policy

    def robots_sitemaps(self, url: str, source: Source) -> list[str]:
        return list(self.robots_policy(normalise_url(url), source).sitemaps)

    def _fetch_robots(self, origin: str, source: Source) -> RobotsPolicy:
        current = normalise_url(origin + "/robots.txt")
        for _ in range(6):  # RFC 9309: follow at least five redirects
            host = host_of(current)
            refusal = self._private_refusal(host)
            if refusal:
                return RobotsPolicy(unreachable=refusal)
            hop = self._fetch_with_retries(current, host, self._base_interval(source), None)
            if hop.status in REDIRECT_STATUSES and hop.header("Location"):
                current = normalise_url(urljoin(current, hop.header("Location").strip()))
                if urlsplit(current).scheme not in ("http", "https"):
                    break
                continue
            policy = RobotsPolicy.from_response(hop.status, hop.body, hop.error)
            trouble = policy.disallow_all_reason or policy.unreachable
            if trouble:
                log.warning("%s: %s; not crawling this host in this run", origin, trouble)
            return policy
        return RobotsPolicy.allow_all()  # RFC 9309: too many redirects = unavailable = allow

    # -- fetching --------------------------------------------------------------------------
    def _refuse(self, url: str, error: str, *, said: bool = False) -> _Hop:
        """A page not asked for (`said`: the reason was logged once already, for its host)."""
        fetched_at = _now()
        if self.archive is not None:
            self.archive.record_failure(url, error, fetched_at)
        log.log(logging.DEBUG if said else logging.WARNING, "%s: %s", url, error)
        return _Hop(status=None, error=error, fetched_at=fetched_at)

    def _hop(self, url: str, source: Source) -> _Hop:
        if urlsplit(url).scheme not in ("http", "https"):
            return self._refuse(url, f"unsupported URL scheme: {url}")
        host = host_of(url)
        refusal = self._private_refusal(host)
        if refusal:
            return self._refuse(url, refusal)
        policy = self.robots_policy(url, source)
        denial = policy.denial(url, self.robots_agent)
        if denial:  # a host kept away was said once, when its robots.txt was read
            return self._refuse(url, denial, said=policy.keeps_host_away)
        with self._lock:
            given_up = self._given_up.get(host)
        if given_up:
            return self._refuse(url, given_up, said=True)
        interval = max(self._base_interval(source), policy.delay(self.robots_agent))
        hop = self._fetch_with_retries(url, host, interval, self.validators.get(url))
        self._count_failures(host, hop)
        return hop

    def _count_failures(self, host: str, hop: _Hop) -> None:
        """A host that has answered `host_failures` pages in a row with nothing usable (no answer,
        429, 5xx, each after its retries) is struggling or down: asking for its other pages, with
        retries, would only add to its load and keep the run waiting. The rest of its pages fail
        for now (their facts and links of last time hold), and it is said once."""
        failed = hop.status is None or hop.status == 429 or hop.status >= 500
        limit = self.settings.host_failures
        with self._lock:
            count = self._failing[host] = self._failing.get(host, 0) + 1 if failed else 0
            if not limit or count < limit or host in self._given_up:
                return
            last = f"HTTP {hop.status}" if hop.status is not None else hop.error
            self._given_up[host] = f"host {host} not asked again in this run: {count} pages in a row failed (last: {last})"
        log.warning("%s", self._given_up[host])

    def _fetch_with_retries(self, url: str, host: str, interval: float,
                            validators: tuple[str | None, str | None] | None) -> _Hop:
        headers = {}
        if validators:
            etag, last_modified = validators
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        s = self.settings
        attempt = 0
        while True:
            self._limiter.wait(host, interval)
            hop = self._attempt(url, headers)
            retry = hop.status in RETRY_STATUSES or (hop.status is None and hop.retryable)
            if not retry or attempt >= s.max_retries:
                self._remember_validators(url, hop)
                return hop
            delay = s.backoff_seconds * (2 ** attempt)
            retry_after = parse_retry_after(hop.header("Retry-After"))
            if retry_after is not None:
                delay = max(delay, retry_after)
            delay = min(delay, s.retry_after_cap)
            what = f"HTTP {hop.status}" if hop.status is not None else hop.error
            log.warning("%s: %s; retry %d/%d in %.2fs", url, what, attempt + 1, s.max_retries, delay)
            self._limiter.defer(host, delay)
            attempt += 1

    def _attempt(self, url: str, extra_headers: dict[str, str]) -> _Hop:
        """One request, body streamed up to the size cap, recorded in the archive."""
        s = self.settings
        session = self._session()
        fetched_at = _now()
        started = time.monotonic()
        sent = {**session.headers, **extra_headers}
        try:
            response = session.get(url, headers=extra_headers, stream=True, allow_redirects=False,
                                   timeout=(s.connect_timeout, s.read_timeout))
        except requests.RequestException as exc:
            return self._failed(url, exc, sent, fetched_at, started)
        try:
            sent = dict(response.request.headers)
            body, truncated = self._read_capped(response, started)
        except requests.RequestException as exc:
            return self._failed(url, exc, sent, fetched_at, started)
        finally:
            response.close()
        elapsed_ms = int((time.monotonic() - started) * 1000)
        headers = [(str(k), str(v)) for k, v in response.raw.headers.items()]
        if truncated:
            log.warning("%s: body cut at %d bytes", url, len(body))
        if self.archive is not None:
            self.archive.record(url, "GET", sent, response.status_code, response.reason or "",
                                headers, body, fetched_at, truncated=truncated)
        return _Hop(status=response.status_code, reason=response.reason or "", headers=headers,
                    body=body, fetched_at=fetched_at, elapsed_ms=elapsed_ms, truncated=truncated)

    def _read_capped(self, response: requests.Response, started: float) -> tuple[bytes, bool]:
        """Read at most max_bytes (max_pdf_bytes for a PDF) of the (decoded) body; give up on a body that trickles in for
        longer than connect + 4 x read timeout in total."""
        pdf = is_pdf(response.headers.get("Content-Type"), b"") or is_pdf_link(response.url)
        cap = self.settings.max_pdf_bytes if pdf else self.settings.max_bytes
        deadline = started + self.settings.connect_timeout + 4 * self.settings.read_timeout
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(_CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > cap:
                return b"".join(chunks)[:cap], True
            if time.monotonic() > deadline:
                log.warning("%s: body took too long, keeping the first %d bytes", response.url, size)
                return b"".join(chunks), True
        return b"".join(chunks), False

    def _failed(self, url: str, exc: Exception, sent: dict, fetched_at: datetime, started: float) -> _Hop:
        if isinstance(exc, requests.Timeout) or "timed out" in str(exc).lower():
            error = f"timeout: {_reason(exc)}"
            retryable = True
        elif isinstance(exc, requests.exceptions.SSLError):
            error = f"TLS error: {_reason(exc)}"
            retryable = False
        elif isinstance(exc, (requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
            error = f"connection error: {_reason(exc)}"
            retryable = True
        else:
            error = f"request error: {type(exc).__name__}: {_reason(exc)}"
            retryable = False
        if self.archive is not None:
            self.archive.record_failure(url, error, fetched_at, request_headers=sent)
        log.warning("%s: %s", url, error)
        return _Hop(status=None, error=error, fetched_at=fetched_at, retryable=retryable,
                    elapsed_ms=int((time.monotonic() - started) * 1000))


class ReplayClient(_BaseClient):
    """Answers from a ReplayArchive, following recorded redirects; never uses the network."""

    def __init__(self, archive: ReplayArchive):
        self.archive = archive
        # ETag / Last-Modified of the recorded 200 responses, like LiveClient.seen_validators, so
        # a replayed run leaves the same incremental state as the live run it replays. Replay
        # never sends validators: it answers with whatever the archive holds (a 304 only if one
        # was recorded).
        self.seen_validators: dict[str, tuple[str | None, str | None]] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> ReplayClient:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def close(self) -> None:
        pass

    def _hop(self, url: str, source: Source) -> _Hop:
        recorded = self.archive.lookup(url)
        if recorded is None:
            log.debug("%s: not archived", url)
            return _Hop(status=404, reason="Not Archived", error=NOT_ARCHIVED)
        if recorded.error is not None:
            return _Hop(status=None, error=recorded.error, fetched_at=recorded.fetched_at)
        hop = _Hop(status=recorded.status, reason=recorded.reason, headers=list(recorded.headers),
                   body=recorded.body, fetched_at=recorded.fetched_at, truncated=recorded.truncated)
        self._remember_validators(url, hop)
        return hop

    def robots_sitemaps(self, url: str, source: Source) -> list[str]:
        parts = urlsplit(normalise_url(url))
        recorded = self.archive.lookup(f"{parts.scheme}://{parts.netloc}/robots.txt")
        if recorded is None or recorded.error is not None:
            return []
        return list(RobotsPolicy.from_response(recorded.status, recorded.body).sitemaps)
