"""A marker's number names its note when nothing in the numbering contradicts it: a lone marker, or markers
that skip notes, have no consecutive steps to show the numbering is clean, and used to be linked by order."""
from __future__ import annotations

import pytest
from citation_cases import SOURCES

from workbench.citations import analyze_citations
from workbench.corpus import document_from_text

NOTES = "\n\n".join(f"[{k}] {s.org}. {s.title}. {s.url}." for k, s in enumerate(SOURCES[:3], 1))


def _links(body: str, embedder) -> list[tuple[int | None, float]]:
    doc = document_from_text(f"{body}\n\n参考文献\n\n{NOTES}\n", "n.txt", "zh")
    return [(lk.note, lk.confidence) for lk in analyze_citations(doc, embedder).links]


@pytest.mark.parametrize("model", [None, "embedder"], ids=["no_model", "bundled"])
@pytest.mark.parametrize("body, notes", [
    ("正文。[1]", [0]),  # the audit's case: note 2 at 0.33 without a model
    ("正文。[2]", [1]),
    ("正文。[3]", [2]),
    ("第一句。[1]另一句。[3]", [0, 2]),  # note 2 cited on a page that is not here
], ids=["lone_1", "lone_2", "lone_3", "1_then_3"])
def test_a_markers_number_names_its_note_when_nothing_contradicts_it(body, notes, model, request):
    embedder = request.getfixturevalue(model) if model else None
    links = _links(body, embedder)
    assert [note for note, _ in links] == notes
    assert all(confidence > 0.8 for _, confidence in links)


def test_numbers_that_fall_or_name_no_note_do_not_vouch_for_themselves():
    """Markers out of order, or one whose number no note carries, get no number evidence from the notes."""
    from workbench.citations.linking import numbers_agree_with_notes
    from workbench.citations.markers import find_document_markers
    from workbench.citations.notes import parse_notes

    def agree(body: str) -> bool:
        doc = document_from_text(f"{body}\n\n参考文献\n\n{NOTES}\n", "n.txt", "zh")
        notes = parse_notes(doc)
        return numbers_agree_with_notes(find_document_markers(doc, {n.number for n in notes}), notes)

    assert agree("正文。[2]") and agree("甲。[1]乙。[3]")
    assert not agree("甲。[3]乙。[1]") and not agree("甲。[2]乙。[2]")


def test_cite_lists_the_audits_lone_marker_with_its_note_and_counts_paragraphs_from_1(tmp_path, capsys):
    """The audit's command, ``cite --no-embed`` on ``正文。[1]`` with notes [1]–[3]: "¶0 → note 2 [2] (0.33)"; the
    listing counted paragraphs from 0 beside notes counted from 1."""
    from workbench.cli import main

    path = tmp_path / "a.zh.txt"
    path.write_text(f"正文。[1]\n\n参考文献\n\n{NOTES}\n", encoding="utf-8")
    assert main(["cite", str(path), "--no-embed"]) == 0
    out, err = capsys.readouterr()
    assert out.split()[:6] == ["[1]", "[3:6]", "¶1", "→", "note", "1"]
    assert "notes nobody cites: 2, 3" in err
