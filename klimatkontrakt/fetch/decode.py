"""Bytes to text for HTML pages, and the "is this HTML?" decision.

Swedish municipal sites still serve windows-1252 / ISO-8859-1 pages, sometimes with a wrong or
missing charset. Decoding the same way every time (BOM, HTTP charset, <meta>, detection) keeps
å/ä/ö intact and makes a replayed run produce the same text as the live one.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]+)""", re.IGNORECASE)
_SNIFF = re.compile(rb"<(!doctype\s+html|html|head|body)[\s>]", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# WHATWG encoding labels: browsers read these as windows-1252, and so do we.
_ALIASES = {"iso-8859-1": "windows-1252", "latin1": "windows-1252", "latin-1": "windows-1252",
            "iso8859-1": "windows-1252", "us-ascii": "windows-1252", "ascii": "windows-1252",
            "l1": "windows-1252", "cp819": "windows-1252", "x-user-defined": "windows-1252"}


def media_type(content_type: str | None) -> str | None:
    """"text/html; charset=utf-8" -> "text/html"."""
    if not content_type:
        return None
    return content_type.split(";", 1)[0].strip().lower() or None


def charset_of(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None


def is_html(content_type: str | None, body: bytes) -> bool:
    """HTML by Content-Type; with no Content-Type, by sniffing the first kilobyte."""
    mt = media_type(content_type)
    if mt is not None:
        return mt in _HTML_TYPES
    return bool(_SNIFF.search(body[:1024]))


def _codec(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    if label in ("utf-16", "utf-16le", "utf-16be", "utf-16-le", "utf-16-be"):
        label = "utf-8"  # a <meta> cannot honestly claim UTF-16 (WHATWG); a BOM decides that
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _strict(body: bytes, codec: str | None) -> str | None:
    if codec is None:
        return None
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode an HTML body: BOM, then the HTTP charset, then <meta charset>/http-equiv in the
    first 4 KB, then charset-normalizer detection, then UTF-8 with replacement characters.

    A declared charset that fails to decode strictly (a page labelled UTF-8 that is really
    windows-1252, which happens) falls through to the next step instead of producing mojibake.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, errors="replace")
    http_codec = _codec(charset_of(content_type))
    text = _strict(body, http_codec)
    if text is not None:
        return text
    match = _META_CHARSET.search(body[:4096])
    meta_codec = _codec(match.group(1).decode("ascii", "ignore")) if match else None
    text = _strict(body, meta_codec)
    if text is not None:
        return text
    text = _strict(body, "utf-8")
    if text is not None:
        return text
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    detected = _codec(best.encoding) if best is not None else None
    codec = detected or meta_codec or http_codec or "windows-1252"
    return body.decode(codec, errors="replace")
