"""Counting the files a page parses, with file reads recorded under a test's own folder (Corpus and Review on a
new server: what the read records spare is counted in parses, never timed)."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from workbench import file_reads
from workbench.ui import shell


def count_parses(monkeypatch, folder: Path) -> list[str]:
    """The names of the files parsed from now on; read records kept under ``folder``."""
    monkeypatch.setattr(file_reads, "_record", lambda fp: folder / "reads" / f"{fp}.json")
    names: list[str] = []
    real = shell.read_document
    monkeypatch.setattr(shell, "read_document", lambda path, *a: names.append(path.name) or real(path, *a))
    return names


def new_server() -> None:
    """Forget what this process parsed and hashed, as a server started anew has."""
    st.cache_resource.clear()
    file_reads._fingerprint.cache_clear()
