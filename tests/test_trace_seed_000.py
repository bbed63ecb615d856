"""Seed 000 with a few of its cited sources saved as text: the Citations view (markers → notes, as the
Citations page stores and shows them) and the tracing view (the trace's cited notes → library sources, as
the Tracing page shows them) agree on which paragraph cites which note and which note is which source.

There is no network here, so the sources are stand-ins written for this test: each is a page as a user
saves it (title line, URL line, body), whose title and URL are those the article's notes give; the body
text is ours and does NOT claim to be the real document's text. Agreement of the two views depends on
the notes and the saved titles/URLs only, not on the bodies.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbench import citation_review, trace_review
from workbench.corpus import read_document
from workbench.trace import SourceLibrary, read_source
from workbench.trace.guidance import guidance

SEED = Path(__file__).resolve().parent.parent / "corpus" / "000_c7c078eeda29347c.zh.txt"

# (file name, title line, URL line) — the title and URL as notes ② (re-cited as ⑮), ⑩ and ⑫ give them.
SAVED = [
    ("common-code.txt", "Common Code: An Alliance Framework for Democratic Technology Policy",
     "https://www.cnas.org/publications/reports/common-code"),
    ("transatlantic-green-deal.txt", "Toward a New Transatlantic Green Deal",
     "https://carnegieendowment.org/2020/10/06/toward-new-transatlantic-greendeal-pub-82855"),
    ("new-big-brother.txt", "The New Big Brother: China and Digital Authoritarianism",
     "https://www.foreign.senate.gov/imo/media/doc/2020%20SFRC%20Minority%20Staff%20Report%20-%20The%20New%20Big"
     "%20Brother%20-%20China%20and%20Digital%20Authoritarianism.pdf"),
]
STAND_IN_BODY = [  # written for this test; not the documents' text
    "This saved copy stands in for the page named above.",
    "Its paragraphs discuss technology policy among allied governments in general terms.",
    "Governments coordinate standards, research funding and export rules with their partners.",
    "The page ends with a list of recommendations for policymakers.",
]


def _save_sources(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for name, title, url in SAVED:
        path = folder / name
        path.write_text(f"{title}\n\n{url}\n\n" + "\n\n".join(STAND_IN_BODY) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def _url_key(url: str) -> str:
    return re.sub(r"^(https?://)?(www\.)?", "", url.strip().lower()).rstrip("/")


@pytest.fixture(scope="module")
def views(tmp_path_factory, embedder):
    """Both views of seed 000 over one store: the Citations page's stored analysis and a stored trace."""
    from workbench.store import Store

    root = tmp_path_factory.mktemp("seed000")
    store = Store(root / "workbench.db")
    library = SourceLibrary(root / "library", embedder)
    for path in _save_sources(root / "saved"):
        library.add(read_source(path))
    doc = read_document(SEED)
    saved = citation_review.analyse_and_save(store, doc, embedder)
    trace_id = trace_review.trace_document(store, saved.document.id, library, embedder)
    _, paragraphs = trace_review.review_view(store, trace_id)
    yield store, saved.document.id, trace_id, library, paragraphs
    library.close()
    store.close()


def test_saved_pages_state_the_titles_and_urls_the_notes_give(views):
    _, _, _, library, _ = views
    by_name = {s.name: s for s in library.sources()}
    for name, title, url in SAVED:
        assert by_name[name].title == title and _url_key(by_name[name].url) == _url_key(url)


def test_citations_and_tracing_views_agree_on_paragraph_notes(views):
    store, doc_id, trace_id, _, _ = views
    citations_view = {(lk.paragraph, lk.note) for lk in store.citation_links(doc_id) if lk.note is not None}
    tracing_view = {(c.paragraph, c.note) for c in store.trace_citations(trace_id)}
    assert citations_view and tracing_view == citations_view


def test_citations_and_tracing_views_agree_on_which_note_is_which_source(views):
    store, doc_id, trace_id, library, paragraphs = views
    notes = {n.index: n for n in store.citation_notes(doc_id)}
    sources = {s.name: s for s in library.sources()}
    # the tracing view: each cited note with the library source it names
    traced = {c.note: c.source for c in store.trace_citations(trace_id)}
    # what the Citations view's notes say: a saved page is that note's source when its URL is the note's URL
    by_url = {_url_key(s.url): s.name for s in sources.values()}
    expected = {j: by_url.get(_url_key(notes[j].url)) for j in traced}
    assert traced == expected
    linked = {j: name for j, name in traced.items() if name}
    assert set(linked.values()) == {name for name, _, _ in SAVED}, linked
    # every note, cited in the text or not, names the page saved under its URL (② and its re-citation ⑮
    # both name the Common Code page), in the engine's note → source links as well
    every = {(j, by_url[_url_key(n.url)]) for j, n in notes.items() if _url_key(n.url) in by_url}
    assert len([j for j, name in every if name == "common-code.txt"]) == 2
    guide = guidance(read_document(SEED), library)
    assert {(c.note, c.source_name) for c in guide.citations} == every
    # and the Tracing page's paragraphs carry those notes with those sources
    shown = {(c.note, c.source) for p in paragraphs for c in p.citations}
    assert {(j, name) for j, name in linked.items()} <= shown


def test_an_editors_relink_on_the_citations_page_reaches_the_tracing_view(views, embedder):
    store, doc_id, _, library, _ = views
    link = next(lk for lk in store.citation_links(doc_id) if lk.note is not None)
    other = next(j for j in sorted(n.index for n in store.citation_notes(doc_id)) if j != link.note)
    store.relink_citation(doc_id, link.marker_index, other)
    try:
        trace_id = trace_review.trace_document(store, doc_id, library, embedder)
        tracing_view = {(c.paragraph, c.note) for c in store.trace_citations(trace_id)}
        citations_view = {(lk.paragraph, lk.note) for lk in store.citation_links(doc_id) if lk.note is not None}
        assert (link.paragraph, other) in tracing_view and tracing_view == citations_view
    finally:
        store.relink_citation(doc_id, link.marker_index, link.note)
        trace_review.trace_document(store, doc_id, library, embedder)  # the module's other tests see the links as analysed


def test_the_two_pages_show_the_same_notes_and_sources(views, monkeypatch):
    """The same agreement as the pages show it (AppTest): each note the Tracing page lists under a paragraph
    is a note a marker of that document cites on the Citations page, with the same URL, and the library
    source named beside it is the page saved under that URL."""
    from app_driver import ok, on_page

    store, doc_id, trace_id, library, _ = views
    monkeypatch.setenv("WORKBENCH_HOME", str(store.path.parent))
    monkeypatch.setenv("WORKBENCH_DB", str(store.path))
    (store.path.parent / "corpus").mkdir(exist_ok=True)
    cites = ok(on_page("ui/pages/citations.py"))
    chosen = {sb.value for sb in cites.selectbox if str(sb.key).startswith(f"relink_{doc_id}_")}
    shown_urls = " ".join(m.value for m in cites.markdown)
    tracing = ok(on_page("ui/pages/trace.py"))
    captions = [c.value for c in tracing.caption if c.value.startswith("note ")]
    assert captions
    by_url = {_url_key(s.url): s.name for s in library.sources()}
    notes = {n.index: n for n in store.citation_notes(doc_id)}
    for caption in captions:
        note = int(caption.split()[1]) - 1
        assert note in chosen, caption
        assert notes[note].url and notes[note].url in shown_urls.replace("\\", ""), caption
        source = re.search(r"→ library source \*\*(.+?)\*\*", caption)
        assert (source.group(1) if source else None) == by_url.get(_url_key(notes[note].url)), caption
    assert not [w.value for w in tracing.warning if "Citations page" in w.value]
    link = next(lk for lk in store.citation_links(doc_id) if lk.note is not None)
    store.relink_citation(doc_id, link.marker_index, None)  # the editor unlinks a marker after the trace
    try:
        tracing = ok(on_page("ui/pages/trace.py"))
        assert [w.value for w in tracing.warning if "Citations page changed since this trace" in w.value]
    finally:
        store.relink_citation(doc_id, link.marker_index, link.note)
