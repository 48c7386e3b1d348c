"""Coverage: for each of the 290 municipalities, what the run found and how hard it looked.

A municipality's status is the strongest of: `signatory` (a signing names it), `member` (a
membership, no signing yet), `mentions` (a page of its own site mentions the initiative, or a
fact of another kind names it), `no-mention-found` (its site answered and was searched within the
budget) and `not-reached` (no website known, robots.txt forbids it, every request failed, or no
source crawled it this run). Its own site is the reference website's host (`www.` aside) and its
subdomains, so the counts hold for hand-written and generated sources alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping

import pandas as pd

from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.model import DISALLOWED, NOT_ARCHIVED
from klimatkontrakt.core.reference import site_host


def _own_site(hosts: dict[str, str], url: str) -> str | None:
    """The municipality whose site (or a subdomain of it) serves `url`."""
    host = site_host(url)
    while host:
        if host in hosts:
            return hosts[host]
        host = host.partition(".")[2] if host.count(".") > 1 else None
    return None


def coverage_rows(tables: Mapping[str, pd.DataFrame]) -> list[dict]:
    hosts = {h: m.code for m in reference.municipalities() if (h := site_host(m.website))}
    first_signed: dict[str, int] = {}
    for code, day in zip(tables["signings"]["municipality_code"], tables["signings"]["signed_on"]):
        if pd.notna(code) and pd.notna(day):
            first_signed[code] = min(first_signed.get(code, day.year), day.year)
    signings = Counter(c for c in tables["signings"]["municipality_code"] if pd.notna(c))
    members = Counter(c for c in tables["memberships"]["municipality_code"] if pd.notna(c))
    facts = Counter(c for t in sch.FACT_TABLES if "municipality_code" in tables[t]
                    for c in tables[t]["municipality_code"] if pd.notna(c))
    mentioning = Counter(code for url in tables["documents"]["final_url"] if (code := _own_site(hosts, url)))
    searched, answers = Counter(), defaultdict(list)
    for url, status, from_cache, error in zip(tables["fetches"]["final_url"].fillna(tables["fetches"]["url"]),
                                               tables["fetches"]["status"], tables["fetches"]["from_cache"],
                                               tables["fetches"]["error"]):
        code = _own_site(hosts, url)
        if code is None:
            continue
        failed = pd.notna(error) and bool(error)
        if not failed and (pd.notna(from_cache) and bool(from_cache) or pd.notna(status) and 200 <= status < 400):
            searched[code] += 1
        else:
            answers[code].append(error if failed else f"HTTP {status}")
    rows = []
    for m in reference.municipalities():
        code = m.code
        status = ("signatory" if signings[code] else "member" if members[code]
                  else "mentions" if mentioning[code] or facts[code]
                  else "no-mention-found" if searched[code] else "not-reached")
        rows.append({
            "municipality_code": code,
            "status": status,
            "first_signed_year": first_signed.get(code),
            "signings": signings[code],
            "memberships": members[code],
            "facts": facts[code],
            "website": m.website,
            "pages_searched": searched[code],
            "pages_mentioning": mentioning[code],
            "reason": _why_not_reached(m.website, answers[code]) if status == "not-reached" else None,
        })
    return rows


def _why_not_reached(website: str | None, failures: list[str]) -> str:
    if not website:
        return "no website known"
    if not failures:
        return "not crawled in this run"
    if all(f == NOT_ARCHIVED for f in failures):
        return "not in the replayed archive"
    if all(f.startswith(DISALLOWED) for f in failures):
        return "robots.txt disallows the site"
    first = next(f for f in failures if f != NOT_ARCHIVED)
    return f"every request failed ({len(failures)}), e.g. {first}"[:200]
