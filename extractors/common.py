"""Shared page parsing for the extractors (pure functions over an HTML string).

The page model (`Page`, `Block`) and its main text: ordered blocks (headings, paragraphs, list
items, captions) with navigation, menus, cookie banners, share widgets and template leftovers
dropped; and sentence splitting. `extractors/page.py` puts a page together (`parse_page`).

Built on lxml.html only: about 1-3 ms per page (8 ms on 60-150 KB pages). Neither trafilatura
(main text) nor htmldate (dates) is used, not even as a fallback: measured in bench/fallback.py,
see `_h1_column` and `page.published_date`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import lxml.html
from lxml import etree

from klimatkontrakt.core import handoff

BLOCK_TAGS = frozenset({
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "td", "th",
    "dt", "dd", "section", "article", "ul", "ol", "dl", "table", "tr", "tbody", "thead", "figure",
    "header", "main", "caption", "pre", "address", "hr", "form", "center", "details", "summary",
})
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "nav", "aside", "form", "button",
             "iframe", "select", "input", "textarea", "label", "object", "embed", "canvas", "map")
NOISE_ATTR = re.compile(
    r"(?:^|[\s_-])(?:cookie\w*|consent|gdpr|breadcrumbs?|share|sharing|social|skip\w*|menu|navbar|"
    r"navigation|nav|search\w*|sidebar|related|newsletter|site-header|site-footer|sv-cookie\w*|"
    r"lang(?:uage)?-?(?:select|switch)\w*|translate|toolbar|readspeaker|rs_skip|banner|"
    r"footer|masthead|topbar|tipsa|feedback|pagination|pager|more-news|fler-nyheter|"
    r"sr-only|screen-reader-text|logo|"
    # newsroom and magazine furniture: image galleries, contact people, "Om <organisation>"
    # blurbs, subscribe boxes, lists of other releases or articles, tags and bylines
    r"gallery|carousel|slideshow|images|(?:press)?bilder|bildgalleri\w*|media-list|contacts?|contact-(?:people|persons?)|boilerplate|"
    r"about(?:-\w+)?|subscribe\w*|prenumer\w*|follow-\w+|latest\w*|read-more\w*|more-articles|"
    r"teasers?|tags|article-tags|byline|signature)(?:$|[\s_-])|(?:^|\s)(?:hidden|visually-hidden|d-none)(?:$|\s)",
    re.IGNORECASE,
)
NOISE_TEXT = re.compile(
    r"^(?:Denna (?:artikel|nyhet|sida) är äldre än|Den här (?:artikeln|nyheten) är äldre än|Dela sidan|Dela\s*:|"
    r"Dela på|Dela artikeln|Share(?: this)?\b|Skriv ut|Print\b|Lyssna\b|Läs upp|Tipsa|Till innehåll|Hoppa till|"
    r"Gå direkt till|Skip to|Meny\b|Menu\b|Stäng\b|Sök\b|Search\b|Logga in|Report this content|"
    r"Vi använder (?:kakor|cookies)|Den här webbplatsen använder (?:kakor|cookies)|Webbplatsen använder|"
    r"This (?:site|website) uses cookies|We use cookies|Acceptera|Godkänn|Inställningar för kakor|"
    r"Länk till annan webbplats|Other languages|Google Translate|Viable Cities Logo|Logo\b|Logotyp|"
    r"\$\w+$|Publicerad\s*:?|Publicerat\s*:?|Senast (?:uppdaterad|ändrad)|Sidan (?:uppdaterad|publicerades)|"
    r"Uppdaterad\s*:|Last updated|Taggar för sidan|Relaterat|Relaterade|Kontakt$|Fler nyheter|"
    r"Gillade du|Hjälpte informationen|Var sidan till hjälp|Hittade du det du sökte|Föregående|Nästa\b|Tillbaka\b|"
    r"Prenumerera\b|Subscribe\b|Ladda ner (?:alla )?bild|Download (?:all )?images|Läs också$|Läs även$)",
    re.IGNORECASE,
)
# a heading or label that opens a section of page furniture rather than article text: lists of
# other news, contact people, the "Om <organisation>" blurb of a press release (it restates
# standing, often stale claims: "X är med sedan 2019"), subscribe boxes, image and file lists
NOISE_HEADING = re.compile(
    r"^(?:Relaterat|Relaterade?\b.{0,40}|Related\b.{0,40}|Läs (?:också|även|mer)|Se även|Fler (?:nyheter|artiklar|"
    r"pressmeddelanden)\b.{0,50}|Senaste (?:nytt|nyheterna|nyheter|pressmeddelanden|pressmeddelandena)\b.{0,50}|"
    r"Mer från\b.{0,40}|Latest (?:news|releases|press releases)\b.{0,40}|More (?:news|releases)\b.{0,40}|"
    r"Kontakt(?:person(?:er)?|uppgifter)?|Presskontakt(?:er)?|Mediekontakt(?:er)?|(?:Media|Press) contacts?|"
    r"För (?:mer|ytterligare) information(?:,? kontakta)?|For (?:more|further) information(?:,? (?:please )?contact)?|"
    r"Om (?:\S+ ){0,3}(?:kommun|[Ss]tad|Region \S+|Viable Cities)|About (?:the )?(?:\S+ ){0,3}(?:municipality|City|Viable Cities)|"
    r"About the (?:City|Municipality) of \S+(?: \S+)?|"
    r"Om (?:Energimyndigheten|Formas|Vinnova|Tillväxtverket|Trafikverket|Naturvårdsverket|Boverket)|"
    r"Prenumerera\b.{0,60}|Subscribe\b.{0,60}|Bilder|Images|Dokument(?: (?:&|och) länkar)?|Bifogade filer|Ämnen|Taggar)"
    r"\s*:?$",
    re.IGNORECASE,
)
# (?<!\s): a match starts where a run of spaces starts, not at each of its spaces (quadratic on a
# page's whole text_content, its indentation runs included)
_LINK_SUFFIX = re.compile(
    r"(?<!\s)\s*(?:,\s*[\d,.]+\s*[kKmM]?B\s*,?)?\s*,?\s*(?:\(?öppnas i (?:ett )?nytt fönster\.?\)?|"
    r"Länk till annan webbplats,? öppnas i nytt fönster\.?|opens in a new window\.?)",
    re.IGNORECASE,
)
_TEMPLATE = re.compile(r"\$(?:left|right|\{?[a-zA-Z_]+\}?)\b")


def heading_level(tag) -> int:
    """1-6 for h1-h6, else 0 (also for lxml's comment and processing-instruction tags)."""
    return int(tag[1]) if isinstance(tag, str) and len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" else 0


@dataclass(frozen=True)
class Block:
    """One block of main text in document order."""

    index: int
    tag: str  # h1..h6, p, li, blockquote, figcaption, td, div, ...
    text: str  # whitespace-normalised; "\n" kept where the page had <br>
    caption: bool = False  # inside figcaption/figure or a "Foto:" line
    list_no: int | None = None  # for a list item: which <ul>/<ol> of the page it belongs to
    links: tuple[str, ...] = ()  # hrefs of its links, as written
    cell: tuple[int, int, int] | None = None  # for a table cell: (table number, row, column), from 1
    page_no: int | None = None  # in a PDF's text: the page (from 1) the block starts on
    # set once from the tag: the rules ask every block of a page, often
    level: int = field(init=False, repr=False, compare=False)
    is_heading: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", heading_level(self.tag))
        object.__setattr__(self, "is_heading", self.level > 0)


@dataclass
class Page:
    url: str
    title: str | None
    published_on: date | None
    language: str | None
    blocks: list[Block] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


# ---------------------------------------------------------------- parsing

def parse_html(html: str):
    """lxml root for an HTML string (tolerates an XML encoding declaration and empty input).

    The crawler's tree of the same text is taken when it left one (klimatkontrakt.core.handoff): the
    same tree lxml.html.fromstring would build, without parsing the page a second time."""
    if not html or not html.strip():
        return lxml.html.fromstring("<html><body></body></html>")
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    root = handoff.take(html)
    if root is not None:
        return root
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        root = lxml.html.fromstring(html.encode("utf-8", "replace"))
    if root.tag != "html":
        # fragments: wrap so that find() paths still work
        wrapper = lxml.html.fromstring("<html><body></body></html>")
        wrapper.find("body").append(root)
        root = wrapper
    return root


def clean_text(text: str) -> str:
    text = text.replace("\xa0", " ").replace("\u200b", "").replace("\xad", "")
    if _may_have_link_suffix(text):
        text = _LINK_SUFFIX.sub("", text)
    if "$" in text:
        text = _TEMPLATE.sub("", text)
    lines = [(_SPACES.sub(" ", ln) if _has_spacing(ln) else ln).strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


_SPACES = re.compile(r"[ \t\r\f\v]+")


def _has_spacing(line: str) -> bool:
    """Whether _SPACES.sub(" ", line) would change the line."""
    return "  " in line or "\t" in line or "\r" in line or "\f" in line or "\v" in line


def _may_have_link_suffix(text: str) -> bool:
    """False when _LINK_SUFFIX cannot match: each of its matches holds "öppna…" or "open…" (no
    letter that IGNORECASE folds differently from str.lower, such as ı or ſ)."""
    low = text.lower()
    return "öppna" in low or "open" in low


def _attr_noise(el) -> bool:
    if el.get("aria-hidden") == "true" or el.get("hidden") is not None:
        return True
    if el.get("role") in ("navigation", "banner", "search", "contentinfo", "complementary", "dialog"):
        return True
    return _noise_attrs(el.get("class"), el.get("id"), el.get("role"))


@lru_cache(maxsize=16384)  # a site uses the same class names on every page
def _noise_attrs(class_: str | None, id_: str | None, role: str | None) -> bool:
    attrs = " ".join(filter(None, (class_, id_, role)))
    return bool(attrs and NOISE_ATTR.search(attrs))


def _has_h1(el) -> bool:
    return el.tag == "h1" or next(el.iter("h1"), None) is not None


def content_root(root, selectors: tuple[str, ...] = ()):
    """The element holding the article: first match of `selectors`, else main/article, else the
    h1's nearest ancestor holding most of the paragraph text (an unknown CMS), else body."""
    for xp in (*selectors, "//main", "//*[@role='main']", "//article"):
        try:
            found = root.xpath(xp)
        except etree.XPathError:
            continue
        if found:
            return found[0]
    body = root.find("body")
    column = _h1_column(root)
    if column is not None:
        return column
    return body if body is not None else root


def _h1_column(root):
    """Generic fallback: climb from the first h1 to the first ancestor holding more than half of the
    page's <p> text, so side columns of links and teasers stay out. trafilatura was measured as
    this fallback (bench/fallback.py): on the unknown-layout fixtures the fact rules reach
    precision/recall 0.933/0.933 on these blocks and 0.923/0.800 on trafilatura's text (it drops
    short headings and attribution lines), at about 2x the cost of our whole parse on 60-150 KB
    pages; so trafilatura is not used."""
    h1 = next(root.iter("h1"), None)
    if h1 is None:
        return None
    total = sum(len(p.text_content()) for p in root.iter("p"))
    el = h1.getparent()
    while total and el is not None and el.tag not in ("body", "html"):
        if sum(len(p.text_content()) for p in el.iter("p")) > total / 2:
            return el
        el = el.getparent()
    return None


def strip_noise(el) -> None:
    """Remove navigation, scripts, cookie banners, share widgets and similar in place."""
    for bad in [d for d in el.iter(*DROP_TAGS) if d is not el]:  # one pass, not a scan per tag
        if bad.getparent() is not None and not _has_h1(bad):
            bad.drop_tree()
    for bad in list(el.iter("header", "footer")):
        if bad.getparent() is not None and not _has_h1(bad) and next(bad.iterancestors("article"), None) is None:
            bad.drop_tree()
    total = len(el.text_content())
    for bad in list(el.iter()):
        if not isinstance(bad.tag, str) or bad is el or bad.getparent() is None:
            continue
        if _attr_noise(bad) and not _has_h1(bad):
            # a wrapper such as "page-with-sidebar" holding most of the text is not noise
            if total > 400 and len(bad.text_content()) > 0.5 * total:
                continue
            bad.drop_tree()
    for c in list(el.iter(etree.Comment)):
        if c.getparent() is not None:
            c.drop_tree()
    drop_noise_sections(el)


def drop_noise_sections(el) -> None:
    """Drop sections opened by a NOISE_HEADING label: a heading, or a short paragraph holding only
    the label (often bold). The section is the largest ancestor that starts with the label and
    holds under half of the text (a portlet, an aside), else the label and its following siblings
    up to the next heading (of the same or a higher level, for a heading)."""
    total = len(el.text_content())
    for label_el in list(el.iter("h2", "h3", "h4", "h5", "h6", "p", "div", "dt")):
        if not _in_tree(label_el, el) or label_el is el:
            continue
        is_heading = heading_level(label_el.tag) > 0
        if not is_heading and (any(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in label_el)
                               or len(label_el.text_content()) > 80):
            continue
        label = " ".join(label_el.text_content().split())
        if not label or not NOISE_HEADING.match(label):
            continue
        section = label_el
        parent = label_el.getparent()
        while parent is not None and parent is not el and \
                " ".join(parent.text_content().split()).startswith(label) and len(parent.text_content()) < 0.5 * total:
            section, parent = parent, parent.getparent()
        if section is not label_el:
            section.drop_tree()
            continue
        level = heading_level(label_el.tag) or 6
        sibling = label_el.getnext()
        while sibling is not None:
            if 0 < heading_level(sibling.tag) <= level:
                break
            following = sibling.getnext()
            sibling.drop_tree()
            sibling = following
        label_el.drop_tree()


def _in_tree(node, root) -> bool:
    while node is not None:
        if node is root:
            return True
        node = node.getparent()
    return False


def iter_blocks(el) -> list[tuple[str, str, bool, int | None, tuple[str, ...], tuple[int, int, int] | None]]:
    """(tag, raw text, in_caption, list number, link targets, table cell) for every text run split
    at block boundaries and <br>. Items of one <ul>/<ol> share a list number (lists are numbered
    from 1 in document order); the links are the hrefs of the run's <a> elements; a <td>/<th> run
    knows its cell: (table number, row, column), each from 1."""
    out: list = []
    buf: list[str] = []
    hrefs: list[str] = []
    lists = [0]
    tables: list[list[int]] = []  # open tables: [number, row, column]
    table_count = [0]

    def flush(tag: str, caption: bool, list_no: int | None) -> None:
        text = "".join(buf)
        buf.clear()
        if text.strip():
            cell = tuple(tables[-1]) if tag in ("td", "th") and tables else None
            out.append((tag, text, caption, list_no if tag == "li" else None, tuple(hrefs), cell))
        hrefs.clear()

    def add(text: str | None) -> None:
        # a line break in the HTML source is a space on screen; only <br> breaks a line
        if text:
            buf.append(text.replace("\r", " ").replace("\n", " ") if "\n" in text or "\r" in text else text)

    def walk(node, tag: str, caption: bool, list_no: int | None) -> None:
        add(node.text)
        for child in node:
            if not isinstance(child.tag, str):
                add(child.tail)
                continue
            ctag = child.tag.lower()
            if ctag == "br":
                buf.append("\n")
            elif ctag in BLOCK_TAGS:
                flush(tag, caption, list_no)
                inner = list_no
                if ctag in ("ul", "ol"):
                    lists[0] += 1
                    inner = lists[0]
                elif ctag == "table":
                    table_count[0] += 1
                    tables.append([table_count[0], 0, 0])
                elif ctag == "tr" and tables:
                    tables[-1][1] += 1
                    tables[-1][2] = 0
                elif ctag in ("td", "th") and tables:
                    tables[-1][2] += 1
                walk(child, ctag, caption or ctag in ("figcaption",), inner)
                flush(ctag, caption or ctag in ("figcaption",), inner)
                if ctag == "table" and tables:
                    tables.pop()
            elif ctag != "img":
                if ctag == "a" and child.get("href"):
                    hrefs.append(child.get("href"))
                walk(child, tag, caption, list_no)
            add(child.tail)

    root_tag = el.tag if isinstance(el.tag, str) else "div"
    walk(el, root_tag, False, None)
    flush(root_tag, False, None)
    return out


_CAPTION_LINE = re.compile(r"^(?:Foto|Bild|Photo|Fotograf|Bildtext|Illustration)\s*:|\b(?:Foto|Photo)\s*:\s*\S+", re.IGNORECASE)


def page_blocks(el) -> list[Block]:
    blocks: list[Block] = []
    seen: set[str] = set()
    for tag, raw, caption, list_no, links, cell in iter_blocks(el):
        text = clean_text(raw)
        if not text:
            continue
        if NOISE_TEXT.match(text) and len(text) < 200:
            continue
        if len(text) > 60 and text in seen and not heading_level(tag):
            continue  # a repeated paragraph
        seen.add(text)
        is_caption = caption or bool(_CAPTION_LINE.search(text) and len(text) < 300)
        blocks.append(Block(len(blocks), tag, text, is_caption, list_no, links, cell))
    return blocks


# ---------------------------------------------------------------- sentences

_ABBREV = re.compile(
    r"(?:\b(?:kl|t\.ex|bl\.a|ca|nr|dvs|m\.fl|m\.m|s\.k|fr\.o\.m|t\.o\.m|jfr|resp|ang|tel|St|Dr|Mr|Mrs|Ms|"
    r"e\.g|i\.e|etc|vs|p\.g\.a|o\.s\.v|inkl|exkl|enl|tf|f\.d|prof|doc|jan|feb|aug|sept?|okt|nov|dec)|\b[A-ZÅÄÖ])\.$"
)
_ABBREV_LONGEST = 8  # no _ABBREV match is longer: searching the end of a sentence is enough
_ORDINAL = re.compile(r"\b\d{1,2}\.$")  # "den 8. december"
_LOWER_START = re.compile(r"\s*[a-zåäö]")
_SPLIT = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[\"“”–—\-]?\s*[A-ZÅÄÖÉ0-9\"“”–—])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a block; lines from <br> are joined when the next starts in lower case or with
    a comma ("...\n, säger Namn")."""
    if not text:
        return []
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if lines and (re.match(r"^[,;:a-zåäö]", line) or re.search(r"[,:]$", lines[-1]) and not line[:1].isupper()):
            lines[-1] = f"{lines[-1]} {line}".replace(" ,", ",")
        else:
            lines.append(line)
    out: list[str] = []
    for line in lines:
        start = 0
        for m in _SPLIT.finditer(line):
            head = line[start : m.start()].rstrip()
            end = max(0, len(head) - _ABBREV_LONGEST)  # \b still sees the character before `end`
            if _ABBREV.search(head, end) or _ORDINAL.search(head, end) and _LOWER_START.match(line, m.end()):
                continue
            if head:
                out.append(head.strip())
            start = m.end()
        tail = line[start:].strip()
        if tail:
            out.append(tail)
    return [normalise_ws(s) for s in out if s]


def normalise_ws(text: str) -> str:
    return " ".join(text.split())  # str.split and re's \s agree on what whitespace is
