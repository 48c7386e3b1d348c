"""Listing pages (tag and category archives, paginated news lists): teasers of many posts.

Decision: a listing page yields its title and language but no facts and no publication date.
A teaser is the cut first paragraph of a post ("… [&hellip;]") that the crawler reaches through
the teaser's own link one hop later, where the full text, its own date, its city headings and
the end of its sentences are present. Read from the listing, the same sentence would be dated by
the listing (the newest teaser's date, or none), so "Yesterday"/"8 December" would get the wrong
year and a quote its wrong city: duplicates of the post's facts, only worse.

Recognised by the URL (`/tag/<x>/`, `/etiketter/<x>/`, `/category/`, `/kategori/`,
`/author/`, `…/page/<n>/`), by WordPress archive body classes, or by three or more `<article>`
teasers on a page that is neither a WordPress single post nor has an article body. Cheap string checks: no second HTML parse.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from extractors.common import Page
from klimatkontrakt.model import Extraction

_LISTING_PATH = re.compile(r"/(?:tag|etiketter|category|kategori|author|författare)/[^/]+(?:/page/\d+)?/?$|/page/\d+/?$")
_BODY_CLASS = re.compile(r"<body\b[^>]*\bclass\s*=\s*[\"'](?P<c>[^\"']*)[\"']", re.IGNORECASE)
_ARCHIVE_CLASS = re.compile(r"(?:^|\s)(?:archive|blog|paged|search-results)(?:\s|$)")
_SINGLE_CLASS = re.compile(r"(?:^|\s)(?:single|singular|single-\S+|page-template\S*)(?:\s|$)")
_ARTICLE_TAG = re.compile(r"<article\b", re.IGNORECASE)
_ARTICLE_BODY = re.compile(r"class\s*=\s*[\"'][^\"']*\b(?:entry-content|article-body|article__body|c-article__body|"
                           r"article-text|article-content|article__content|sv-text-portlet-content)\b|itemprop\s*=\s*[\"']articleBody",
                           re.IGNORECASE)


def is_listing(url: str, html: str) -> bool:
    if _LISTING_PATH.search(urlsplit(url).path):
        return True
    body = _BODY_CLASS.search(html)
    body_class = body.group("c") if body else ""
    if _ARCHIVE_CLASS.search(body_class):
        return True
    if _SINGLE_CLASS.search(body_class) or _ARTICLE_BODY.search(html):
        return False  # one post (its "Läs också" teasers are noise, not the page)
    return len(_ARTICLE_TAG.findall(html)) >= 3


def listing_extraction(page: Page) -> Extraction:
    """What a listing page may give: its title and language, nothing read from its teasers."""
    return Extraction(title=page.title, language=page.language)
