"""Lost characters confirmed twice: by the writer's own string and by the remnant's habit of standing only
inside words (``drops.CONFIRMED_MIDPOINT``)."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text


def zh(text: str):
    return document_from_text(text, "t.txt", "zh")


def flag_at(text: str, at: int) -> terms.Flag:
    (found,) = [f for f in terms.check_document(zh(text), threshold=0.0) if f.start <= at < f.end]
    return found


def test_a_remnant_seldom_alone_needs_less_confirmation_than_a_remnant_often_alone():
    """学 left alone in 学在 (学校 lost 校): running text and the document write 学 only inside words, and the
    document writes 学校在 elsewhere, so the restoration is over the default threshold (under it before the
    second witness counted). 须 left alone in 我们须为, where the document also writes 须 alone (须填写, 须知):
    the same kind of confirmation, 必须为 written elsewhere, leaves it under the threshold."""
    first = "但一般来说，学在收到警告信后，都会改善。"
    others = ["有关学校在上学期已收到通知。", "这些学校在九月开学。", "其余学校在明年处理。",
              "学生和学者都关心学习，大学的教学和科学研究，也重视学术。"]
    found = flag_at("\n".join([first, *others]), first.index("学在"))
    assert found.check == "dropped_char" and found.score >= terms.DEFAULT_THRESHOLD and found.suggestion == "学校在"
    assert "学校在 3×" in found.message

    second = "如果我们须为机场财务问题负责，便要小心。"
    more = ["我们必须为市民服务。", "政府必须为此负责。", "议员必须为选民发言。", "申请人须填写表格，须知载于附件。"]
    weak = flag_at("\n".join([second, *more]), second.index("须为"))
    assert weak.check == "dropped_char" and weak.score < terms.DEFAULT_THRESHOLD
