"""Which municipal websites a night watches with no entry in the sources file, and the
`[municipal_sites]` table that says how."""

from __future__ import annotations

from pathlib import Path

import pytest

from klimatkontrakt.core.config import SiteTemplate, load_site_template, load_sources
from klimatkontrakt.core.errors import ConfigError
from klimatkontrakt.core.model import Extraction, Membership, Signing, Source
from klimatkontrakt.fetch.reading import LinkRule
from klimatkontrakt.pipeline import discover
from klimatkontrakt.pipeline.collect import SourceResult
from klimatkontrakt.store.state import PreviousState

REPO = Path(__file__).resolve().parents[2]
ESKILSTUNA = Source("eskilstuna", "municipal", ("https://www.eskilstuna.se/nyheter",), municipality_code="0484")


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text('[[source]]\nid = "vc"\nextractor = "viablecities"\nstart_urls = ["https://viablecities.se/"]\n' + text,
                    encoding="utf-8")
    return path


def test_a_generated_source_watches_the_home_page_sitemaps_and_news_within_a_budget():
    source = discover.site_sources(["1489"], [], SiteTemplate())[0]
    assert (source.id, source.extractor, source.municipality_code, source.start_urls) == (
        "site-1489", "municipal", "1489", ("https://www.alingsas.se/",))
    assert source.discover_sitemaps and not source.start_relevant and source.max_pages == 30
    assert set(source.allowed_prefixes) == {"https://www.alingsas.se/", "https://alingsas.se/"}
    rule = LinkRule.of(source)
    assert rule.allowed("https://www.alingsas.se/nyheter/") and rule.allowed("https://www.alingsas.se/bo/klimat/")
    assert not rule.allowed("https://www.alingsas.se/nyheter/ny-lekplats/") and not rule.allowed("https://www.boras.se/klimat")


def test_a_hand_written_entry_overrides_the_generated_source():
    generated = discover.candidates([ESKILSTUNA], SiteTemplate())
    codes = {s.municipality_code for s in generated}
    assert "0484" not in codes and len(generated) == 289  # every other municipality has a known website


def test_the_first_round_has_all_sites_or_the_members_known_from_the_previous_run():
    generated = discover.candidates([ESKILSTUNA], SiteTemplate())
    previous = PreviousState(extractions={"d": Extraction(memberships=(Membership("2580", "klimatneutrala-stader-2030", "e"),))})
    assert discover.first_round([ESKILSTUNA], generated, SiteTemplate(), previous) == [
        ESKILSTUNA, next(s for s in generated if s.municipality_code == "2580")]
    assert len(discover.first_round([ESKILSTUNA], generated, SiteTemplate(all=True), PreviousState())) == 290


def test_members_found_tonight_are_crawled_the_same_night_once():
    generated = discover.candidates([ESKILSTUNA], SiteTemplate())
    found = Extraction(signings=(Signing("klimatkontrakt-2030", "e", municipality_code="1489"),),
                       memberships=(Membership("0484", "klimatneutrala-stader-2030", "e"),))
    results = [SourceResult(ESKILSTUNA, [], [found, None])]
    assert [s.id for s in discover.found_in(results, generated, [ESKILSTUNA])] == ["site-1489"]
    alingsas = next(s for s in generated if s.municipality_code == "1489")
    assert discover.found_in(results, generated, [ESKILSTUNA, alingsas]) == []


def test_the_sources_file_may_set_how_sites_are_watched(tmp_path):
    path = write(tmp_path, "\n[municipal_sites]\nall = true\nmax_pages = 12\nkeywords = [\"klimat\"]\n")
    assert load_site_template(path) == SiteTemplate(all=True, max_pages=12, keywords=("klimat",))
    assert len(load_sources(path)) == 1  # the table is an addition: the entries read as before
    assert load_site_template(write(tmp_path, "")) == SiteTemplate()
    assert load_site_template(REPO / "sources.toml") == SiteTemplate(all=True)  # the default file watches every site


@pytest.mark.parametrize("table, message", [
    ("colour = 'red'", "unknown key(s) colour"),
    ("max_pages = 0", "max_pages must be a positive integer"),
    ("all = 'yes'", "all must be true or false"),
    ("url_patterns = ['(']", "bad url_pattern '('"),
    ("keywords = 'klimat'", "keywords must be a list of strings"),
    ("delay_seconds = -1", "delay_seconds must be a non-negative number"),
])
def test_a_bad_municipal_sites_table_is_a_one_line_error(tmp_path, table, message):
    with pytest.raises(ConfigError) as err:
        load_site_template(write(tmp_path, f"\n[municipal_sites]\n{table}\n"))
    assert message in str(err.value) and "\n" not in str(err.value) and "[municipal_sites]" in str(err.value)


def test_the_readme_shows_the_defaults():
    import tomllib

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("[municipal_sites]\nall = false"):]
    table = tomllib.loads(block[:block.index("```")])["municipal_sites"]
    shown = {k: tuple(v) if isinstance(v, list) else v for k, v in table.items() if k != "delay_seconds"}
    assert SiteTemplate(**shown) == SiteTemplate()


def test_a_websites_file_replaces_a_moved_site(tmp_path):
    (tmp_path / "moved.csv").write_text("municipality_code,website\n1489,https://alingsas.example/\n", encoding="utf-8")
    template = load_site_template(write(tmp_path, '\n[municipal_sites]\nwebsites = "moved.csv"\n'))
    assert template.websites == (("1489", "https://alingsas.example/"),)
    assert discover.site_sources(["1489"], [], template)[0].start_urls == ("https://alingsas.example/",)
    (tmp_path / "bad.csv").write_text("municipality_code,website\n14,ftp://x/\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.csv line 2: needs a 4-digit municipality_code"):
        load_site_template(write(tmp_path, '\n[municipal_sites]\nwebsites = "bad.csv"\n'))
    with pytest.raises(ConfigError, match="websites file .* unreadable"):
        load_site_template(write(tmp_path, '\n[municipal_sites]\nwebsites = "none.csv"\n'))
