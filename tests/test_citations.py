"""Citations: marker shapes, note fields, the global linker on seed 000 and on documents built to
break easy linkers, the ``cite`` CLI, the store round trip and the Citations page."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from app_driver import ok, on_page
from citation_cases import SOURCES, build_case, cases, number_only, order_only
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.citations import analyze_citations, find_markers, parse_note_fields
from workbench.corpus import document_from_text, read_document
from workbench.errors import WorkbenchError
from workbench.store import Store

REPO = Path(__file__).resolve().parent.parent

# Seed 000, read by hand (the truth this test holds the linker to). The text starts on page 2, so
# notes 0–3 (Technopolitik, Common Code, "Techno-democratic statecraft", EU 5G toolbox) have no
# marker left. The remaining 32 markers cite notes 4–35 in order; among them, for instance:
#   m0  ^⑤ "美智库也建言…跨大西洋智能合作联盟"            → 4  Brookings, Transatlantic Cooperation on AI
#   m5  ^⑨ Franziska Brantner, "跨大西洋绿色协议"         → 9  "Toward a New Transatlantic Green Deal"
#   m6  ^⑩ 蓬佩奥, 通信基础设施…民主自由理念              → 10 CNBC, "Pompeo Takes Aim at Chinese Tech Firms"
#   m10 ^⑩ 《通用代码:民主技术政策联盟框架》              → 14 CNAS, "Common Code" (its second listing)
#   m12 ^⑫ "气候俱乐部"                                   → 16 Nordhaus, "The Climate Club"
#   m18 ^⑭ "21 世纪美韩同盟战略的蓝图"                    → 22 CNAS, "…Blueprint for a 21st-Century U.S.-ROK Alliance"
#   m22 ^⑩ 核威慑…"模糊常规战争与核战争的界限"            → 26 Bracken, "The Intersection of Cyber and Nuclear War"
#   m29 ^⑬ 《全球变化下的新欧盟—美国议程》               → 33 European Commission, "…A New EU-US Agenda…"
#   m31 ^⑦ 国际科技合作                                   → 35 习近平, 在科学家座谈会上的讲话
# The markers' own numbers say otherwise from m6 on (⑩⑪⑫⑬ cycles), and the notes repeat ⑯.
SEED_000_TRUTH = list(range(4, 36))


@pytest.fixture(scope="module")
def seed_report(seed_000, embedder):
    doc = read_document(seed_000)
    return doc, analyze_citations(doc, embedder)


# --- markers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("建立合作联盟。^⑤美国计划", [("^⑤", 5)]),
        ("设想高度接近。⑥另外", [("⑥", 6)]),
        ("研究表明[5]。", [("[5]", 5)]),
        ("研究表明[3, 5]。", [("[3, 5]", 3), ("[3, 5]", 5)]),
        ("报告指出^12。", [("^12", 12)]),
        ("报告指出。^12022年5月", [("^1", 1)]),  # a year right after the marker
        ("增长显著¹²。", [("¹²", 12)]),
        ("详见原文(注5)。", [("(注5)", 5)]),
        ("详见原文（注释⑦）。", [("（注释⑦）", 7)]),
    ],
)
def test_marker_shapes(text, expected):
    assert [(m, n) for _, _, m, n in find_markers(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "2020年12月2日,欧盟委员会发布了议程。",
        "增长3.5%,约1,200万人,5G和6G网络。",
        "包括(1)政府部门和(2)研究机构。",
        "三项建议:①加强监测;②扩大投资;③完善立法。",
        "提出两点,①加强监测,②扩大投资。",
        "面积约500 m²,体积20 km³。",
        "第3条规定,成员应当每两年提交一次报告。",
        "[5] 以标签开头的行是参考文献条目",
        "(二)搭建联盟。",
    ],
)
def test_ordinary_numbers_dates_and_enumerators_are_not_markers(text):
    assert find_markers(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("据统计。[11]报告称。[l2]会议认为。[13]", [("[11]", 11), ("[l2]", 12), ("[13]", 13)]),
        ("甲[8]乙[9]丙[lO]丁[11]", [("[8]", 8), ("[9]", 9), ("[lO]", 10), ("[11]", 11)]),
        ("研究表明[I]。另见[2]", [("[I]", 1), ("[2]", 2)]),
        ("研究表明^l。另见^2", [("^l", 1), ("^2", 2)]),
        ("甲[3]乙[4S]丙[46]", [("[3]", 3), ("[4S]", 45), ("[46]", 46)]),  # S after a digit is a 5
        ("甲[998]乙[999]丙[1000]丁[1OO1]。", [("[998]", 998), ("[999]", 999), ("[1000]", 1000), ("[1OO1]", 1001)]),
    ],
)
def test_ocr_misread_and_four_digit_markers_that_continue_the_count(text, expected):
    assert [(m, n) for _, _, m, n in find_markers(text)] == expected


@pytest.mark.parametrize(
    "text, kept",
    [
        ("他说“[I] came, [I] saw”。[5]再看[6]", ["[5]", "[6]"]),  # 1 cannot come after 5
        ("他写道“[I]t is so”。[2]", ["[2]"]),  # an editorial bracket inside a word
        ("如前所述[l2]。", []),  # nothing to confirm it
        ("甲[3]乙[S]丙[5]", ["[3]", "[5]"]),  # a lone letter S is a letter
        ("甲[85]乙[B6]丙[87]", ["[85]", "[87]"]),  # a leading letter is a label (B6, S1), not a misread digit
        ("甲[3]乙[O]丙[4]", ["[3]", "[4]"]),  # no number starts with 0
        ("该文件于[2019]年发布。[12]", ["[12]"]),
        ("见国发[2019]5号文件。[12]", ["[12]"]),
        ("报告[2019]指出。[13]", ["[13]"]),  # 2019 cannot come before 13
        ("甲[998]乙[2019]丙[999]", ["[998]", "[999]"]),
        ("甲[41]乙[42]。据[2019]版。", ["[41]", "[42]"]),  # too far from 42, and no note 2019
    ],
)
def test_words_and_years_that_do_not_fit_the_count_are_not_markers(text, kept):
    assert [m for _, _, m, _ in find_markers(text)] == kept


def test_marker_offsets_point_into_the_original(seed_report):
    doc, report = seed_report
    assert len(report.markers) == 32
    for m in report.markers:
        assert doc.original[m.start : m.end] == m.marker
        assert doc.paragraphs[m.paragraph].kind != "note"


# --- notes -------------------------------------------------------------------------------------------


def test_note_fields_chinese_style():
    f = parse_note_fields('CNAS, "Common Code—An Alliance Framework," <https://www.cnas.org/x>.(上网时间:2020年10月21日)')
    assert f == {"authors": "CNAS", "title": "Common Code—An Alliance Framework",
                 "url": "https://www.cnas.org/x", "accessed": "2020年10月21日", "lang": "en"}


def test_note_fields_url_without_brackets_and_chinese_title():
    f = parse_note_fields("“习近平：在科学家座谈会上的讲话”，http://www.xinhuanet.com/a/c_1.htm.\n(上网时间:2020年9月11日)")
    assert (f["title"], f["url"], f["accessed"], f["lang"]) == (
        "习近平：在科学家座谈会上的讲话", "http://www.xinhuanet.com/a/c_1.htm", "2020年9月11日", "zh")


def test_note_fields_english_and_unquoted_styles():
    f = parse_note_fields("Jane Roe, “Drone Swarms and Warfare,” accessed March 3, 2021, https://rand.org/a.html.")
    assert (f["authors"], f["title"], f["accessed"], f["url"]) == (
        "Jane Roe", "Drone Swarms and Warfare", "March 3, 2021", "https://rand.org/a.html")
    g = parse_note_fields("IAEA. Small Modular Reactors: A New Source. https://www.iaea.org/smr. (accessed 2023-08-01)")
    assert (g["authors"], g["title"], g["accessed"]) == ("IAEA", "Small Modular Reactors: A New Source", "2023-08-01")
    h = parse_note_fields('P. Bracken, "The Intersection of Cyber and Nuclear War," <https://x.org/y>.\n(时间:2017年1月17日)')
    assert (h["authors"], h["accessed"]) == ("P. Bracken", "2017年1月17日")


def test_seed_000_all_notes_parsed_with_url_and_access_date(seed_report):
    doc, report = seed_report
    assert len(report.notes) == 36
    for n in report.notes:
        assert n.url.startswith("http") and " " not in n.url and not n.url.endswith((".", ">")), n
        assert n.accessed and "20" in n.accessed, n
        assert n.title, n
        assert doc.original[n.start : n.end].lstrip().startswith(n.label)
    assert [n.number for n in report.notes[:16]] == list(range(1, 16)) + [16]  # ①…⑯ before the garbling
    assert report.notes[16].accessed == "2020年5月/6月"  # wrapped onto its own line
    assert report.notes[35].lang == "zh" and report.notes[0].lang == "en"


def _numbered_article(markers: list[str], labels: list[str], sep: str = "\n\n", extra: tuple[int, str] | None = None) -> str:
    """Sentences of ``SOURCES`` each followed by its marker, then a notes section with ``labels``;
    ``extra`` puts one more line before the note at that position (a wrapped line of the note above)."""
    body = "".join(src.zh + m for src, m in zip(SOURCES, markers))
    notes = [f'{lab} {src.org}, "{src.title}," <{src.url}>.(上网时间:2023年6月14日)' for lab, src in zip(labels, SOURCES)]
    if extra:
        notes.insert(*extra)
    return "一、引言\n\n" + body + "\n\n注释:\n\n" + sep.join(notes) + "\n"


@pytest.mark.parametrize("sep", ["\n\n", "\n"])
def test_ocr_misread_note_labels_start_their_notes(sep):
    text = _numbered_article(["[8]", "[9]", "[lO]", "[11]"], ["8.", "9.", "lO.", "11."], sep)
    doc = document_from_text(text, "ocr.txt", "zh")
    report = analyze_citations(doc, None)
    assert [(n.label, n.number) for n in report.notes] == [("8.", 8), ("9.", 9), ("lO.", 10), ("11.", 11)]
    assert doc.original[report.notes[2].start : report.notes[2].end].startswith("lO. FAO")
    assert report.notes[1].text.endswith("(上网时间:2023年6月14日)")
    assert [lk.note for lk in report.links] == [0, 1, 2, 3]


def test_a_wrapped_line_opening_with_a_word_or_year_continues_its_note():
    text = _numbered_article(["[l]", "[2]", "[3]"], ["[l]", "[2]", "[3]"], extra=(2, "I. Kant, Critique of Pure Reason, 1781."))
    report = analyze_citations(document_from_text(text, "kant.txt", "zh"), None)
    assert [n.number for n in report.notes] == [1, 2, 3]
    assert report.notes[1].text.endswith("I. Kant, Critique of Pure Reason, 1781.")
    assert [lk.note for lk in report.links] == [0, 1, 2]


def test_notes_past_999_link_and_years_stay_text():
    markers = ["[999]", "[1000]", "据[2019]版统计。[1001]", "[1002]"]
    text = _numbered_article(markers, ["999.", "1000.", "1001.", "1002."], extra=(2, "2019 年 revised edition."))
    report = analyze_citations(document_from_text(text, "long.txt", "zh"), None)
    assert [n.number for n in report.notes] == [999, 1000, 1001, 1002]
    assert report.notes[1].text.endswith("2019 年 revised edition.")
    assert [(m.marker, m.number) for m in report.markers] == [("[999]", 999), ("[1000]", 1000), ("[1001]", 1001), ("[1002]", 1002)]
    assert [lk.note for lk in report.links] == [0, 1, 2, 3]


# --- linking: seed 000 -------------------------------------------------------------------------------


def test_seed_000_every_marker_linked_to_the_note_it_cites(seed_report):
    _, report = seed_report
    got = [lk.note for lk in report.links]
    wrong = [(k, g, t) for k, (g, t) in enumerate(zip(got, SEED_000_TRUTH)) if g != t]
    assert not wrong, f"(marker, linked, truth): {wrong}"
    assert report.unreferenced_notes == [0, 1, 2, 3]
    assert report.unlinked_markers == []
    assert all(0.0 <= lk.confidence <= 1.0 for lk in report.links)
    # numbers alone would get most of them wrong: that is why this is a global assignment
    assert sum(a == b for a, b in zip(number_only(report.markers, report.notes), SEED_000_TRUTH)) < 10


def test_seed_000_paragraphs_and_title_pairs(seed_report):
    doc, report = seed_report
    for para, notes in report.paragraph_notes.items():
        markers = [m for m in report.markers if m.paragraph == para]
        assert notes == list(dict.fromkeys(SEED_000_TRUTH[m.index] for m in markers))
    pairs = {(t.zh, t.note): t for t in report.title_pairs}
    assert ("通用代码:民主技术政策联盟框架", 14) in pairs
    assert pairs[("通用代码:民主技术政策联盟框架", 14)].en.startswith("Common Code")
    assert ("全球变化下的新欧盟—美国议程", 5) in pairs and ("全球变化下的新欧盟—美国议程", 33) in pairs
    assert "Agenda for Global Change" in pairs[("全球变化下的新欧盟—美国议程", 5)].en
    for t in report.title_pairs:
        assert doc.original[t.start : t.end] == t.zh
        assert t.en in report.notes[t.note].title
    assert not any(t.zh == "民主自由理念" for t in report.title_pairs)  # a slogan, not a title


# --- linking: documents built to break easy linkers ---------------------------------------------------

CASE_NAMES = [c.name for c in cases(0)]


@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.parametrize("seed", [0, 1])
def test_hard_cases(name, seed, embedder):
    case = next(c for c in cases(seed) if c.name == name)
    report = analyze_citations(case.doc, embedder)
    assert len(report.markers) == len(case.expected), [m.marker for m in report.markers]
    assert len(report.notes) == len(case.sources)
    got = [lk.note for lk in report.links]
    assert got == case.expected
    assert report.unreferenced_notes == case.unreferenced
    assert report.unlinked_markers == [k for k, e in enumerate(case.expected) if e is None]


def test_cases_defeat_number_and_order_baselines(embedder):
    """The built cases are hard for the easy approaches (otherwise they would prove nothing)."""
    failing = {"number": set(), "order": set()}
    for case in cases(0):
        report = analyze_citations(case.doc, None)
        if number_only(report.markers, report.notes) != case.expected:
            failing["number"].add(case.name)
        if order_only(report.markers, report.notes) != case.expected:
            failing["order"].add(case.name)
    assert {"numbers_shuffled", "numbers_identical", "numbers_cycling"} <= failing["number"]
    assert {"leading_unreferenced", "marker_deleted", "note_deleted", "bracket_with_repeat"} <= failing["order"]


def test_accuracy_table(embedder, capsys):
    """Linker accuracy over five draws of every case, beside the two easy baselines (pytest -s shows it)."""
    rows, total = [], [0, 0, 0, 0, 0]
    for name in CASE_NAMES:
        right = num = order = count = unref = 0
        for seed in range(5):
            case = next(c for c in cases(seed) if c.name == name)
            report = analyze_citations(case.doc, embedder)
            got = [lk.note for lk in report.links]
            right += sum(a == b for a, b in zip(got, case.expected))
            num += sum(a == b for a, b in zip(number_only(report.markers, report.notes), case.expected))
            order += sum(a == b for a, b in zip(order_only(report.markers, report.notes), case.expected))
            count += len(case.expected)
            unref += report.unreferenced_notes == case.unreferenced
        rows.append(f"{name:<28} {right / count:6.3f} {num / count:8.3f} {order / count:7.3f} {unref:>5}/5")
        total = [t + x for t, x in zip(total, (right, num, order, count, unref))]
    with capsys.disabled():
        print("\ncase                         linker  numbers   order  unref ok")
        print("\n".join(rows))
        print(f"{'ALL':<28} {total[0] / total[3]:6.3f} {total[1] / total[3]:8.3f} {total[2] / total[3]:7.3f}"
              f" {total[4]:>5}/{5 * len(CASE_NAMES)}")
    assert total[0] / total[3] >= 0.97


def test_without_embedder_order_and_numbers_still_link_clean_documents():
    case = build_case("clean", list(range(10)), list(range(10)))
    report = analyze_citations(case.doc, None)
    assert [lk.note for lk in report.links] == case.expected
    assert report.title_pairs == []


def _rendered_title_article() -> str:
    src = SOURCES[9]  # McKinsey, "The Economic Potential of Generative AI: …"
    return ("一、引言\n\n麦肯锡全球研究院发布《生成式人工智能的经济潜力》报告,估计其每年可创造数万亿美元价值。^①"
            "这与“民主”无关。^②\n\n注释:\n\n"
            f'① {src.org}, "{src.title}," <{src.url}>.(上网时间:2023年6月14日)\n\n'
            f'② {SOURCES[0].org}, "{SOURCES[0].title}," <{SOURCES[0].url}>.(上网时间:2023年3月14日)\n\n'
            f'③ {SOURCES[4].org}, "{SOURCES[4].title}," <{SOURCES[4].url}>.(上网时间:2021年6月2日)\n')


def test_title_pair_from_a_rendered_title(embedder):
    report = analyze_citations(document_from_text(_rendered_title_article(), "t.txt", "zh"), embedder)
    assert [(t.zh, t.note) for t in report.title_pairs] == [("生成式人工智能的经济潜力", 0)]
    assert "Economic Potential of Generative AI" in report.title_pairs[0].en


# --- bad input ---------------------------------------------------------------------------------------


def test_no_notes_no_markers_and_markers_without_notes(embedder):
    plain = analyze_citations(document_from_text("一、引言\n\n这是一段没有任何注释的正文。2020年5月发布。\n", "p.txt", "zh"), embedder)
    assert (plain.markers, plain.notes, plain.links, plain.unreferenced_notes) == ([], [], [], [])
    orphan = analyze_citations(document_from_text("正文引用了报告。^①另一句。[2]\n", "o.txt", "zh"), embedder)
    assert [lk.note for lk in orphan.links] == [None, None] and orphan.unlinked_markers == [0, 1]
    notes_only = analyze_citations(document_from_text(
        f'正文。\n\n注释:\n\n① {SOURCES[1].org}, "{SOURCES[1].title}," <{SOURCES[1].url}>.\n', "n.txt", "zh"), embedder)
    assert notes_only.markers == [] and notes_only.unreferenced_notes == [0]


_SHAPES = list("^[]()（）注释①⑤⑩⑯㉑¹²³0123456789年月日,，。;；:：m² \n甲乙abc.\"“”《》-")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SHAPES), max_size=120))
def test_marker_finder_never_crashes_and_spans_hold_markers(text):
    for start, end, marker, number in find_markers(text):
        assert text[start:end] == marker and number is not None and number >= 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_note_parser_never_crashes(text):
    fields = parse_note_fields(text)
    assert set(fields) == {"authors", "title", "url", "accessed", "lang"}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_SHAPES + ["注释:\n\n", "\n\n① ", "\n\n[2] ", "https://a.b/c ", "(上网时间:"]),
                max_size=120).map("".join))
def test_analysis_of_arbitrary_text_never_crashes(text):
    try:
        doc = document_from_text(text, "fuzz.txt", "zh")
    except WorkbenchError:
        return
    report = analyze_citations(doc, None)
    assert len(report.links) == len(report.markers)
    for m in report.markers:
        assert doc.original[m.start : m.end] == m.marker
    assert all(lk.note is None or 0 <= lk.note < len(report.notes) for lk in report.links)


# --- CLI ---------------------------------------------------------------------------------------------


def test_cli_json_contract(seed_000, tmp_path):
    env = {"PATH": "/usr/bin:/bin", "WORKBENCH_HOME": str(tmp_path), "WORKBENCH_CACHE": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-m", "workbench", "cite", str(seed_000), "--json"], cwd=REPO,
                         capture_output=True, text=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"markers", "notes", "unreferenced_notes", "title_pairs"}
    assert [set(m) for m in data["markers"][:1]] == [{"index", "marker", "paragraph", "start", "end", "note", "confidence"}]
    assert [set(n) for n in data["notes"][:1]] == [{"index", "label", "authors", "title", "url", "accessed", "works"}]
    assert [set(t) for t in data["title_pairs"][:1]] == [{"zh", "en", "note"}]
    text = seed_000.read_text(encoding="utf-8")
    assert all(text[m["start"] : m["end"]] == m["marker"] for m in data["markers"])
    assert [m["note"] for m in data["markers"]] == SEED_000_TRUTH
    assert data["unreferenced_notes"] == [0, 1, 2, 3]


def test_cli_bad_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "blob.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    out = subprocess.run([sys.executable, "-m", "workbench", "cite", str(bad), "--json", "--no-embed"], cwd=REPO,
                         capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "WORKBENCH_HOME": str(tmp_path)},
                         timeout=120)
    assert out.returncode == 2 and out.stderr.startswith("error:") and "blob.txt" in out.stderr


# --- store and UI ------------------------------------------------------------------------------------


def test_relink_persists_through_reanalysis(home, embedder):
    case = cases(0)[0]
    with Store() as store:
        info = store.add_document(case.doc)
        report = analyze_citations(case.doc, embedder)
        store.save_citations(info.id, report)
        store.relink_citation(info.id, 2, 5)
        store.relink_citation(info.id, 3, None)
        store.save_citations(info.id, analyze_citations(case.doc, embedder))
        links = store.citation_links(info.id)
        assert (links[2].note, links[2].auto_note) == (5, case.expected[2])
        assert links[3].note is None and links[3].relinked_at
        assert [lk.note for lk in links[4:]] == case.expected[4:]


_ok = ok


def test_citations_page_analyse_show_and_relink(home):
    case = cases(1)[2]  # numbers shuffled
    (home / "corpus" / "article.txt").write_text(case.doc.original, encoding="utf-8")
    at = _ok(on_page("ui/pages/citations.py"))
    assert any("No footnote markers or notes are stored" in i.value for i in at.info)
    at = _ok(at.button(key="cite_run").click().run())
    assert any("14 markers" in s.value for s in at.success), [s.value for s in at.success]
    with Store() as store:
        info = store.latest_document("article.txt")
        links = store.citation_links(info.id)
        assert [lk.note for lk in links] == case.expected
    shown = " ".join(m.value for m in at.markdown)
    assert case.sources[0].title in shown and f"]({case.sources[0].url})" in shown
    key = f"relink_{info.id}_0"
    at = _ok(at.selectbox(key=key).set_value(7).run())
    assert any("now cites note 8" in s.value for s in at.success)  # shown from 1, stored from 0
    with Store() as store:
        assert store.citation_links(info.id)[0].note == 7
    # a fresh session reads the re-link back from the store
    again = _ok(on_page("ui/pages/citations.py"))
    assert again.selectbox(key=key).value == 7
    again = _ok(again.selectbox(key=key).set_value(-1).run())  # the “no note” option
    with Store() as store:
        assert store.citation_links(info.id)[0].note is None


def test_citations_page_says_when_a_document_has_no_notes(home):
    """Regression: after an analysis that found nothing, the page still asked for the analysis."""
    (home / "corpus" / "plain.zh.txt").write_text("这是一篇没有注释的文章。它只有正文。\n", encoding="utf-8")
    at = _ok(on_page("ui/pages/citations.py"))
    at = ok(at.button(key="cite_run").click().run())
    assert any("no footnote markers and no notes section found" in w.value for w in at.warning)
    assert any("Analysed: this document has no footnote markers" in i.value for i in at.info)
    assert not any("press **Analyse citations**" in i.value for i in at.info)


def test_citations_page_adds_title_pairs_to_the_glossary(home):
    (home / "corpus" / "genai.txt").write_text(_rendered_title_article(), encoding="utf-8")
    at = _ok(_ok(on_page("ui/pages/citations.py")).button(key="cite_run").click().run())
    at = _ok(at.button(key="cite_glossary").click().run())
    assert any("Added 1 title pairs" in s.value for s in at.success), [s.value for s in at.success]
    at = _ok(at.button(key="cite_glossary").click().run())  # regression: said "Added 1" again
    assert any("Added 0 title pairs to the glossary (1 were already in it)" in s.value for s in at.success)
    with Store() as store:
        entries = [(g.zh, g.source) for g in store.glossary()]
    assert entries == [("生成式人工智能的经济潜力", "citation:genai.txt")]


@pytest.mark.slow
def test_citations_page_in_chromium(home):
    """The real app in Debian's headless chromium: analyse, read a paragraph's source, re-link a marker."""
    from live_server import app_in_chromium, assert_no_exception, wait_for_app

    case = cases(2)[3]  # all numbers identical
    (home / "corpus" / "article.txt").write_text(case.doc.original, encoding="utf-8")
    target = 7 if case.expected[0] != 7 else 8
    with app_in_chromium(home) as (server, page):
        page.goto(f"{server.url}/citations")
        wait_for_app(page, "No footnote markers or notes are stored")
        page.get_by_role("button", name="Analyse citations").click()
        wait_for_app(page, f"{len(case.expected)} markers")
        wait_for_app(page, case.sources[case.expected[0]].title)
        page.get_by_label("Cites note").first.click()
        page.get_by_role("option", name=f"{target + 1} · ").first.click()
        wait_for_app(page, f"(number 1 in the text) now cites note {target + 1}.")
        page.screenshot(path=str(home / "citations.png"))
        assert_no_exception(page)
    with Store() as store:
        links = store.citation_links(store.latest_document("article.txt").id)
        assert links[0].note == target and links[0].auto_note == case.expected[0] and links[0].relinked_at
        assert [lk.note for lk in links[1:]] == case.expected[1:]


def test_marked_paragraph_bold_stays_on_an_unlinked_marker():
    """Regression: ``**^⑤→?**美…`` cannot close in Markdown (``?`` then a Chinese character), so the
    bold ran on through the rest of the paragraph. Rendered as CommonMark, only the markers are bold."""
    from markdown_it import MarkdownIt

    from workbench.model import Paragraph
    from workbench.store import CitationLink
    from workbench.ui.citations_page import marked_paragraph

    text = "美智库建言“合作联盟”。^⑤美国计划<b>建立</b>联盟,成本$5与$6。^⑥另外"
    para = Paragraph(0, "body", text, 0, len(text), offsets=list(range(len(text))))
    links = [CitationLink(k, m, 0, text.index(m), text.index(m) + 2, note, note, 0.9, None)
             for k, (m, note) in enumerate([("^⑤", None), ("^⑥", 5)])]
    rendered = MarkdownIt("commonmark", {"html": True}).render(marked_paragraph(para, links))
    assert re.findall(r"<(?:b|strong)>(.*?)</(?:b|strong)>", rendered) == ["^⑤→?", "^⑥→6"]  # note 5 from 0 is the sixth
    assert "&lt;b&gt;建立&lt;/b&gt;" in rendered and "$5" in rendered  # document text is shown, not interpreted


# --------------------------------------------------------------------------- the package and the service
def test_the_old_single_module_names_still_import_from_workbench_citations():
    """``workbench.citations`` became a package; every public name of the old module is re-exported."""
    import workbench.citations as package

    old_public_names = [
        "SUPERSCRIPTS", "circled_value", "find_markers", "Note", "note_language", "parse_note_fields", "parse_notes",
        "Marker", "Link", "TitlePair", "CitationReport", "find_document_markers", "lexical_overlap",
        "semantic_similarity", "numbering_reliability", "LinkWeights", "link_scores", "assign", "title_segments",
        "title_pairs", "analyze_citations",
    ]
    assert all(hasattr(package, name) for name in old_public_names)
    for module in Path(package.__file__).parent.glob("*.py"):
        assert len(module.read_text(encoding="utf-8").splitlines()) <= 600, module.name


def test_cite_save_and_the_page_store_the_same_analysis_through_one_service(home, capsys):
    from workbench import citation_review
    from workbench.cli import main

    case = cases(1)[2]
    path = home / "corpus" / "article.txt"
    path.write_text(case.doc.original, encoding="utf-8")
    assert main(["cite", str(path), "--no-embed", "--save"]) == 0
    assert "saved citations of article.txt" in capsys.readouterr().err
    with Store() as store:
        info = store.latest_document("article.txt")
        by_cli = [(lk.marker_index, lk.note) for lk in store.citation_links(info.id)]
        saved = citation_review.analyse_and_save(store, read_document(path), None)
        assert saved.document.id == info.id  # the same revision, analysed again: nothing doubled
        assert [(lk.marker_index, lk.note) for lk in store.citation_links(info.id)] == by_cli
    assert len(by_cli) == len(saved.report.markers) == 14
    assert saved.summary().startswith("article.txt: 14 markers") and not saved.found_nothing
