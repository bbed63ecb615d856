"""Web pages saved as one file: MHTML and Safari's web archive.

Browsers offer to save a page with its pictures and styles in one file: Chrome and Edge as "Webpage, Single
File" (``.mhtml``), Word and Internet Explorer as "Single File Web Page" (``.mht``, often in GB2312/GBK for a
Chinese page), both a MIME ``multipart/related`` message whose HTML part is quoted-printable or base64;
Safari as a ``.webarchive``, a binary property list whose ``WebMainResource`` holds the page's bytes. The
page's HTML is taken out with the standard library (``email`` for MIME, ``plistlib`` for the plist), decoded
by the charset the file declares for it, and read by the HTML reader (``ingest.html``) like a saved ``.html``
page. The address the page was saved from (``Snapshot-Content-Location`` / ``Content-Location``,
``WebResourceURL``) is its URL when the page names no canonical one, so a note citing that address finds it.
"""
from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted

if TYPE_CHECKING:
    from email.message import Message

    from lxml.html import HtmlElement

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
_RELATED = re.compile(rb"^content-type:[ \t]*multipart/related", re.I | re.M)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
# A declared charset read as the superset browsers read it as (the WHATWG Encoding Standard's labels): Word
# declares gb2312 for pages with GBK characters, and Latin-1 pages hold Windows-1252 quotes.
_READ_AS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
            "iso-8859-1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "big5": "big5hkscs"}
_RESAVE = "save the page again from the browser (the file is damaged or was only partly saved)"


def is_mhtml(data: bytes) -> bool:
    """A MIME ``multipart/related`` message: its header block (up to the first blank line) names that type."""
    head = data[:16384].lstrip(b"\xef\xbb\xbf \t\r\n")
    end = _HEADER_END.search(head)
    return bool(_RELATED.search(head[: end.start()] if end else head))


def is_webarchive(data: bytes) -> bool:
    return data.startswith(b"bplist00") and b"WebMainResource" in data


def mhtml_text(data: bytes, name: str) -> Extracted:
    from email import message_from_bytes, policy

    from workbench.ingest.html import html_text

    if not is_mhtml(data) and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return html_text(data, name)  # a plain .html page saved under an .mht name
    try:
        message = message_from_bytes(data, policy=policy.compat32)
        page = _main_page(message, name)
    except RecursionError as exc:
        raise WorkbenchError(f"{name}: MIME parts nested too deep to be a saved web page (a damaged or "
                             "hostile file)") from exc
    payload = page.get_payload(decode=True)
    html, encoding = _decoded(payload if isinstance(payload, bytes) else b"", page.get_content_charset())
    if not html.strip():
        raise WorkbenchError(f"{name}: the saved page's HTML part is empty; {_RESAVE}")
    location = _location(message, page)
    extracted = html_text(_in_page_links(html, name, {location, (page.get("Content-Location") or "").strip()}), name)
    extracted.encoding = f"mhtml ({encoding})" if encoding else "mhtml"
    _fill_meta(extracted, location, _subject(message))
    return extracted


def _in_page_links(html: str | bytes, name: str, addresses: set[str]) -> HtmlElement:
    """The parsed page with links to a place on the page itself made relative again (``#fn1``): Chrome's
    snapshot writes every link as an absolute address (``https://…/page#fn1``), and the HTML reader finds a
    footnote by its in-page link."""
    from workbench.ingest.html import load

    tree = load(html, name)
    canonical = tree.xpath("string(//link[@rel='canonical']/@href)").strip()
    own = {a.split("#")[0] for a in (*addresses, canonical) if a}
    for a in tree.iter("a"):
        href = (a.get("href") or "").strip()
        base, hash_, fragment = href.partition("#")
        if hash_ and fragment and base in own:
            a.set("href", f"#{fragment}")
    return tree


def _main_page(message: Message, name: str) -> Message:
    """The page's own HTML part: the one the root's ``start`` parameter names (RFC 2387), else the one at the
    address the snapshot was taken from, else the first HTML part (Chrome's main frame comes before iframes)."""
    from email.errors import CloseBoundaryNotFoundDefect, StartBoundaryNotFoundDefect

    if not message.is_multipart():
        if message.get_content_type() in _HTML_TYPES:
            return message  # Internet Explorer saves a page without pictures as one quoted-printable part
        if message.get_content_maintype() == "multipart":
            raise WorkbenchError(f"{name}: the saved page is cut short after its MIME headers (no parts follow); "
                                 + _RESAVE)
        raise WorkbenchError(f"{name}: not a saved web page: an MHTML file starts with MIME headers naming "
                             f"Content-Type: multipart/related, and this one does not; {_RESAVE}")
    parts = [p for p in message.walk() if not p.is_multipart()]
    pages = [p for p in parts if p.get_content_type() in _HTML_TYPES]
    truncated = any(isinstance(d, CloseBoundaryNotFoundDefect | StartBoundaryNotFoundDefect)
                    for p in message.walk() for d in p.defects)
    if not pages:
        if truncated:
            raise WorkbenchError(f"{name}: the saved page is cut short before its HTML part; {_RESAVE}")
        kinds = ", ".join(sorted({p.get_content_type() for p in parts})) or "no parts at all"
        raise WorkbenchError(f"{name}: the saved page holds no HTML part ({kinds}); {_RESAVE}")
    start = message.get_param("start")
    start = start.strip() if isinstance(start, str) else ""
    location = _location(message, None)
    page = (next((p for p in pages if start and (p.get("Content-ID") or "").strip() == start), None)
            or next((p for p in pages if location and (p.get("Content-Location") or "").strip() == location), None)
            or pages[0])
    if truncated and page is parts[-1]:
        raise WorkbenchError(f"{name}: the saved page is cut short inside its HTML (its end and closing MIME "
                             f"boundary are missing); {_RESAVE}")
    return page


def _decoded(payload: bytes, declared: str | None) -> tuple[str | bytes, str]:
    """The HTML as text by the charset its MIME part declares, else by its ``<meta charset>``; bytes, for the
    HTML reader to guess, when neither names one Python knows."""
    match = _META_CHARSET.search(payload[:4096])
    for label in (declared, match.group(1).decode("ascii") if match else None):
        if not label:
            continue
        label = label.strip().lower()
        try:
            codec = codecs.lookup(_READ_AS.get(label, label)).name
        except LookupError:
            continue
        return payload.decode(codec, errors="replace"), label
    return payload, ""


def _location(message: Message, page: Message | None) -> str:
    """The address the page was saved from: Chrome's ``Snapshot-Content-Location``, else the root's or the
    page part's ``Content-Location``."""
    for source, header in ((message, "Snapshot-Content-Location"), (message, "Content-Location"),
                           (page, "Content-Location")):
        value = (source.get(header) or "").strip() if source is not None else ""
        if value:
            return value
    return ""


def _subject(message: Message) -> str:
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(message.get("Subject") or ""))).strip()
    except (LookupError, UnicodeDecodeError, ValueError):
        return ""


def _fill_meta(extracted: Extracted, url: str, title: str) -> None:
    """The saved-from address as the page's URL when it names no canonical one (only a web address: a page
    saved from disk says ``file:///…``, which no note cites); the snapshot's subject as its title if none."""
    if url.lower().startswith(("http://", "https://")) and not extracted.meta.get("url"):
        extracted.meta["url"] = url
    if title and not extracted.meta.get("title"):
        extracted.meta["title"] = title


def webarchive_text(data: bytes, name: str) -> Extracted:
    import plistlib

    from workbench.ingest.html import html_text

    try:
        archive = plistlib.loads(data)
    except (plistlib.InvalidFileException, ValueError, TypeError, KeyError, IndexError, OverflowError,
            RecursionError) as exc:
        raise WorkbenchError(f"{name}: not a readable Safari web archive (the property list is damaged: "
                             f"{exc or type(exc).__name__}); save the page again in Safari") from exc
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    if not isinstance(main, dict) or not isinstance(main.get("WebResourceData"), bytes):
        raise WorkbenchError(f"{name}: a property list, but not a Safari web archive (it holds no "
                             "WebMainResource with the page's data); save the page in Safari with "
                             "File ▸ Save As… ▸ Format: Web Archive")
    kind = str(main.get("WebResourceMIMEType") or "text/html").lower()
    if kind not in _HTML_TYPES:
        raise WorkbenchError(f"{name}: the web archive holds a file of type {kind}, not a web page; open it in Safari "
                             "and save or export that file itself")
    declared = main.get("WebResourceTextEncodingName")
    html, encoding = _decoded(main["WebResourceData"], declared if isinstance(declared, str) else None)
    url = str(main.get("WebResourceURL") or "")
    extracted = html_text(_in_page_links(html, name, {url}), name)
    extracted.encoding = f"webarchive ({encoding})" if encoding else "webarchive"
    _fill_meta(extracted, url, "")
    return extracted

