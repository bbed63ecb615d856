"""Limits for the archives and XML that users hand in.

A .docx or .epub is a zip of XML parts, and both layers can be built to exhaust the machine: a part that
inflates to gigabytes (a zip bomb) or a DOCTYPE whose entities expand a billion times. Sizes are read from
the zip's directory before anything is inflated (``zipfile`` never inflates past the declared size), and
XML is parsed by lxml with entities left unresolved, no network and libxml2's tree-size limits on.
"""
from __future__ import annotations

import io
import zipfile

from lxml import etree

from workbench.errors import WorkbenchError

MAX_PART_BYTES = 128 * 2**20
MAX_TOTAL_BYTES = 512 * 2**20
# Text XML compresses 5-20×; a megabyte-sized part squeezed more than this is built to inflate.
MAX_RATIO = 200

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)


class UnreadablePart(WorkbenchError):
    """One XML part of an archive is malformed or hostile; the message names the file and the part."""


def open_zip(data: bytes, name: str, what: str) -> zipfile.ZipFile:
    """The archive, once its declared sizes are sane; ``what`` names the format in messages (".docx")."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbenchError(f"{name}: not a readable {what} file (damaged zip archive: {exc})") from exc
    total = 0
    for info in infos:
        bomb = info.file_size > MAX_PART_BYTES or (
            info.file_size > 2**20 and info.file_size > MAX_RATIO * max(1, info.compress_size)
        )
        if bomb:
            raise WorkbenchError(
                f"{name}: refused: its part {info.filename} would unpack from {info.compress_size:,} bytes to "
                f"{info.file_size / 2**20:,.0f} MB (a zip bomb, or not a real {what} file)"
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise WorkbenchError(
            f"{name}: refused: it would unpack to {total / 2**20:,.0f} MB "
            f"(limit {MAX_TOTAL_BYTES // 2**20} MB for a {what} file)"
        )
    return archive


def parse_xml(blob: bytes, name: str, part: str) -> etree._Element:
    """The part's root element; ``UnreadablePart`` when it is not well-formed or declares entities."""
    try:
        root = etree.fromstring(blob, _PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise UnreadablePart(f"{name}: its part {part} is not well-formed XML ({exc})") from exc
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnreadablePart(f"{name}: refused its part {part}: it declares XML entities (an entity bomb)")
    return root
