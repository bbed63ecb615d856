"""TMX writer/reader: DTD-valid output, read back identically by translate-toolkit and our reader."""
from __future__ import annotations

import io
import re
import tracemalloc
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from translate.storage.tmx import tmxfile

from workbench.errors import WorkbenchError
from workbench.tmx import TmxUnit, iter_tmx, read_tmx, write_tmx, xml_clean

SAMPLE = [
    TmxUnit(
        segments=(("en-US", "The U.S. & its allies <signed> the deal ]]> today."), ("zh-CN", "美国及其盟友今天签署了协议。")),
        props=(("x-document", "report.txt"), ("x-bead", "0"), ("x-confidence", "0.912"), ("x-status", "confirmed")),
        tuid="report.txt:0",
        changedate=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC),
        changeid="Ana Li",
    ),
    TmxUnit(
        segments=(("en-US", "Quantum tech. \U0001d54f\u200f marks"), ("zh-CN", "量子技术\u202e是颠覆性技术之一")),
        props=(("x-document", "report.txt"), ("x-bead", "1"), ("x-citation", "https://example.org/a?b=1&c=2")),
        tuid="report.txt:1",
    ),
]


def _write(units, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_tmx(buffer, units, **{"srclang": "en-US", **kwargs})
    return buffer.getvalue()


def _validate(data: bytes, tmx_dtd) -> None:
    dtd = etree.DTD(str(tmx_dtd))
    tree = etree.parse(io.BytesIO(data))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()


def _toolkit_pairs(data: bytes) -> list[tuple[str, str]]:
    store = tmxfile(io.BytesIO(data))
    return [(unit.source, unit.target) for unit in store.units]


def test_written_file_is_valid_and_reads_back_identically(tmx_dtd, tmp_path):
    path = tmp_path / "out.tmx"
    report = write_tmx(path, SAMPLE, srclang="en-US")
    data = path.read_bytes()
    assert report.units == 2 and report.removed_chars == 0
    _validate(data, tmx_dtd)
    expected = [(u.segments[0][1], u.segments[1][1]) for u in SAMPLE]
    assert _toolkit_pairs(data) == expected
    header, units = read_tmx(path)
    assert [(u.text("en-US"), u.text("zh-CN")) for u in units] == expected
    assert units[0].props == SAMPLE[0].props
    assert units[0].changedate == SAMPLE[0].changedate
    assert units[0].changeid == "Ana Li" and units[1].changeid is None
    assert units[1].prop("x-citation") == ["https://example.org/a?b=1&c=2"]
    assert header.srclang == "en-US"


def test_header_and_unit_layout(tmx_dtd):
    data = _write(SAMPLE, segtype="sentence")
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')  # declaration first, no BOM
    root = etree.fromstring(data)
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    assert header.get("datatype") == "plaintext"
    assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
    for tu in root.iter("tu"):
        tags = [child.tag for child in tu]
        first_tuv = tags.index("tuv")
        assert "prop" not in tags[first_tuv:], "props must precede the tuvs"
        assert tu.find("tuv").get("{http://www.w3.org/XML/1998/namespace}lang") == header.get("srclang")
    tus = root.findall("body/tu")
    assert tus[0].get("changedate") == "20250304T050607Z"
    assert tus[1].get("changedate") is None
    assert tus[0].get("changeid") == "Ana Li" and tus[1].get("changeid") is None


def test_source_segment_must_match_srclang():
    with pytest.raises(WorkbenchError, match="srclang"):
        _write(SAMPLE, srclang="zh-CN")


@pytest.mark.parametrize("bad", ["", "english", "zh_CN", "e", "en-US\n"])
def test_bad_language_codes_are_refused(bad):
    with pytest.raises(WorkbenchError, match="language code"):
        _write(SAMPLE, srclang=bad)


def test_illegal_characters_removed_and_reported(tmx_dtd):
    units = [
        TmxUnit(segments=(("en-US", "bell\x07 and \x00nul"), ("zh-CN", "换页\x0c符\ufffe"))),
        TmxUnit(segments=(("en-US", "lone \ud800 surrogate"), ("zh-CN", "正常"))),
    ]
    buffer = io.BytesIO()
    report = write_tmx(buffer, units, srclang="en-US")
    _validate(buffer.getvalue(), tmx_dtd)
    assert report.removed_chars == 5
    first = report.first_removals[0]
    assert (first.unit, first.where, first.offset, first.char) == (1, "seg en-US", 4, "\x07")
    assert "U+0007" in str(first)
    _, read = read_tmx(io.BytesIO(buffer.getvalue()))
    assert read[0].segments == (("en-US", "bell and nul"), ("zh-CN", "换页符"))
    assert read[1].text("en") == "lone  surrogate"


def test_units_that_would_have_an_empty_tuv_are_skipped(tmx_dtd):
    units = [
        TmxUnit(segments=(("en-US", "kept"), ("zh-CN", "保留"))),
        TmxUnit(segments=(("en-US", "\x01\x02"), ("zh-CN", "只有中文"))),
        TmxUnit(segments=(("en-US", "only English"), ("zh-CN", ""))),
    ]
    buffer = io.BytesIO()
    report = write_tmx(buffer, units, srclang="en-US")
    _validate(buffer.getvalue(), tmx_dtd)
    assert (report.units, report.empty_skipped) == (1, 2)
    assert b"<seg></seg>" not in buffer.getvalue() and b"<seg/>" not in buffer.getvalue()


# Arbitrary Unicode minus surrogates (Python strs may hold lone ones; files cannot), with the
# characters that break hand-written XML weighted in.
_tricky = st.sampled_from(["&", "<", ">", "]]>", "\r", "\r\n", "\t", "\x00", "\x1f", "\ufffe", "\u200f", "\u202e",
                           "\U0001f600", "\U00010000", "\U0010fffd", '"', "'", " ", "&amp;", "<![CDATA["])
_text = st.lists(st.one_of(st.characters(blacklist_categories=("Cs",)), _tricky), max_size=40).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(en=_text, zh=_text, prop=_text)
def test_round_trip_equals_sanitised_input(en, zh, prop):
    unit = TmxUnit(segments=(("en-US", en), ("zh-CN", zh)), props=(("x-document", prop),))
    data = _write([unit])
    clean_en, clean_zh, clean_prop = (xml_clean(t)[0] for t in (en, zh, prop))
    header, units = read_tmx(io.BytesIO(data))
    if not clean_en or not clean_zh:
        assert units == []
        return
    assert units[0].segments == (("en-US", clean_en), ("zh-CN", clean_zh))
    assert units[0].props == (("x-document", clean_prop),)
    assert _toolkit_pairs(data) == [(clean_en, clean_zh)]


def test_round_trip_dtd_valid_for_hostile_text(tmx_dtd):
    hostile = "&lt; ]]> <![CDATA[x]]> \r\n\t\u202e\U0001f600 <!-- --> <?pi?> &#0;"
    data = _write([TmxUnit(segments=(("en-US", hostile), ("zh-CN", hostile)), props=(("x-citation", hostile),))])
    _validate(data, tmx_dtd)
    assert _toolkit_pairs(data) == [(hostile, hostile)]


def _as_utf16(data: bytes, declared: str, codec: str) -> bytes:
    text = data.decode("utf-8").replace('encoding="UTF-8"', f'encoding="{declared}"')
    return text.encode(codec)


@pytest.mark.parametrize(
    "declared,codec",
    [("UTF-16", "utf-16"), ("UTF-16", "utf-16-le"), ("UTF-16", "utf-16-be"), ("UTF-8", "utf-16"), ("UTF-8", "utf-8-sig")],
)
def test_reader_accepts_utf16_and_bom(declared, codec, tmp_path):
    data = _write(SAMPLE)
    encoded = _as_utf16(data, declared, codec)
    if codec in ("utf-16-le", "utf-16-be"):  # explicit BOM, as Windows CAT tools write it
        encoded = "\ufeff".encode(codec) + encoded
    path = tmp_path / "memory.tmx"
    path.write_bytes(encoded)
    _, units = read_tmx(path)
    assert [u.segments for u in units] == [u.segments for u in SAMPLE]


def test_reader_handles_inline_codes_and_tmx11_lang(tmp_path):
    path = tmp_path / "cat.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x"'
        ' adminlang="en" srclang="en-GB" datatype="plaintext"/><body>'
        '<tu><note>n</note><tuv lang="EN-GB"><seg>Click <bpt i="1">&lt;b&gt;</bpt>here<ept i="1">&lt;/b&gt;</ept>'
        ' <hi>now</hi><ph>{1}</ph>.</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>点击<it pos="begin">&lt;i&gt;</it>这里</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    header, units = read_tmx(path)
    assert header.srclang == "en-GB"
    assert units[0].text("en") == "Click here now."
    assert units[0].text("zh-CN") == "点击这里"
    assert units[0].notes == ("n",)


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "well-formed"),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "well-formed"),
        (b"<tmx><header", "well-formed"),
        (b'<?xml version="1.0"?><xliff><header/><body/></xliff>', "not a TMX file"),
        (b'<?xml version="1.0"?><tmx version="1.4"><body/></tmx>', "no TMX <header>"),
    ],
)
def test_reader_rejects_bad_input_with_a_named_error(content, message, tmp_path):
    path = tmp_path / "bad.tmx"
    path.write_bytes(content)
    with pytest.raises(WorkbenchError, match=message) as info:
        read_tmx(path)
    assert "bad.tmx" in str(info.value)


def test_reader_missing_file_is_a_workbench_error(tmp_path):
    with pytest.raises(WorkbenchError, match="missing.tmx"):
        read_tmx(tmp_path / "missing.tmx")


def test_reader_does_not_expand_entities(tmp_path):
    path = tmp_path / "laughs.tmx"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c SYSTEM "file:///etc/passwd">]>'
        '<tmx version="1.4"><header srclang="en-US"/><body><tu><tuv xml:lang="en-US"><seg>x&b;&c;</seg></tuv>'
        '<tuv xml:lang="zh-CN"><seg>y</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    _, units = read_tmx(path)
    assert "root:" not in units[0].text("en-US")
    assert len(units[0].text("en-US")) < 20


class _Sink(io.RawIOBase):
    """A write-only stream that keeps nothing, so only the writer's own memory is measured."""

    def writable(self):
        return True

    def write(self, data):
        return len(data)


def _peak_python_memory(count: int) -> int:
    units = (
        TmxUnit(segments=(("en-US", f"Sentence {i} of a long report."), ("zh-CN", f"长篇报告的第{i}句。")),
                props=(("x-bead", str(i)),))
        for i in range(count)
    )
    tracemalloc.start()
    write_tmx(_Sink(), units, srclang="en-US")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_writer_memory_does_not_grow_with_unit_count():
    small, large = _peak_python_memory(2_000), _peak_python_memory(20_000)
    assert large < small * 2 + 256 * 1024, (small, large)


def test_iter_tmx_streams(tmp_path):
    path = tmp_path / "m.tmx"
    write_tmx(path, SAMPLE * 50, srclang="en-US")
    items = iter_tmx(path)
    assert next(items).srclang == "en-US"
    assert sum(1 for _ in items) == 100
