"""Plain text as a page: a contract PDF's text, or a passage, in the blocks the fact rules read.

PDF text arrives as lines. Blocks are separated by blank lines; within a block, a line that does
not end a sentence runs on into the next (a soft wrap; a word hyphenated at the line end is
joined). Numbered headings ("3.1 Kommunens klimatmål", "3. Kommunens åtaganden") and short lines
standing alone without a full stop ("Klimatmål", "Vad har Umeå för klimatmål?") become headings;
bullets and numbered items ("•", "–", "1.") become list items; lines of cells ("Indikator |
Startvärde | Målvärde 2030") a table (the first line its header); "Label: value" lines stay lines;
footnotes ("3 Avser utsläpp ...")
become blocks of their own (tag `footnote`); running headers and footers ("Klimatkontrakt 2030 –
Lunds kommun    VERSION 2024    6", a page number alone, a line of underscores, a line that heads
or ends most pages) and the entries of a table of contents ("3.1. Kommunens klimatmål 4" under
"Innehåll") are dropped. Pages are separated by form feeds; each block knows its page.
"""

from __future__ import annotations

import re
from datetime import date

from extractors.common import Block, Page, normalise_ws

_RX_NUMBERED_HEADING = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<t>[A-ZÅÄÖ][^.!]{1,90})$")
# "Utsläpp år 2030: högst 60 kiloton", "Mål: −65 % till 2030", "2025: −35 %"
_RX_LABEL = re.compile(r"^(?:[A-ZÅÄÖ][^:.]{0,40}|(?:19|20)\d\d):\s")
_RX_LABEL_LINE = re.compile(r"^[A-ZÅÄÖ][^:.]{0,40}:$")  # "Målvärde 2025:" over its value, a line of its own
_RX_HEADING_LINE = re.compile(r"^(?=.{2,50}$)(?![^\n]*\b(?:ska|skall|är|har|blir|får|is|are|will|shall|has|och|and|som|att)\b)[A-ZÅÄÖ0-9§][^.,;:!?]*[\wåäö)]$")
_RX_VERB = re.compile(r"\b(?:ska|skall|är|har|blir|får|is|are|will|shall|has)\b", re.IGNORECASE)
_RX_ITEM = re.compile(r"^(?:[•·▪◦*–—-]|\d{1,2}[.)]|[a-h]\))\s+")
_RX_STAR_MARK = re.compile(r"[\w%]\*(?=\s|$)", re.MULTILINE)  # "70 procent*": a mark glued to a word
_RX_STAR_NOTE = re.compile(r"^\*\)?\s+[A-ZÅÄÖ]")
_RX_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-ZÅÄÖ].*[.)]$")
_RX_PAGE_NUMBER = re.compile(r"^(?:\d{1,3}|[-–]\s*\d{1,3}\s*[-–]|(?:sida|sid\.|page)\s*\d{1,3}(?:\s*(?:av|of)\s*\d{1,3})?)$",
                             re.IGNORECASE)
# a running header or footer: the contract's name, version or the municipality spaced out on a
# line with a page number at one end ("18\tKlimatkontrakt 2030", "Klimatkontrakt 2030 ... 17")
_RX_RUNNING = re.compile(r"^(?:\d{1,3}(?:\t|\s{2,})\S.{0,90}|\S.{0,90}(?:\t|\s{2,})\d{1,3})$")
# a footnote mark after a full stop ("jämfört med 1990 års nivå.1 Kommunkoncernens ..."): the mark
# goes, so the sentence ends there
_RX_MARK_AFTER_STOP = re.compile(r"(?<=[a-zåäö%)])\.\d{1,2}(?=[ \t]+[A-ZÅÄÖ]|\n)")
_RX_RULE = re.compile(r"^[_\-–—=.\s]{4,}$")
_SENTENCE_END = (".", "!", "?", ":", ";", "”", '"')
_ENGLISH = re.compile(r"\b(?:the|and|is|are|of|to|by|with|will|for)\b")
_SWEDISH = re.compile(r"\b(?:och|att|är|ska|med|för|av|som|till|den|det)\b")


def page_from_text(url: str, text: str, published_on: date | None = None, title: str | None = None) -> Page:
    """The text's blocks as a Page (language guessed from its commonest small words)."""
    blocks: list[Block] = []
    list_no = table_no = 0
    pages = _RX_MARK_AFTER_STOP.sub(".", text.replace("\r\n", "\n")).split("\f")
    running = _running_lines(pages)
    starred = bool(_RX_STAR_MARK.search(text))
    chunks = [(page_no, chunk) for page_no, page_text in enumerate(pages, 1)
              for chunk in re.split(r"\n\s*\n", _without_contents(page_text))]
    for page_no, chunk in chunks:
        lines = [line.strip() for line in chunk.split("\n") if line.strip()]
        lines = [line for line in lines if not _furniture(line) and _masked(line) not in running]
        rows = [line for line in lines if " | " in line] if len(lines) >= 2 and sum(" | " in line for line in lines) >= 2 else []
        first = lines.index(rows[0]) if rows else len(lines)
        for part in (lines[:first], rows, [line for line in lines[first:] if " | " not in line]):
            if part is rows:
                table_no += 1 if rows else 0  # a table: each "a | b | c" line a row, after the lines above it
                for r, line in enumerate(rows, 1):
                    for c, cell in enumerate(line.split(" | "), 1):
                        blocks.append(Block(len(blocks), "th" if r == 1 else "td", normalise_ws(cell), cell=(table_no, r, c),
                                            page_no=page_no))
            elif starred and len(part) == 1 and _RX_STAR_NOTE.match(part[0]):
                # "* Jämfört med 1990." under "... minskat med 70 procent*": a footnote, no list
                blocks.append(Block(len(blocks), "footnote", normalise_ws(part[0]), page_no=page_no))
            else:
                list_no = _append_lines(blocks, _lines(part), list_no, page_no)
    if title is None:
        title = next((b.text for b in blocks if b.is_heading), None)
    words = " ".join(b.text for b in blocks[:40]).lower()
    language = "en" if len(_ENGLISH.findall(words)) > len(_SWEDISH.findall(words)) else "sv"
    return Page(url, title, published_on, language, blocks)


def _append_lines(blocks: list[Block], lines: list[tuple[str, str]], list_no: int, page_no: int) -> int:
    """The (tag, text) lines as blocks, a list numbered after the last; the last list's number."""
    in_list = False
    for tag, line in lines:
        if tag == "li" and not in_list:
            list_no += 1
        in_list = tag == "li"
        blocks.append(Block(len(blocks), tag, normalise_ws(line), list_no=list_no if tag == "li" else None, page_no=page_no))
    return list_no


def _masked(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()))


def _running_lines(pages: list[str]) -> frozenset[str]:
    """Lines (digits masked) among the first or last two of at least half the pages, and of two or
    more: a running header or footer ("Klimatkontrakt 2030 - Eskilstuna kommun VERSION 2023")."""
    if len(pages) < 3:
        return frozenset()
    seen: dict[str, int] = {}
    for page in pages:
        lines = [line for line in page.split("\n") if line.strip()]
        for line in {_masked(x) for x in lines[:2] + lines[-2:]}:
            seen[line] = seen.get(line, 0) + 1
    return frozenset(line for line, n in seen.items() if n >= max(2, len(pages) // 2) and re.search(r"[A-Za-zÅÄÖåäö]{3}", line))


_RX_CONTENTS = re.compile(r"^\s*(?:Innehåll|Innehållsförteckning|Contents|Table of contents)\s*$", re.IGNORECASE | re.MULTILINE)
_RX_CONTENTS_ENTRY = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?\S.{0,120}?(?:\s|\.{2,}|…)\s*\d{1,3}\s*$")


def _without_contents(page: str) -> str:
    """A page without the entries of its table of contents (numbered titles ending in a page number)."""
    heading = _RX_CONTENTS.search(page)
    if heading is None:
        return page
    rest = [line for line in page[heading.end():].split("\n") if not _RX_CONTENTS_ENTRY.match(line)]
    return page[:heading.start()] + "\n".join(rest)


def _furniture(line: str) -> bool:
    return bool(_RX_PAGE_NUMBER.match(line) or _RX_RULE.match(line)
                or (_RX_RUNNING.match(line) and not line.endswith(_SENTENCE_END)))


def _lines(lines: list[str]):
    """(tag, text) of each logical line of a block: soft-wrapped lines joined."""
    out: list[list[str]] = []  # [tag, text]
    for line in lines:
        numbered = _RX_NUMBERED_HEADING.match(line)
        if numbered and len(numbered.group("t")) <= 60 and not _RX_VERB.search(numbered.group("t")):
            out.append(["h" + str(min(2 + numbered.group("n").count("."), 6)), line])
            continue
        if _RX_FOOTNOTE.match(line) and not _RX_ITEM.match(line):
            out.append(["footnote", line])
            continue
        if _RX_ITEM.match(line):
            out.append(["li", _RX_ITEM.sub("", line, count=1)])
            continue
        if len(out) == 1 and out[0][0] == "p" and _RX_HEADING_LINE.match(out[0][1]) and line[:1].isupper() and len(lines) > 1:
            out.append(["p", line])  # "Mål 2030" over "Minskningen per invånare ska ...": a heading, not a wrapped line
            continue
        if out and out[-1][0] in ("p", "li") and not out[-1][1].endswith(_SENTENCE_END) \
                and not _RX_LABEL.match(line) and not _RX_LABEL.match(out[-1][1]) and not _RX_LABEL_LINE.match(line):
            previous = out[-1][1]
            if previous.endswith("-") and line[:1].islower():
                out[-1][1] = previous[:-1] + line  # "utsläpps-\nminskningen"
            else:
                out[-1][1] = f"{previous} {line}"
            continue
        out.append(["p", line])
    if len(out) > 1 and out[0][0] == "p" and len(out[0][1]) <= 80 and not out[0][1].endswith((".", ":")) \
            and not _RX_LABEL.match(out[0][1]):
        out[0][0] = "h2"  # the first short line of a block, over what follows
    elif len(out) == 1 and out[0][0] == "p" and len(out[0][1]) <= 80 and not out[0][1].endswith((".", ":", ";", "*")) \
            and re.search(r"[A-Za-zÅÄÖåäö]{3}", out[0][1]) and not _RX_LABEL.match(out[0][1]):
        out[0][0] = "h2"  # a short line standing alone
    return [(tag, text) for tag, text in out]
