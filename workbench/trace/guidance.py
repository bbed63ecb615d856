"""Citation guidance: which library source each footnote of the Chinese article cites, which sources
each paragraph cites, and where a cited source has no passage the paragraph renders.

A note names its source by URL, title and organisation (``workbench.citations``); a library source
knows its file name and, when the text states them, its own title and URL. A note and a source match by
URL (scheme, ``www.`` and trailing slashes ignored) or, failing that, by title: most of the note title's
words appear in the source's own title or file name, and none of its numbers is missing where the source
names others (a part, volume or year tells two reports of one series apart); of the sources a work's title
matches only the closest are linked (a library holding Parts 1–3 of a report links the part the note names,
not all three). The words are compared by hand because titles are short and a token containment test says
exactly what is meant; no fuzzy-matching library is needed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.citations import CitationReport, CitedWork, Note, analyze_citations
from workbench.model import Document
from workbench.trace.engine import TraceResult
from workbench.trace.library import SourceInfo, SourceLibrary

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset("a an the of and or for in on to by with from at as is are its their our us vs".split())
TITLE_SHARE = 0.7  # share of the note title's words the source's title or name must hold


@dataclass(frozen=True)
class SourceCitation:
    """A library source cited by a note of the article."""

    note: int
    source: int
    source_name: str
    how: str  # "url" or "title"
    title: str  # the note's title of the cited work
    url: str
    organisation: str
    source_title: str  # the source document's own title


@dataclass(frozen=True)
class CitedGap:
    """A paragraph cites a library source, and no passage of that source was found in the paragraph."""

    paragraph: int
    source: int
    source_name: str
    note: int

    def message(self) -> str:
        """For an editor: paragraph and note counted from 1, as the Tracing page and the listing count them."""
        return (f"paragraph {self.paragraph + 1} cites note {self.note + 1} ({self.source_name}): "
                "the cited source has no passage this paragraph renders")


def _url_key(url: str) -> str:
    url = re.sub(r"^[a-z]+://", "", url.strip().lower())
    url = re.sub(r"^www\.", "", url)
    return url.rstrip("/")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and (len(w) > 1 or w.isdigit())}


def note_matches(note: Note, source: SourceInfo) -> str | None:
    """How ``note`` names ``source`` ("url" / "title"), or None; a note citing several works names each one's."""
    found = cited_work(note, source)
    return found[1] if found else None


def cited_work(note: Note, source: SourceInfo) -> tuple[CitedWork, str] | None:
    """The work of ``note`` that names ``source``, and how ("url" / "title")."""
    return next(((work, how) for work in note.works() if (how := _work_matches(work, source))), None)


def _work_matches(note: CitedWork, source: SourceInfo) -> str | None:
    if note.url and source.url:
        a, b = _url_key(note.url), _url_key(source.url)
        if a and b and (a == b or a.startswith(b + "/") or b.startswith(a + "/")):
            return "url"
    return "title" if title_share(note, source) >= TITLE_SHARE else None


def title_share(note: CitedWork, source: SourceInfo) -> float:
    """The share of the note title's words found in the source's own title or file name; 0 where the title is
    a single word or names a number (a part, volume or year) where the source names another."""
    wanted = _words(note.title)
    if len(wanted) < 2:
        return 0.0
    name = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", source.name).replace("_", " ").replace("-", " ")
    have = _words(source.title) | _words(name)
    # a source naming other numbers is another part, volume or year; one naming none (a title page that put the
    # year on a line of its own, a file saved as "weo.pdf") may still be the work
    if any(w.isdigit() and w not in have for w in wanted) and any(w.isdigit() for w in have):
        return 0.0
    return len(wanted & have) / len(wanted)


def link_sources(report: CitationReport, library: SourceLibrary) -> list[SourceCitation]:
    """Every (note, library source) pair where the note cites the source: by URL, or by title where no other
    source matches that work's title more closely."""
    out = []
    sources = library.sources()
    for note in report.notes:
        chosen: dict[int, tuple[CitedWork, str]] = {}
        for work in note.works():
            hows = {s.id: how for s in sources if (how := _work_matches(work, s))}
            best = max((title_share(work, s) for s in sources if s.id in hows), default=0.0)  # a URL match's too
            for s in sources:
                if hows.get(s.id) == "url" or (hows.get(s.id) == "title" and title_share(work, s) >= best):
                    chosen.setdefault(s.id, (work, hows[s.id]))
        for source in sources:
            if source.id in chosen:
                work, how = chosen[source.id]
                out.append(SourceCitation(note.index, source.id, source.name, how, work.title, work.url,
                                          work.authors, source.title))
    return out


@dataclass
class Guidance:
    """What the article's citations say about the library: the report, the note→source links, and for each
    paragraph the library sources its notes cite (paragraph → source → note)."""

    report: CitationReport
    citations: list[SourceCitation]
    cited: dict[int, dict[int, int]]
    copies: dict[int, set[int]] = field(default_factory=dict)  # source → the sources one of its notes also names that hold its text

    def cited_sources(self) -> dict[int, set[int]]:
        return {p: set(sources) for p, sources in self.cited.items()}

    def cited_names(self) -> dict[int, set[str]]:
        """Paragraph → the names of the library sources its notes cite (a pair confirmed from one of them and
        found again through the library's copy of it is cited too, as the Tracing page says)."""
        names = {c.source: c.source_name for c in self.citations}
        return {p: {names[s] for s in sources} for p, sources in self.cited.items()}

    def gaps(self, result: TraceResult) -> list[CitedGap]:
        """Paragraphs citing a library source that none of their chosen passages comes from; a note that
        names two copies of one report (its web page and its PDF: ``copies``) is served by a passage from either,
        and a note naming two different works still misses the one nothing comes from."""
        found: dict[int, set[int]] = {}
        for passage in result.passages:
            for i in passage.zh:
                found.setdefault(result.article.paragraphs[i], set()).add(passage.source)
        names = {c.source: c.source_name for c in self.citations}
        return [CitedGap(p, s, names[s], note) for p, sources in sorted(self.cited.items())
                for s, note in sorted(sources.items())
                if s not in found.get(p, set()) and not self.copies.get(s, set()) & found.get(p, set())]


def guidance(doc: Document, library: SourceLibrary, embedder=None) -> Guidance:
    report = analyze_citations(doc, embedder)
    citations = link_sources(report, library)
    by_note: dict[int, list[SourceCitation]] = {}
    for c in citations:
        by_note.setdefault(c.note, []).append(c)
    cited: dict[int, dict[int, int]] = {}
    for paragraph, notes in report.paragraph_notes.items():
        for note in notes:
            for c in by_note.get(note, []):
                cited.setdefault(paragraph, {}).setdefault(c.source, note)
    return Guidance(report, citations, cited, note_copies(citations, library))


COPY_SHARE = 0.5  # two sources are copies of one report where this share of the smaller one's sentences reads the same


def note_copies(citations: list[SourceCitation], library: SourceLibrary) -> dict[int, set[int]]:
    """For each source a note names with others, those of them that hold the same text (``copies.text_key``): the
    web page and the PDF of one report, both matched by its URL or title."""
    from workbench.trace.copies import text_key

    by_note: dict[int, set[int]] = {}
    for c in citations:
        by_note.setdefault(c.note, set()).add(c.source)
    texts: dict[int, set[str]] = {}

    def text_of(source: int) -> set[str]:
        if source not in texts:
            n = library.source(source).sentences
            texts[source] = {text_key(h.text) for h in library.window(source, 0, 2**31 - 1)} if n else set()  # all
        return texts[source]

    out: dict[int, set[int]] = {}
    for sources in by_note.values():
        for a in sources:
            for b in sources - {a}:
                small = min(len(text_of(a)), len(text_of(b)))
                if small and len(text_of(a) & text_of(b)) >= COPY_SHARE * small:
                    out.setdefault(a, set()).add(b)
    return out
