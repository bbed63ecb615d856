"""TMX 1.4b: a streaming writer CAT tools import without warnings, and a reader for existing memories.

Writing goes through ``lxml.etree.xmlfile`` one ``<tu>`` at a time, so memory stays flat however many
units an export has; lxml does all escaping (``&``, ``<``, ``]]>``, ``\\r``). Only characters outside
the XML 1.0 ``Char`` production need our own handling: no serializer can represent them, so they are
removed here and every removal is reported, never dropped silently.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Literal

from lxml import etree

from workbench import __version__
from workbench.errors import WorkbenchError

SegType = Literal["block", "paragraph", "sentence", "phrase"]
SEGTYPES: tuple[str, ...] = ("block", "paragraph", "sentence", "phrase")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Complement of XML 1.0's Char production (§2.2): C0 controls except TAB/LF/CR, lone surrogates,
# U+FFFE and U+FFFF. lxml refuses such strings outright, so they must go before serialisation.
_ILLEGAL_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LANG_CODE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
# Inline codes whose content is native markup (e.g. "<b>"), not text a translator sees.
_NATIVE_CODE_TAGS = frozenset({"bpt", "ept", "ph", "it", "ut"})


def tmx_date(moment: datetime | None = None) -> str:
    """TMX's date format, ``YYYYMMDDThhmmssZ`` in UTC (naive datetimes are taken as UTC)."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def parse_tmx_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def xml_clean(text: str) -> tuple[str, list[int]]:
    """Remove characters XML 1.0 cannot carry; return the clean text and the removed offsets."""
    if _ILLEGAL_XML.search(text) is None:  # the common case, kept cheap for 100,000-unit exports
        return text, []
    removed = [m.start() for m in _ILLEGAL_XML.finditer(text)]
    return _ILLEGAL_XML.sub("", text), removed


@lru_cache(maxsize=64)
def check_lang(code: str) -> str:
    """Accept a BCP 47-shaped code (``zh-CN``, ``en-US``); CAT tools reject anything else."""
    if not isinstance(code, str) or not _LANG_CODE.fullmatch(code):  # "$" would let "en-US\n" through
        raise WorkbenchError(f"invalid language code {code!r}: expected a BCP 47 code such as zh-CN or en-US")
    return code


@dataclass(frozen=True)
class TmxUnit:
    """One ``<tu>``: segment text per language (source first), ``x-`` props, optional dates."""

    segments: tuple[tuple[str, str], ...]
    props: tuple[tuple[str, str], ...] = ()
    tuid: str | None = None
    changedate: datetime | None = None
    notes: tuple[str, ...] = ()
    changeid: str | None = None  # who made the last change (the workbench's editor name)

    def text(self, lang: str) -> str | None:
        """Segment for ``lang``; a bare primary code (``zh``) matches its regional variants too."""
        wanted = lang.lower()
        for code, text in self.segments:
            if code.lower() == wanted:
                return text
        for code, text in self.segments:
            if code.lower().split("-")[0] == wanted.split("-")[0]:
                return text
        return None

    def prop(self, prop_type: str) -> list[str]:
        return [value for kind, value in self.props if kind == prop_type]


@dataclass
class Removal:
    """Where an XML-illegal character was removed: unit number (1-based), field, offset, code point."""

    unit: int
    where: str
    offset: int
    char: str

    def __str__(self) -> str:
        return f"unit {self.unit} {self.where} offset {self.offset} (U+{ord(self.char):04X})"


@dataclass
class WriteReport:
    units: int = 0
    removed_chars: int = 0
    first_removals: list[Removal] = field(default_factory=list)
    empty_skipped: int = 0

    MAX_LOCATIONS = 5

    def _note(self, unit: int, where: str, original: str, offsets: list[int]) -> None:
        self.removed_chars += len(offsets)
        for offset in offsets:
            if len(self.first_removals) >= self.MAX_LOCATIONS:
                return
            self.first_removals.append(Removal(unit, where, offset, original[offset]))


def write_tmx(
    out: str | Path | BinaryIO,
    units: Iterable[TmxUnit],
    *,
    srclang: str,
    segtype: SegType = "sentence",
    adminlang: str = "en-US",
    creationdate: datetime | None = None,
) -> WriteReport:
    """Stream ``units`` to ``out`` as TMX 1.4b (UTF-8, XML declaration, no BOM).

    ``srclang`` must be the language of each unit's first segment, so CAT tools know the direction.
    Units with an empty segment (after cleaning) are skipped and counted: an empty ``<tuv>`` makes
    memoQ and Trados warn. No DOCTYPE is written: Java-based tools (OmegaT, Okapi) would try to
    fetch ``tmx14.dtd`` beside the file, and the DTD adds nothing a reader needs.
    """
    check_lang(srclang)
    check_lang(adminlang)
    if segtype not in SEGTYPES:
        raise WorkbenchError(f"invalid TMX segtype {segtype!r}: expected one of {', '.join(SEGTYPES)}")
    report = WriteReport()
    if isinstance(out, (str, Path)):
        with open(out, "wb") as handle:
            return _write(handle, units, srclang, segtype, adminlang, creationdate, report)
    return _write(out, units, srclang, segtype, adminlang, creationdate, report)


def _write(handle, units, srclang, segtype, adminlang, creationdate, report) -> WriteReport:
    # Our own declaration: lxml's uses single quotes and lower-case "utf-8", which a few
    # older CAT tools' sniffers mis-detect.
    handle.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    header = etree.Element(
        "header",
        {
            "creationtool": "workbench",
            "creationtoolversion": __version__,
            "segtype": segtype,
            "o-tmf": "workbench",
            "adminlang": adminlang,
            "srclang": srclang,
            "datatype": "plaintext",
            "creationdate": tmx_date(creationdate),
        },
    )
    with etree.xmlfile(handle, encoding="utf-8") as xf:
        with xf.element("tmx", version="1.4"):
            xf.write("\n")
            xf.write(header)
            xf.write("\n")
            with xf.element("body"):
                xf.write("\n")
                for number, unit in enumerate(units, start=1):
                    tu = _tu_element(unit, number, srclang, report)
                    if tu is not None:
                        xf.write(tu)
                        xf.write("\n")
            xf.write("\n")
    return report


def _cleaned(unit: TmxUnit, number: int, report: WriteReport) -> TmxUnit:
    """``unit`` without XML-illegal characters, each removal noted in ``report``."""

    def clean(text: str, where: str) -> str:
        result, removed = xml_clean(text)
        if removed:
            report._note(number, where, text, removed)
        return result

    return replace(
        unit,
        segments=tuple((lang, clean(text, f"seg {lang}")) for lang, text in unit.segments),
        props=tuple((kind, clean(value, f"prop {kind}")) for kind, value in unit.props),
        tuid=clean(unit.tuid, "tuid") if unit.tuid else unit.tuid,
        notes=tuple(clean(note, "note") for note in unit.notes),
        changeid=clean(unit.changeid, "changeid") if unit.changeid else unit.changeid,
    )


def _tu_element(unit: TmxUnit, number: int, srclang: str, report: WriteReport):
    texts = [text for _, text in unit.segments] + [value for _, value in unit.props] + [*unit.notes, unit.tuid or "", unit.changeid or ""]
    if _ILLEGAL_XML.search("".join(texts)) is not None:  # one scan in the common, clean case
        unit = _cleaned(unit, number, report)
    if len(unit.segments) < 2 or any(not text for _, text in unit.segments):
        report.empty_skipped += 1
        return None
    if unit.segments[0][0] != srclang:
        raise WorkbenchError(
            f"TMX unit {number} starts with a {unit.segments[0][0]} segment but srclang is {srclang}: "
            "the source segment must come first"
        )
    attrs = {}
    if unit.tuid:
        attrs["tuid"] = unit.tuid
    if unit.changedate is not None:
        attrs["changedate"] = tmx_date(unit.changedate)
    if unit.changeid:
        attrs["changeid"] = unit.changeid
    tu = etree.Element("tu", attrs)
    # DTD order: (note|prop)* before tuv+.
    for note_text in unit.notes:
        etree.SubElement(tu, "note").text = note_text
    for kind, value in unit.props:
        etree.SubElement(tu, "prop", type=kind).text = value
    for lang, text in unit.segments:
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: check_lang(lang)})
        etree.SubElement(tuv, "seg").text = text
    report.units += 1
    return tu


@dataclass
class TmxHeader:
    srclang: str | None
    segtype: str | None
    creationtool: str | None
    attributes: dict[str, str]


def _plain_text(seg) -> str:
    """Text of a ``<seg>`` as a translator sees it: inline native codes dropped, ``<hi>`` kept."""
    parts = [seg.text or ""]
    for child in seg:
        if isinstance(child.tag, str) and etree.QName(child).localname not in _NATIVE_CODE_TAGS:
            parts.append(_plain_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def iter_tmx(path: str | Path | BinaryIO) -> Iterator[TmxUnit | TmxHeader]:
    """Stream a TMX file: first its ``TmxHeader``, then one ``TmxUnit`` per ``<tu>``.

    libxml2 decodes UTF-8 and UTF-16 (BOM-detected, even when the declaration disagrees) itself.
    Entities are not resolved and nothing is fetched, so a hostile file cannot expand or phone home.
    """
    name = str(getattr(path, "name", path))
    try:
        events = etree.iterparse(
            path,
            events=("end",),
            tag=("{*}header", "{*}tu"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=True,
        )
        root_checked = False
        for _, element in events:
            if not root_checked:
                root = element.getroottree().getroot()
                if etree.QName(root).localname != "tmx":
                    raise WorkbenchError(f"{name} is not a TMX file (root element <{root.tag}>)")
                root_checked = True
            if etree.QName(element).localname == "header":
                yield TmxHeader(
                    srclang=element.get("srclang"),
                    segtype=element.get("segtype"),
                    creationtool=element.get("creationtool"),
                    attributes=dict(element.attrib),
                )
                continue
            yield _unit_from_element(element)
            # Free what has been read so a large memory streams in flat memory.
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as exc:
        raise WorkbenchError(f"{name} is not well-formed XML: {exc}") from exc
    except OSError as exc:
        raise WorkbenchError(f"cannot read TMX file {name}: {exc}") from exc


def _unit_from_element(tu) -> TmxUnit:
    segments, props, notes = [], [], []
    for child in tu:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        if tag == "tuv":
            # TMX 1.1 used a plain ``lang`` attribute; still seen in old memories.
            lang = child.get(XML_LANG) or child.get("lang") or ""
            seg = child.find("{*}seg")
            segments.append((lang, _plain_text(seg) if seg is not None else ""))
        elif tag == "prop":
            props.append((child.get("type", ""), child.text or ""))
        elif tag == "note":
            notes.append(child.text or "")
    return TmxUnit(
        segments=tuple(segments),
        props=tuple(props),
        tuid=tu.get("tuid"),
        changedate=parse_tmx_date(tu.get("changedate")),
        notes=tuple(notes),
        changeid=tu.get("changeid"),
    )


def read_tmx(path: str | Path | BinaryIO) -> tuple[TmxHeader, list[TmxUnit]]:
    """Read a whole TMX file: its header and every unit, in order."""
    header: TmxHeader | None = None
    units: list[TmxUnit] = []
    for item in iter_tmx(path):
        if isinstance(item, TmxHeader):
            header = item
        else:
            units.append(item)
    if header is None:
        raise WorkbenchError(f"{getattr(path, 'name', path)} has no TMX <header>")
    return header, units
