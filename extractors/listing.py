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
from klimatkontrakt.core.model import Extraction

_LISTING_PATH = re.compile(r"/(?:tag|etiketter|category|kategori|author|författare)/[^/]+(?:/page/\d+)?/?$|/page/\d+/?$")
_BODY_CLASS = re.compile(r"<body\b[^>]*\bclass\s*=\s*[\"'](?P<c>[^\"']*)[\"']", re.IGNORECASE)
_ARCHIVE_CLASS = re.compile(r"(?:^|\s)(?:archive|blog|paged|search-results)(?:\s|$)")
_SINGLE_CLASS = re.compile(r"(?:^|\s)(?:single|singular|single-\S+|page-template\S*)(?:\s|$)")
_ARTICLE_TAG = re.compile(r"<article\b", re.IGNORECASE)
_ARTICLE_BODY_CLASSES = ("entry-content", "article-body", "article__body", "article-text", "article-content",
                         "article__content", "sv-text-portlet-content")
_IN_CLASS_ATTRIBUTE = re.compile(r"class\s*=\s*[\"'][^\"'<>]*$", re.IGNORECASE)
_ITEMPROP_BODY = re.compile(r"itemprop\s*=\s*[\"']articleBody", re.IGNORECASE)


def is_listing(url: str, html: str) -> bool:
    if _LISTING_PATH.search(urlsplit(url).path):
        return True
    body = _BODY_CLASS.search(html)
    body_class = body.group("c") if body else ""
    if _ARCHIVE_CLASS.search(body_class):
        return True
    if _SINGLE_CLASS.search(body_class) or len(_ARTICLE_TAG.findall(html)) < 3:
        return False
    return not _has_article_body(html)  # one post has a body (its "Läs också" teasers are noise)


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _has_article_body(html: str) -> bool:
    """An element whose class names an article body, or itemprop="articleBody". Found with str.find
    and checked in its tag: a regex tried at every position of a 100 KB page costs ~2 ms."""
    for name in _ARTICLE_BODY_CLASSES:
        at = html.find(name)
        while at != -1:
            tag = html.rfind("<", 0, at)
            before = html[tag:at] if tag != -1 and at - tag < 2000 else ""
            end = at + len(name)
            if ">" not in before and _IN_CLASS_ATTRIBUTE.search(before) \
                    and not _word_char(html[at - 1:at]) and not _word_char(html[end:end + 1]):
                return True
            at = html.find(name, end)
    return "articleBody" in html and bool(_ITEMPROP_BODY.search(html))


def listing_extraction(page: Page) -> Extraction:
    """What a listing page may give: its title and language, nothing read from its teasers."""
    return Extraction(title=page.title, language=page.language)
