"""``trace --json`` and ``batch --trace --json`` say "cited" as the Tracing page does: a pair the editor confirmed
from the cited report, found again through the library's copy of it after the report was edited, was
``"cited": false`` in the JSON while the page said cited (session 37 — audit12's Left)."""
from __future__ import annotations

import trace_fixtures as fx

from workbench import trace_review
from workbench.trace import SourceSentence, SourceText
from workbench.trace.library_confirmed import sync_confirmed
from workbench.trace_records import passage_records


def test_a_confirmed_pair_found_through_its_copy_is_cited_in_the_json_as_on_the_page(store, tmp_path):
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    document = fx.stored_article(store)
    first = trace_review.trace_document(store, document, library, emb)
    item = fx.rendering_items(trace_review.review_view(store, first)[1])[0]
    trace_review.confirm(store, first, item.item, version=0)
    confirmed = item.candidates[0]
    edited = [t.replace("about topic", "concerning topic") if k in confirmed.en else t
              for k, t in enumerate(fx.ENGLISH)]  # the confirmed English now reads otherwise in the report
    library.add(SourceText("report.txt", "lines", [SourceSentence(k, t) for k, t in enumerate(edited)],
                           title="The Report", url=fx.REPORT_URL))
    sync_confirmed(store, library)
    context = trace_review.store_context(store, document)
    traced = trace_review.trace_stored(store.load_document(document), library, emb, context)
    records = passage_records(traced.result, library, context.origins, traced.cites)
    page = {c.zh_text: c.cited for c in traced.candidates if c.rank == 0}
    again = [r for r in records if r["zh_text"] == confirmed.zh_text]
    assert again and again[0]["source"] == "report.txt" and page[confirmed.zh_text]
    assert all(r["cited"] == page[r["zh_text"]] for r in records), [(r["zh_text"], r["cited"]) for r in records]
    library.close()
