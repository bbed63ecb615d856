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
