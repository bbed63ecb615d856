"""Word-processor files older than .docx that editors still receive: Word 97–2003 ``.doc`` (and WPS Office's
``.wps``, the same binary format; a ``.doc`` renamed ``.docx``) and ``.rtf``; and the files that are no document
this workbench can read (a password-protected Office file, an Apple Pages or CNKI CAJ file), named for what they are.

No well-kept Python library reads Word's binary format (antiword and catdoc are unmaintained C programs; a parser
of the format by hand would be a project of its own), and RTF carries Chinese as code-page escapes that the small
RTF strippers garble. LibreOffice reads both as Word does: where it is installed it converts the file to .docx at
read time, which the .docx reader reads (footnotes, headings, tables as for any .docx). Without it the file is
refused with what to do: save it as .docx.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.ingest import Extracted

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a Compound File: Office 97–2003, and encrypted Office 2007+ files
RTF = b"{\\rtf"
CONVERT_SECONDS = 120  # a long report converts in a few seconds; a password prompt or a hang never ends
_WHAT = {"doc": "a Word 97–2003 (.doc) file", "rtf": "an RTF file"}
_SAVE_AS = "open it in Word, WPS Office or LibreOffice and save it as .docx, then add that"


def _stream(data: bytes, name: str) -> bool:
    """Whether the Compound File's directory names stream ``name`` (directory names are UTF-16)."""
    return name.encode("utf-16-le") in data


# Files an editor may have that nothing here reads, by suffix where their bytes say nothing plain: what to do
UNREAD = {
    ".pages": "an Apple Pages document: in Pages choose File ▸ Export To ▸ Word and add the .docx",
    ".caj": "a CNKI CAJ file: download the article as PDF from CNKI (PDF下载) and add that",
    ".kdh": "a CNKI KDH file: download the article as PDF from CNKI (PDF下载) and add that",
    ".nh": "a CNKI thesis (.nh) file: download it as PDF from CNKI and add that",
}


def legacy_kind(data: bytes) -> str | None:
    """"doc" (a Word binary document, whatever its name), "rtf", "encrypted" (an Office 2007+ file with a
    password: Word keeps it in a Compound File's "EncryptedPackage"), "pages" (Apple iWork's zip package), or
    None."""
    if data.startswith(RTF):
        return "rtf"
    if data.startswith(b"PK\x03\x04") and b"Index/Document.iwa" in data:
        return "pages"
    if data.startswith(OLE):
        if _stream(data, "EncryptedPackage"):
            return "encrypted"
        if _stream(data, "WordDocument"):
            return "doc"  # with a password too: LibreOffice then converts nothing, and the refusal says so
    return None


def soffice() -> str | None:
    """LibreOffice's program, if installed (Debian's ``soffice``; some packages name it ``libreoffice``)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def legacy_text(data: bytes, name: str, kind: str) -> Extracted:
    """The document read through LibreOffice's conversion to .docx; a ``WorkbenchError`` saying what to do
    where LibreOffice is missing or cannot convert it."""
    from workbench.ingest.docx import docx_text

    if kind == "pages":
        raise WorkbenchError(f"{name}: {UNREAD['.pages']}")
    if kind == "encrypted":
        raise WorkbenchError(f"{name}: the Word file is password-protected (encrypted); open it in Word or WPS "
                             "Office, remove the password (File ▸ Info ▸ Protect Document), save it as .docx and "
                             "add that copy")
    what = _WHAT[kind]
    program = soffice()
    if program is None:
        raise WorkbenchError(f"{name}: {what}, which this workbench reads only with LibreOffice installed (it is "
                             f"not): {_SAVE_AS}")
    with tempfile.TemporaryDirectory(prefix="workbench-convert-") as folder:
        source = Path(folder) / f"document.{kind}"  # by content: a .wps or a renamed .docx is converted as what it is
        source.write_bytes(data)
        # a profile of its own: conversions side by side, or beside the user's open LibreOffice, never share one
        command = [program, f"-env:UserInstallation={(Path(folder) / 'profile').as_uri()}", "--headless",
                   "--norestore", "--convert-to", "docx:MS Word 2007 XML", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False,
                           stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise WorkbenchError(f"{name}: LibreOffice did not convert this {what.split(' ', 1)[1]} in "
                                 f"{CONVERT_SECONDS} s (password-protected or damaged?): {_SAVE_AS}") from exc
        except OSError as exc:
            raise WorkbenchError(f"{name}: {what}; LibreOffice ({program}) could not be started ({exc.strerror or exc}): "
                                 f"{_SAVE_AS}") from exc
        converted = source.with_suffix(".docx")
        if not converted.is_file():
            raise WorkbenchError(f"{name}: LibreOffice could not read this {what.split(' ', 1)[1]} (damaged or "
                                 f"password-protected?): {_SAVE_AS}")
        extracted = docx_text(converted.read_bytes(), name)
    extracted.encoding = kind
    return extracted
