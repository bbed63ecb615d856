"""Reading an editor's glossary CSV (English/Chinese term pairs), in UTF-8, or in UTF-16 or GBK as Excel saves it."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from workbench import charlm
from workbench.errors import WorkbenchError

_GLOSSARY_HEADERS = {"en": "en", "english": "en", "英文": "en", "zh": "zh", "chinese": "zh", "中文": "zh"}


def read_glossary(path: str | Path) -> list[tuple[str, str]]:
    """A glossary CSV of English/Chinese term pairs, as ``(en, zh)``.

    Comma-separated, or tab-separated when the first line has a tab and no comma. A header row (``en,zh``,
    ``zh,en``, ``English,Chinese``…) names the columns; without one, the column
    whose cells hold Chinese characters is the Chinese one, so a ``zh,en`` file is never read reversed.
    """
    from workbench.ingest.text import sure_text

    p = Path(path)
    if p.is_dir():
        raise WorkbenchError(f"glossary {p} is a folder: name the CSV file in it")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise WorkbenchError(f"glossary file not found: {p}") from None
    except OSError as exc:
        raise WorkbenchError(f"cannot read glossary {p}: {exc.strerror or exc}") from None
    # Excel on a Chinese Windows saves GBK or UTF-16: read as batch manifests are, when the reading is sure
    text = sure_text(data, p.name, f"cannot read glossary {p} as CSV")
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Excel's only UTF-16 format, "Unicode Text", separates the columns by tabs
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)  # a quoted field may hold a line break
    try:
        rows = [(reader.line_num, r) for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise WorkbenchError(f"{p}: not a readable CSV file (line {reader.line_num}: {exc})") from None
    if not rows:
        return []
    header = [_GLOSSARY_HEADERS.get(c.strip().lower()) for c in rows[0][1][:2]]
    if sorted(h for h in header if h) == ["en", "zh"]:
        zh_first = header[0] == "zh"
        rows = rows[1:]
    else:
        firsts = [r for _, r in rows if r and any(charlm.is_hanzi(ch) for ch in r[0])]
        zh_first = len(firsts) > len(rows) / 2
    out = []
    for line, row in rows:
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise WorkbenchError(f"{p}: line {line} must have an English and a Chinese term, got {row!r}")
        zh, en = (row[0], row[1]) if zh_first else (row[1], row[0])
        out.append((en.strip(), zh.strip()))
    return out
