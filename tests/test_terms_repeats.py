"""The repeat discount counts the run of lone characters inside a garble span, not only the exact span: an
unlisted word jieba cuts into characters (惠|益) is flagged with a different neighbour each time (和惠益,
的惠益), yet the document writes the word itself consistently."""
from __future__ import annotations

from workbench import terms
from workbench.corpus import document_from_text
from workbench.terms import ranking

CHAPTER_LINES = 68  # chapter 1 of the white paper: its zh lines 1-68


def _chapter(shared_dir) -> str:
    lines = (shared_dir / "gold" / "whitepapers" / "zh" / "001").read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[:CHAPTER_LINES]) + "\n"


def _on_word(flags: list[terms.Flag], text: str, word: str) -> list[terms.Flag]:
    at = [k for k in range(len(text)) if text.startswith(word, k)]
    return [f for f in flags if any(f.start < k + len(word) and k < f.end for k in at)]


def test_an_unlisted_word_written_twice_with_different_neighbours_is_deliberate(shared_dir):
    """惠益 (benefit-sharing, the Biodiversity Convention's term) is in no dictionary the checks use; the
    chapter writes it twice, as 的惠益 and 和惠益, each flagged nonsense_run over the threshold before."""
    text = _chapter(shared_dir)
    assert text.count("惠益") == 2
    doc = document_from_text(text, "001.txt", "zh")
    assert _on_word(terms.check_document(doc), text, "惠益") == []
    ranked = _on_word(terms.check_document(doc, threshold=0.0), text, "惠益")
    assert ranked and all("written 2×" in f.message or "Used 2×" in f.message for f in ranked)


def test_the_same_word_written_once_is_still_flagged(shared_dir):
    """Only the repeat lowers it: with the second use changed to a listed word, the first stays flagged."""
    text = _chapter(shared_dir)
    second = text.rindex("惠益")
    text = text[:second] + "利益" + text[second + 2:]
    doc = document_from_text(text, "001.txt", "zh")
    flags = _on_word(terms.check_document(doc), text, "惠益")
    assert len(flags) == 1 and flags[0].score > 0.6 and "2×" not in flags[0].message


def test_a_span_that_already_earned_its_repeats_is_not_discounted_twice():
    units = terms.units_of(document_from_text("惠益分享。\n\n的惠益。\n", "t.txt", "zh"))
    text = "惠益分享。\n\n的惠益。\n"
    word = terms.Flag("惠益", 0, 2, "oov_word", 0.6, "m")
    widened = terms.Flag("的惠益", 7, 10, "nonsense_run", 0.6, "m")
    out = ranking._discount_cores([word, widened], text, units)
    assert out[0] == word  # 惠益 itself is written twice: the span discount has counted that already
    assert out[1].score == round(0.6 * ranking.REPEAT_DISCOUNT, 3) and "2×" in out[1].message
