"""Fault injection for the app, uploads and the CLI: what a hostile network, a full disk or a strange file
name does. Each test names the failure it provokes; none may end in a traceback or a half-written file."""
from __future__ import annotations

import errno
import re
import socket
import struct
import tomllib
from pathlib import Path

import pytest
from live_server import REPO, Server

LISTEN = "0A"  # TCP state code of a listening socket in /proc/net/tcp*


def _proc_address(hex_address: str) -> str:
    """``0100007F`` → ``127.0.0.1``; the 32-digit IPv6 form is four little-endian words."""
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = struct.unpack("<4I", raw)
    return socket.inet_ntop(socket.AF_INET6, struct.pack(">4I", *words))


def listening_addresses(port: int) -> set[str]:
    """The local addresses with a socket listening on ``port`` (Linux ``/proc/net/tcp`` and ``tcp6``)."""
    found = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            address, hex_port = fields[1].split(":")
            if fields[3] == LISTEN and int(hex_port, 16) == port:
                found.add(_proc_address(address))
    return found


def test_the_config_binds_loopback_only():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's socket table")
def test_a_server_started_without_an_address_flag_listens_on_loopback_only(home):
    server = Server(home, address=None)  # what `streamlit run workbench/app.py` does in the repository
    try:
        bound = listening_addresses(server.port)
        assert bound == {"127.0.0.1"}, f"the app listens on {bound}, not only on loopback"
        for address in sorted(_own_non_loopback_addresses()):
            with pytest.raises(OSError), socket.create_connection((address, server.port), timeout=2):
                pass
    finally:
        server.stop()


def _own_non_loopback_addresses() -> set[str]:
    """This machine's addresses other than loopback (from the interfaces' routing, no network traffic)."""
    found = set()
    for family, probe in ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1")):
        try:
            with socket.socket(family, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))  # UDP connect sends nothing; it only picks the outgoing address
                found.add(s.getsockname()[0])
        except OSError:
            continue
    return {a for a in found if not a.startswith("127.") and a != "::1"}


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def _fill_the_disk_halfway(monkeypatch):
    """Every ``Path.write_bytes`` writes half its data, then fails as a full disk does."""
    def write_bytes(self, data):
        with open(self, "wb") as f:
            f.write(data[: len(data) // 2])
        _enospc()

    monkeypatch.setattr(Path, "write_bytes", write_bytes)


def test_an_upload_on_a_full_disk_leaves_no_file_and_a_retry_after_freeing_space_works(tmp_path, monkeypatch):
    from workbench.errors import WorkbenchError
    from workbench.uploads import accept_upload, corpus_files

    data = b"The report was published in May. It recommends a joint fund.\n" * 20
    with monkeypatch.context() as full:
        _fill_the_disk_halfway(full)
        with pytest.raises(WorkbenchError, match="No space left"):
            accept_upload(data, "report.en.txt", tmp_path)
    assert corpus_files(tmp_path) == [] and list(tmp_path.iterdir()) == []  # no truncated file, no temporary one
    path, _ = accept_upload(data, "report.en.txt", tmp_path)  # space freed: the same upload is accepted
    assert path.read_bytes() == data


def test_one_rule_for_files_a_command_writes(tmp_path):
    from workbench.commands import check_output
    from workbench.errors import WorkbenchError

    check_output(tmp_path / "new.tmx", force=False)  # a new file in an existing folder: fine
    (tmp_path / "old.tmx").write_text("kept")
    with pytest.raises(WorkbenchError, match="already exists; pass --force"):
        check_output(tmp_path / "old.tmx", force=False)
    check_output(tmp_path / "old.tmx", force=True)
    with pytest.raises(WorkbenchError, match="does not exist"):
        check_output(tmp_path / "missing" / "x.tmx", force=True)
    with pytest.raises(WorkbenchError, match="not a file"):
        check_output(tmp_path, force=True)


# --------------------------------------------------------------------------- names and paths
LONG = "a" * 300 + ".txt"


@pytest.mark.parametrize("argv", [
    ["segment", LONG], ["cite", "--no-embed", LONG], ["check", LONG],
    ["export", "--zh", LONG, "--en", LONG, "--out", "x.tmx"], ["export", "--zh", "a", "--en", "b", "--out", "/tmp/" + "b" * 300 + ".tmx"],
])
def test_a_name_longer_than_the_file_system_allows_is_a_clear_error_in_every_command(home, argv, capsys):
    from workbench.cli import main

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "too long for the file system" in err and "Traceback" not in err


@pytest.mark.parametrize("code,reason", [(errno.EROFS, "read-only"), (errno.ENOSPC, "disk is full"),
                                         (errno.EACCES, "permission denied")])
def test_operating_system_errors_name_the_file_and_say_why_plainly(home, monkeypatch, capsys, code, reason):
    from workbench import corpus
    from workbench.cli import main

    def refuse(path, *args, **kwargs):
        raise OSError(code, "raw wording", str(path))

    monkeypatch.setattr(corpus, "read_document", refuse)
    assert main(["segment", str(home / "x.zh.txt")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {home / 'x.zh.txt'}: ") and reason in err and "raw wording" not in err


def test_an_upload_named_only_by_its_language_keeps_the_tag(tmp_path):
    from workbench.uploads import accept_upload, clean_name, named_language

    assert named_language(clean_name(" .zh.txt")) == "zh"
    path, doc = accept_upload("报告发表于五月。它建议设立联合基金。".encode(), " .zh.txt", tmp_path)
    assert path.name == "document.zh.txt" and doc.lang == "zh"


ZH_DOC = "量子计算可能在十年内改变密码学。美国和欧洲正在投资建设新的研究中心。\n".encode()


def _page_failures(at) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.error if "page failed" in e.value or "Traceback" in e.value]


def test_a_file_name_that_is_not_utf8_is_one_row_and_every_page_keeps_working(home):
    from app_driver import app

    (home / "corpus" / "good.zh.txt").write_bytes(ZH_DOC)
    with open(bytes(home / "corpus") + b"/bad\xff\xfe.zh.txt", "wb") as f:
        f.write(ZH_DOC)
    at = app().run()
    assert not _page_failures(at)
    table = at.dataframe[0].value
    assert list(table["document"]) == ["bad\ufffd\ufffd.zh.txt", "good.zh.txt"]
    assert "not valid UTF-8" in table["notes"][0] and table["language"][1] == "zh"
    for page in ("citations", "terms", "export", "review"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not _page_failures(at), page


@pytest.mark.parametrize("failure", [OSError(errno.EIO, "Input/output error"), KeyError("word/footnotes.xml")])
def test_one_file_that_cannot_be_read_is_a_row_with_its_error(home, monkeypatch, failure):
    from app_driver import app

    from workbench.ui import shell

    (home / "corpus" / "good.zh.txt").write_bytes(ZH_DOC)
    (home / "corpus" / "hostile.en.txt").write_bytes(b"The report was published in May.\n")
    real = shell.read_document

    def read(path, *args, **kwargs):
        if path.name == "hostile.en.txt":
            raise failure
        return real(path, *args, **kwargs)

    monkeypatch.setattr(shell, "read_document", read)
    at = app().run()
    assert not _page_failures(at)
    table = at.dataframe[0].value
    assert list(table["document"]) == ["good.zh.txt", "hostile.en.txt"]
    assert type(failure).__name__ in table["notes"][1] or "Input/output error" in table["notes"][1]
    for page in ("citations", "terms"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not _page_failures(at), page


def test_a_pasted_file_name_with_markdown_is_shown_as_typed_not_as_a_link(home):
    from app_driver import app

    at = app().run()
    at.text_input(key="paste_name").input("[click here](https://evil.example/steal)")
    at.text_area(key="paste_text").input("A pasted English sentence. And another one here.")
    at.button(key="add_paste").click().run()
    shown = [e.value for e in at.error]
    assert shown and not any(re.search(r"(?<!\\)\]\(|https://", e) for e in shown), shown
    assert any(r"\[click here\]" in e for e in shown), shown


# --------------------------------------------------------------------------- the Export page
def _two_pairs_sharing_the_chinese_document(store):
    from handmade import make_document, one_to_one

    from workbench import review

    zh = make_document("report.zh.txt", "zh", [[f"第{i}句中文。" for i in range(3)]])
    pairs = []
    for name in ("report.en.txt", "report-v2.en.txt"):
        en = make_document(name, "en", [[f"English sentence {i} of {name}." for i in range(3)]])
        pairs.append(review.align_pair(store, zh, en, one_to_one(3), model="hand-made")[0])
    return pairs


def test_two_pairs_sharing_a_chinese_document_save_to_two_files_and_nothing_is_overwritten_unasked(home, store):
    from app_driver import on_page

    first, second = _two_pairs_sharing_the_chinese_document(store)
    exports = home / "aligned" / "exports"
    at = on_page("ui/pages/export.py")
    at.selectbox(key="export_pair").set_value(first.id).run()
    at.button(key="export_save").click().run()
    at.selectbox(key="export_pair").set_value(second.id).run()
    at.button(key="export_save").click().run()
    assert not _page_failures(at)
    assert sorted(p.name for p in exports.iterdir()) == ["report.zh+report-v2.en.tmx", "report.zh+report.en.tmx"]

    kept = (exports / "report.zh+report-v2.en.tmx").read_bytes()
    at.text_input(key="export_srclang").input("zh-CN").run()  # a different export under the same name
    at.button(key="export_save").click().run()
    assert (exports / "report.zh+report-v2.en.tmx").read_bytes() == kept  # not replaced without asking
    assert any("already exists" in e.value and "Replace" in e.value for e in at.error), [e.value for e in at.error]
    at.checkbox(key="export_replace_report.zh+report-v2.en.tmx").check().run()
    at.button(key="export_save").click().run()
    assert (exports / "report.zh+report-v2.en.tmx").read_bytes() != kept  # replaced once asked
    assert not any(".part" in p.name for p in exports.iterdir())
    assert not at.checkbox(key="export_replace_report.zh+report-v2.en.tmx").value  # the next save asks again


def _docx_with_a_malformed_footnotes_part(path: Path) -> None:
    """A real Word file (python-docx) whose footnotes part, properly linked, is cut-off XML."""
    import zipfile

    import docx

    plain = path.with_suffix(".plain.docx")
    document = docx.Document()
    document.add_paragraph("The report was published in May. It recommends a joint fund.")
    document.save(plain)
    footnotes = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    relation = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/word/footnotes.xml" ContentType="{footnotes}"/></Types>'.encode())
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", f'<Relationship Id="rIdNotes" Type="{relation}" Target="footnotes.xml"/></Relationships>'.encode())
            out.writestr(item, data)
        out.writestr("word/footnotes.xml", '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/'
                                           'wordprocessingml/2006/main"><w:footnote w:id="1"><w:p>cut off')
    plain.unlink()


def test_a_docx_with_a_malformed_footnotes_part_never_breaks_a_page(home):
    from app_driver import app

    (home / "corpus" / "good.zh.txt").write_bytes(ZH_DOC)
    _docx_with_a_malformed_footnotes_part(home / "corpus" / "hostile.en.docx")
    at = app().run()
    assert not _page_failures(at)
    table = at.dataframe[0].value
    assert list(table["document"]) == ["good.zh.txt", "hostile.en.docx"]
    assert table["language"][1] == "en" or "cannot read" in table["notes"][1]  # its readable rest, or its error
    for page in ("citations", "terms", "export", "review"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not _page_failures(at), page


def test_a_file_name_that_is_not_utf8_is_a_clear_error_where_a_command_must_store_it(home, capsys):
    from workbench.cli import main

    bad = bytes(home) + b"/bad\xff.zh.txt"
    with open(bad, "wb") as f:
        f.write(ZH_DOC)
    name = bad.decode("utf-8", "surrogateescape")
    assert main(["cite", "--no-embed", "--save", name]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not valid UTF-8" in err and "bad\ufffd.zh.txt" in err
