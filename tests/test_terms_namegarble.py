"""A garble can make a name: 请[文]总督先生 (请问) reads as surname 文 + 总督 + title, 台[滴]省主席 (台湾) as surname 台 +
滴省 + title. The name discount must not hide such a flag where the document writes its repair elsewhere, and must
still lower a flag on a real name whose repair the document never writes (梁炜彤 → 梁为彤)."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import ranking
from workbench.terms.base import Flag, units_of


def discounted(text: str, piece: str, suggestion: str) -> float:
    units = units_of(document_from_text(text, "x.zh.txt", "zh"))
    a = text.index(piece)
    flag = Flag(piece, a, a + len(piece), "swapped_char", 0.9, "A character looks swapped.", suggestion)
    (out,) = ranking._discount_names([flag], units, text)
    return out.score


def test_a_repair_the_document_writes_undoes_the_name_discount():
    text = "\n".join(["台湾省政府今天公布了预算。", "许水德，和台滴省主席邱创焕出席了会议。"])
    assert discounted(text, "滴", "湾") == 0.9
    text = "\n".join(["请问总督，这项计划何时开始？", "请文总督先生，有没有新的消息？"])
    assert discounted(text, "请文", "请问") == 0.9


def test_a_real_name_is_still_discounted():
    text = "\n".join(["梁炜彤议员致辞：主席先生，我赞成这项议案。", "为此，我们必须努力。"])
    assert discounted(text, "炜", "为") == round(0.9 * ranking.NAME_DISCOUNT, 3)
    # the repair written nowhere in the document: the name stands
    text = "\n".join(["许水德，和台滴省主席邱创焕出席了会议。"])
    assert discounted(text, "滴", "湾") == round(0.9 * ranking.NAME_DISCOUNT, 3)


def test_the_pipeline_flags_a_garble_that_makes_a_name():
    lines = ["台湾省政府今天公布了新的预算。", "台湾省议会通过了这项法案。", "许水德，和台滴省主席邱创焕出席了会议。"]
    flags = terms.check_document(document_from_text("\n".join(lines), "x.zh.txt", "zh"), threshold=0.5)
    assert [f for f in flags if "滴" in f.text]
