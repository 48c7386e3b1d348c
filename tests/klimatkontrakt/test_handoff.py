"""The crawler's tree of a page reaches the extractor of exactly that text, once, in the same thread."""

from __future__ import annotations

import threading

import lxml.etree
import lxml.html

from extractors.common import parse_html
from klimatkontrakt.core import handoff

PAGE = "<!DOCTYPE html><html lang='sv'><body><p>Umeå signerar Klimatkontrakt 2030.</p></body></html>"


def test_the_extractor_takes_the_tree_left_for_its_text_once():
    tree = lxml.html.document_fromstring(PAGE)
    handoff.leave(PAGE, tree)
    assert parse_html("".join(PAGE)) is tree  # an equal string, not only the same object
    again = parse_html(PAGE)
    assert again is not tree
    assert lxml.etree.tostring(again) == lxml.etree.tostring(tree)


def test_a_tree_left_for_another_text_or_a_fragment_is_not_taken():
    handoff.leave(PAGE, lxml.html.document_fromstring(PAGE))
    other = PAGE.replace("Umeå", "Borås")
    assert "Borås" in parse_html(other).text_content()
    assert handoff.take(PAGE) is None  # the mismatch forgot it
    fragment = "<p>Umeå signerar.</p>"
    handoff.leave(fragment, lxml.html.document_fromstring(fragment))
    assert handoff.take(fragment) is None  # lxml.html.fromstring would not return the document


def test_trees_stay_in_their_thread():
    handoff.leave(PAGE, lxml.html.document_fromstring(PAGE))
    seen = []
    worker = threading.Thread(target=lambda: seen.append(handoff.take(PAGE)))
    worker.start()
    worker.join()
    assert seen == [None]
    assert handoff.take(PAGE) is not None
