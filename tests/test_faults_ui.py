"""Fault injection for the app, uploads and the CLI: what a hostile network, a full disk or a strange file
name does. Each test names the failure it provokes; none may end in a traceback or a half-written file."""
from __future__ import annotations

import errno
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
