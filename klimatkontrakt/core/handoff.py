"""One lxml parse per page: the crawler parses a page, reads its tree without changing it (text
hash, keywords, links) and leaves the tree here; the extractor of the same page takes it instead
of parsing the same text again. The extractor stays a pure function of its text: it only takes
a tree left for exactly that text (as lxml.html.fromstring would build it), else it parses.

One tree per thread at a time: a page is crawled and extracted in the same thread, and taking
the tree forgets it (the extractor changes the tree it takes).
"""

from __future__ import annotations

import re
import threading

# what lxml.html.fromstring returns the whole document for (else it picks out fragments)
FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.IGNORECASE)

_slot = threading.local()


def leave(text: str, tree) -> None:
    """Offer `tree`, lxml.html.document_fromstring(text), to the next `take(text)` in this thread."""
    if FULL_DOCUMENT.match(text):
        _slot.text, _slot.tree = text, tree
    else:
        forget()


def take(text: str):
    """The tree left for exactly `text` in this thread (given once), else None."""
    tree = getattr(_slot, "tree", None)
    if tree is None:
        return None
    left = _slot.text
    forget()
    return tree if left is text or left == text else None


def forget() -> None:
    _slot.text = _slot.tree = None
