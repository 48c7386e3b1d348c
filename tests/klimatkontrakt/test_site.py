"""The catalogue page `site/index.html`, checked in a real headless Chromium (Debian's package,
driven by playwright): releases and links, the inline SVG timeline, and scraped text shown as text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from browser_helpers import ARGS, CHROMIUM, browser_or_skip, keep_screenshot
from pipeline_helpers import VC, page, run_row, sample_pages

from klimatkontrakt.assemble.tables import assemble
from klimatkontrakt.core import schema as sch
from klimatkontrakt.core.model import Extraction, Signing
from klimatkontrakt.release.publish import publish
from klimatkontrakt.release.site import build_site, timeline_svg
from klimatkontrakt.store.load import build_database

TITLE = "<script>window.__pwned = 'title'</script>Evil & <b>bold</b>"
EVIDENCE = "Malmö skrev under <img src=x onerror=\"window.__pwned='img'\"><script>window.__pwned='evidence'</script>"


@pytest.fixture
def site(tmp_path):
    extraction = Extraction(
        title=TITLE,
        signings=(Signing("klimatkontrakt-2030", EVIDENCE, municipality_code="1280", signed_on=date(2021, 12, 1)),
                  Signing("klimatkontrakt-2030", "Lund skrev under", municipality_code="1281", signed_on=date(2022, 5, 2))),
    )
    pages = [*sample_pages(), (VC, page("javascript:alert(1)"), None),
             (VC, page("https://viablecities.se/evil"), extraction)]
    db = tmp_path / "kk.duckdb"
    build_database(assemble(pages, "20261127T021500Z-abcd"), db, [run_row()])
    out = tmp_path / "out"
    publish(db, out, created=datetime(2026, 11, 27, tzinfo=UTC))
    publish(db, out, created=datetime(2026, 11, 28, tzinfo=UTC))
    return out / "site" / "index.html"


def test_page_escapes_scraped_text_without_a_browser(site):
    html = site.read_text(encoding="utf-8")
    assert "<script>" not in html and "onerror=\"" not in html
    assert "&lt;script&gt;window.__pwned" in html
    assert 'href="../packages/klimatkontrakt-2026.11.28.zip"' in html and 'href="../packages/2026.11.27/"' in html
    assert "<svg" in html and "javascript:" not in html


def test_svg_names_are_escaped():
    svg = timeline_svg({"<b>X</b>": {2021: 1}, "Lund": {2023: 2}})
    assert "<b>" not in svg and "&lt;b&gt;X&lt;/b&gt;" in svg and svg.count("<circle") == 2


def test_catalogue_page_in_headless_chromium(site, tmp_path):
    sync_api = browser_or_skip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": 1200, "height": 900})
            errors = []
            tab.on("pageerror", lambda exc: errors.append(str(exc)))
            tab.goto(site.as_uri())
            assert "Klimatkontrakt 2030" in tab.title()
            # releases, newest first, with relative download links
            versions = tab.locator("#releases-table tbody tr td:first-child").all_inner_texts()
            assert versions == ["2026.11.28", "2026.11.27"]
            hrefs = tab.locator("#releases-table a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
            assert "../packages/klimatkontrakt-2026.11.27.zip" in hrefs and "../packages/2026.11.28/" in hrefs
            zip_url = tab.locator("#latest a.zip").evaluate("e => e.href")
            assert zip_url.startswith("file://") and Path(zip_url.removeprefix("file://")).is_file()
            assert tab.locator("#row-counts tbody tr").count() == len(sch.published_table_names())
            # the chart: bars per year and one dot per municipality and year
            chart = tab.locator("svg#timeline-chart")
            assert chart.is_visible() and chart.bounding_box()["height"] > 100
            assert tab.locator("svg#timeline-chart circle").count() == 3  # Eskilstuna 2023, Malmö 2021, Lund 2022
            assert {"2021", "2022", "2023"} <= set(tab.locator("svg#timeline-chart text.year").all_text_contents())
            # scraped markup is shown as text and never run
            assert tab.evaluate("() => window.__pwned") is None
            assert tab.locator("#recent-signings script, #recent-signings img, #recent-signings b").count() == 0
            body = tab.locator("body").inner_text()
            assert "<script>window.__pwned = 'title'</script>Evil & <b>bold</b>" in body
            assert "<script>window.__pwned='evidence'</script>" in body
            assert tab.locator("#changes").inner_text().startswith("What changed in this release")
            assert not errors
            keep_screenshot(tab, tmp_path, "catalogue.png", "KK_SCREENSHOT")
        finally:
            browser.close()


@pytest.mark.parametrize("width", [360, 390, 768])
def test_the_page_does_not_scroll_sideways_on_a_phone(site, width):
    """Tables scroll inside their own box and the timeline scales: the page itself never scrolls
    sideways, however long the evidence or the URLs in it."""
    sync_api = browser_or_skip()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page(viewport={"width": width, "height": 800})
            tab.goto(site.as_uri())
            assert tab.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), \
                tab.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            chart = tab.locator("svg#timeline-chart").bounding_box()
            assert chart["x"] >= 0 and chart["x"] + chart["width"] <= width
            # a wide table keeps its columns and scrolls in its own box
            table = tab.locator("#row-counts")
            assert table.evaluate("t => getComputedStyle(t.closest('.scroll') || t).overflowX") in ("auto", "scroll")
        finally:
            browser.close()


def test_site_rebuilds_from_release_folders_alone(site):
    out = site.parent.parent
    site.unlink()
    assert build_site(out) == site and "2026.11.28" in site.read_text(encoding="utf-8")


def test_the_targets_section_lists_each_municipality_s_targets_with_their_source(site):
    html = site.read_text(encoding="utf-8")
    section = html[html.index('<section id="targets">'):]
    section = section[:section.index("</section>")]
    assert "<h2>Targets</h2>" in section
    # the sample's one target: Eskilstuna, climate positive by 2045, stated on both of its pages
    assert "<td>Eskilstuna</td><td>climate-positive</td><td>2045</td><td>geographic-area</td><td>adopted</td>" in section
    assert "Eskilstuna ska vara klimatpositivt 2045." in section and 'rel="nofollow noopener"' in section
