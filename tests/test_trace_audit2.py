"""Session 24's walk through source tracing as a new user (audit2): what the Tracing page, its export
and the ``trace``/``library`` commands said that did not match what the editor saw."""
from __future__ import annotations

import trace_fixtures as fx

from workbench import trace_review
from workbench.store.traces import TraceCandidate, TraceCitation, TraceDecision
from workbench.trace_export import trace_units


def _candidate(item: int, rank: int, source: str) -> TraceCandidate:
    return TraceCandidate(item, rank, 3, (5,), "中文。", source, (rank,), "English.", 0.5 - rank / 10, False)


def _paragraph(decision: TraceDecision | None = None) -> trace_review.ParagraphView:
    """Paragraph 3 cites cited.html; its passage comes from other.docx, and cited.html is only the picker's
    second candidate."""
    view = trace_review.ParagraphView(3, "中文。", [TraceCitation(3, 1, "②", "The Report", "", "cited.html")])
    view.items.append(trace_review.ItemView(0, [_candidate(0, 0, "other.docx"), _candidate(0, 1, "cited.html")],
                                            decision))
    return view


def test_a_cited_source_only_among_the_alternatives_is_a_gap_as_trace_reports_it():
    """The page counted every alternative in the picker as a passage of the paragraph, so the note the
    ``trace`` listing reported ("the cited source has no passage this paragraph renders") was not shown."""
    assert [c.source for c in _paragraph().gaps()] == ["cited.html"]


def test_a_confirmed_alternative_from_the_cited_source_closes_the_gap():
    confirmed = TraceDecision(0, "confirmed", 1, "2026-01-01T00:00:00Z")
    assert _paragraph(confirmed).gaps() == []


def test_a_rejected_passage_from_the_cited_source_leaves_the_gap():
    view = _paragraph(TraceDecision(0, "rejected", 0, "2026-01-01T00:00:00Z"))
    view.items[0].candidates = [_candidate(0, 0, "cited.html"), _candidate(0, 1, "other.docx")]  # the engine chose the cited source
    assert [c.source for c in view.gaps()] == ["cited.html"]


def test_the_exported_bead_counts_sentences_from_1_as_the_page_does(store, tmp_path):
    """The page said "sentences 13" and the TMX x-bead / CSV bead said "en 12": every other export's bead
    column counts from 1 (``workbench --help``); the sentence columns stay 0-based."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    trace_id = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    library.close()
    item = fx.rendering_items(trace_review.review_view(store, trace_id)[1])[0]
    trace_review.confirm(store, trace_id, item.item, version=0)
    unit = trace_units(store, trace_id)[0]
    zh, en = item.shown.zh, item.shown.en
    assert unit.zh_sentences == zh and unit.en_sentences == en
    assert unit.bead.endswith(f"zh {zh[0] + 1} en {en[0] + 1}") or unit.bead.endswith(f"en {en[0] + 1}-{en[-1] + 1}")


def test_a_retrace_names_the_confirmed_pairs_it_did_not_carry_over(store, tmp_path):
    """A source removed from the library, then Trace: the page said "4 earlier decisions carried over" and
    nothing of the confirmed pairs that had just left the export with the removed source."""
    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    document = fx.stored_article(store)
    first = trace_review.trace_document(store, document, library, emb)
    items = fx.rendering_items(trace_review.review_view(store, first)[1])
    version = trace_review.confirm(store, first, items[0].item, version=0)
    trace_review.reject(store, first, items[1].item, version=version)
    assert trace_review.dropped_decisions(store, first, first) == []
    second = trace_review.trace_document(store, document, library, emb)  # nothing changed: everything carries
    assert trace_review.dropped_decisions(store, first, second) == [] and trace_review.dropped_message([]) == ""
    library.remove("report.txt")
    library.add(fx.SourceText("filler.txt", "lines", [fx.SourceSentence(0, "Nothing the article renders.")]))
    third = trace_review.trace_document(store, document, library, emb)
    dropped = trace_review.dropped_decisions(store, second, third)
    # session 25: the confirmed pair outlives its source (the library keeps its own text); the rejection goes
    assert [d.status for _, d in dropped] == ["rejected"]
    assert trace_review.dropped_message(dropped).startswith("1 rejection of the earlier trace did not carry")
    confirmed = items[0].shown.zh_text  # its Chinese revised: the confirmation was of another text
    revised = store.add_document(fx.document_from_text(fx.article_text().replace(confirmed, "这句中文已经改写了。"),
                                                       "article.zh.txt", "zh")).id
    fourth = trace_review.trace_document(store, revised, library, emb)
    library.close()
    message = trace_review.dropped_message(trace_review.dropped_decisions(store, third, fourth))
    assert message.startswith("1 confirmed pair (1 from report.txt) of the earlier trace did not carry")
    assert "not in this trace's export" in message


def test_two_uploads_of_one_name_do_not_silently_replace_each_other(tmp_path):
    """report.txt from two folders in one upload: the page said "Added: report.txt (2 sentences); report.txt
    (2 sentences)" and the library held only the second. A source replacing a different earlier one of the
    same name is now said to, and the second of one batch is refused with the reason."""
    library = fx.build_library(tmp_path / "library", fx.embedder())
    first = b"The first report says one thing.\n\nIt says a second thing too.\n"
    second = b"A different report with the same file name.\n\nIt argues something else.\n"
    summary = trace_review.add_sources(library, [("new.txt", first), ("new.txt", second)])
    assert summary.added == 1 and [name for name, _ in summary.failures] == ["new.txt"]
    assert "rename one of them" in summary.failures[0][1]
    again = trace_review.add_sources(library, [("new.txt", first), ("report.txt", second)])
    library.close()
    assert again.skipped == 1 and again.replaced == ["report.txt"]
    assert again.names == ["report.txt (2 sentences; it replaced the library's earlier source of that name)"]
    assert again.lines()[0].endswith("0 failed; replaced the library's earlier report.txt")


OCEAN = ["Fishing fleets have grown rapidly since the nineteen fifties.",
         "The ocean covers more than seventy percent of the surface of the Earth.",
         "Rising sea temperatures are damaging coral reefs in many regions.",
         "Governments must cooperate to protect marine ecosystems.",
         "Plastic waste reaches the sea mostly through rivers."]
ARTICLE = ("这是作者自己的开场白，与任何来源都没有关系。\n\n"
           "海洋覆盖了地球表面百分之七十以上的面积。海水温度上升正在破坏许多地区的珊瑚礁。各国政府必须合作保护海洋生态系统。[1]\n\n"
           "最后一段同样引用了这份报告，却只谈作者自己的看法。[2]\n\n"
           "注释：\n\n[1] Example Institute, \"The Ocean Report,\" https://example.org/ocean\n\n"
           "[2] Example Institute, \"The Ocean Report,\" p. 12.\n")


def _ocean(tmp_path):
    zh = tmp_path / "article.zh.txt"
    zh.write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "ocean.txt").write_text("The Ocean Report\n\n" + "\n\n".join(OCEAN) + "\n", encoding="utf-8")
    return zh


def test_the_trace_listing_counts_from_1_as_the_tracing_page_does(tmp_path, capsys):
    """`trace` without --json listed "¶ 1; cites note 0" and "zh [1]" for what the Tracing page shows as
    "¶ 2", "note 1" and sentence 2 (and "paragraph 2 cites note 1" for the page's paragraph 3, note 2); --json keeps its 0-based ids."""
    from workbench.cli import main

    zh = _ocean(tmp_path)
    assert main(["trace", str(zh), str(tmp_path / "sources"), "--model", "bundled"]) == 0
    out = capsys.readouterr().out
    print(out)
    assert "¶ 2; cites note 1 → ocean.txt" in out
    assert "  zh [2] 海洋覆盖了" in out
    assert "paragraph 3 cites note 2 (ocean.txt): the cited source has no passage" in out
    assert main(["trace", str(zh), str(tmp_path / "sources"), "--model", "bundled", "--json"]) == 0
    assert '"zh": [1]' in capsys.readouterr().out


def test_trace_refuses_two_sources_of_one_name_and_reads_one_file_named_twice(tmp_path, capsys):
    """`trace ZH a/report.txt b/report.txt`: the second silently replaced the first, whose passages were
    never searched. Now refused, naming both; one file given twice (itself and its folder) is read once."""
    from workbench.cli import main

    zh = _ocean(tmp_path)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "ocean.txt").write_text("A different report.\n\nIt has its own sentences.\n", encoding="utf-8")
    assert main(["trace", str(zh), str(tmp_path / "sources"), str(tmp_path / "other" / "ocean.txt"),
                 "--model", "bundled"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: two sources are named ocean.txt") and "rename one" in err
    assert main(["trace", str(zh), str(tmp_path / "sources"), str(tmp_path / "sources" / "ocean.txt"),
                 "--model", "bundled", "--json"]) == 0
    assert capsys.readouterr().err.count("source ocean.txt:") == 1


def test_the_export_page_takes_the_latest_trace_of_a_revised_article_once(store, tmp_path):
    """An article revised and traced again: the Export page's traced units held the old revision's confirmed
    pairs and the new one's (each pair carried over twice), where the Tracing page offered the new ones."""
    from workbench.corpus import document_from_text
    from workbench.trace_export import all_trace_units

    emb = fx.embedder()
    library = fx.build_library(tmp_path / "library", emb)
    first = trace_review.trace_document(store, fx.stored_article(store), library, emb)
    for item in fx.rendering_items(trace_review.review_view(store, first)[1])[:2]:
        trace_review.confirm(store, first, item.item, version=None)
    revised = store.add_document(document_from_text("新加的一句开头的话。" + fx.article_text(), "article.zh.txt", "zh"))
    second = trace_review.trace_document(store, revised.id, library, emb)
    library.close()
    assert len(trace_units(store, second)) == 2
    assert [u.bead for u in all_trace_units(store)] == [u.bead for u in trace_units(store, second)]


def test_the_citations_page_opens_on_the_document_traced_and_keeps_it_over_a_reload(home, store):
    """From the Tracing page (article b) to the Citations page, which opened on the first document of the
    corpus (a) and, after a reload, always on it: its choice was kept neither in the store nor in step."""
    from app_driver import ok, on_page

    names = ["a_first.zh.txt", "b_second.zh.txt"]
    for name in names:
        (home / "corpus" / name).write_text("中国坚定支持多边治理体系。[1]\n\n注释\n\n[1] The Report.\n", encoding="utf-8")
    at = ok(on_page("ui/pages/trace.py", editor="mei"))
    ok(at.selectbox(key="trace_doc").set_value(names[1]).run())
    at.switch_page("ui/pages/citations.py")
    assert ok(at.run()).selectbox(key="cite_doc").value == names[1]
    fresh = ok(on_page("ui/pages/citations.py", editor="mei"))  # a reload: a new session
    assert fresh.selectbox(key="cite_doc").value == names[1]
    ok(fresh.selectbox(key="cite_doc").set_value(names[0]).run())
    assert ok(on_page("ui/pages/citations.py", editor="mei")).selectbox(key="cite_doc").value == names[0]
    ok(on_page("ui/pages/trace.py", editor="lin").selectbox(key="trace_doc").set_value(names[1]).run())
    assert ok(on_page("ui/pages/citations.py", editor="lin")).selectbox(key="cite_doc").value == names[1]  # a reload


def test_trace_against_a_mistyped_library_folder_says_so(tmp_path, capsys, monkeypatch):
    """`trace ZH --library TYPO`: the folder was created and the article traced against the store's confirmed
    pairs alone, as if the library were the one meant. Now refused before anything is made."""
    from workbench.cli import main

    zh = _ocean(tmp_path)
    folder = tmp_path / "libary" / "typo"
    assert main(["trace", str(zh), "--library", str(folder), "--model", "bundled"]) == 2
    assert "no source library folder" in capsys.readouterr().err and not folder.parent.exists()
    assert main(["trace", str(zh), str(tmp_path / "sources"), "--library", str(folder), "--model", "bundled",
                 "--json"]) == 0  # with sources named, the library is made
    assert folder.is_dir()


def test_the_tracing_page_keeps_a_confirmed_pair_whose_source_left(home, store):
    """A source removed from the library, Trace again: the page warned that the confirmed pair had left the
    export (audit2); since session 25 the pair is found again by its Chinese in the library's own copy and
    stays confirmed, named by its source and marked as no longer in the library (real default model)."""
    from app_driver import ok, on_page

    from workbench import settings
    from workbench.embed import get_embedder
    from workbench.trace import SourceLibrary, SourceSentence, SourceText

    (home / "corpus" / "article.zh.txt").write_text(ARTICLE, encoding="utf-8")
    emb = get_embedder(settings.default_trace_model())
    library = SourceLibrary(trace_review.default_library_dir(), emb)
    library.add(SourceText("ocean.txt", "lines", [SourceSentence(k, s) for k, s in enumerate(OCEAN)]))
    library.add(SourceText("filler.txt", "lines", [SourceSentence(0, "Nothing the article renders here.")]))
    library.close()
    at = ok(on_page("ui/pages/trace.py"), errors=False)
    ok(at.button(key="trace_run").click().run(), errors=False)
    trace = store.latest_trace_of_name("article.zh.txt")
    item = next(i for i, c in store.trace_candidates(trace.id).items() if c[0].source == "ocean.txt")
    ok(at.button(key=f"trace_{trace.id}_{item}_confirm").click().run(), errors=False)
    library = SourceLibrary(trace_review.default_library_dir(), emb)
    library.remove("ocean.txt")
    library.close()
    ok(at.button(key="trace_run").click().run(), errors=False)
    assert not any("did not carry over" in w.value for w in at.warning), [w.value for w in at.warning]
    again = store.latest_trace_of_name("article.zh.txt")
    assert again.id != trace.id and [c.source for c, _ in store.confirmed_trace_pairs(again.id)] == ["ocean.txt"]
    assert any("⚠ no longer in the library" in m.value for m in at.markdown if m.value.startswith("**ocean.txt**"))
    assert [b.proto.label for b in at.get("download_button")] == ["Download 1 confirmed pair"]


RECITED = ("海洋覆盖了地球表面百分之七十以上的面积。[1]\n\n海水温度上升正在破坏许多地区的珊瑚礁。[2]\n\n"
           "各国政府必须合作保护海洋生态系统，这一点报告也反复强调。[1]\n\n塑料垃圾主要通过河流进入海洋。[3]\n\n"
           "渔业船队自二十世纪五十年代以来迅速扩张。[2]\n\n参考文献\n\n"
           "[1] Example Institute. The Ocean Report[R]. 2020. https://example.org/ocean\n\n"
           "[2] Coral Watch. Reefs in Danger[R]. 2019.\n\n[3] Plastic Forum. Rivers and the Sea[R]. 2021.\n")


def test_a_source_cited_again_by_its_number_is_linked(tmp_path, capsys):
    """GB/T 7714's sequential numbering cites a source again with its first number ([1] [2] [1] [3] [2]): the
    repeated markers were left unlinked (the repeats read as garbled numbering), so the re-citing paragraphs
    lost their cited source on the Tracing page. The last one reads nothing like its note's title."""
    import json

    from workbench.cli import main

    path = tmp_path / "recited.zh.txt"
    path.write_text(RECITED, encoding="utf-8")
    assert main(["cite", str(path), "--json"]) == 0
    assert [m["note"] for m in json.loads(capsys.readouterr().out)["markers"]] == [0, 1, 0, 2, 1]
    one = tmp_path / "one.zh.txt"  # a single note cited twice
    one.write_text(ARTICLE.split("\n\n[2]")[0].replace("[2]", "[1]") + "\n", encoding="utf-8")
    assert main(["cite", str(one), "--json"]) == 0
    assert [m["note"] for m in json.loads(capsys.readouterr().out)["markers"]] == [0, 0]


def test_garbled_or_restarting_numbers_are_not_read_as_re_citations():
    from types import SimpleNamespace

    from workbench.citations.linking import recites_by_number

    def markers(*numbers):
        return [SimpleNamespace(number=n) for n in numbers]

    notes = markers

    assert recites_by_number(markers(1, 2, 1, 3), notes(1, 2, 3))
    assert not recites_by_number(markers(1, 2, 3), notes(1, 2, 3))  # no repeat: nothing to say
    assert not recites_by_number(markers(10, 11, 10, 11), notes(10, 11, 10, 11))  # a per-page cycle
    assert not recites_by_number(markers(1, 3, 1), notes(1, 2, 3))  # a first use skipped: garbled
