"""Documents as real writers make them, read the way an editor's files are read (session 15's walk with
LibreOffice-made .docx/PDF files): what the walk found wrong in the text the workbench took from them."""
from __future__ import annotations

from workbench import segment
from workbench.corpus import document_from_text


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in segment.split_sentences(text, "en")]


def test_a_roman_numbered_heading_is_one_sentence():
    """"II. Increasing the Efficiency of Biodiversity Conservation" (a white paper's chapter heading in the
    PDF LibreOffice printed) was two sentences, "II." and the rest, against one Chinese "二、提高……"."""
    assert _sentences("II. Increasing the Efficiency of Biodiversity Conservation") == [
        "II. Increasing the Efficiency of Biodiversity Conservation"]
    assert _sentences("IV. Further Global Cooperation on Biodiversity Conservation") == [
        "IV. Further Global Cooperation on Biodiversity Conservation"]
    assert _sentences("He spoke first. II. The second part begins here.") == [
        "He spoke first.", "II. The second part begins here."]
    # a numeral that ends a real sentence still ends it
    assert _sentences("The rise of Louis XIV. His reign was long.") == ["The rise of Louis XIV.", "His reign was long."]


def test_a_compound_cut_after_its_hyphen_before_a_capital_is_joined_without_a_space():
    """LibreOffice broke "Washington-Beijing-Taipei" after "Washington-"; the reader made it
    "Washington- Beijing-Taipei" (a lower-case word after the hyphen was already joined)."""
    doc = document_from_text("Think tanks.\n\nmessages around the Washington-\nBeijing-Taipei triangle, and the COVID-\n19 era.\n",
                             "t.txt")
    assert doc.paragraphs[1].text == "messages around the Washington-Beijing-Taipei triangle, and the COVID-19 era."


def test_the_documents_own_spelling_decides_whether_a_line_end_hyphen_stays():
    """"non-|governmental" became "nongovernmental" (a word in wordfreq's list) in a report that writes
    "non-governmental" three times elsewhere; a dash spaced on both sides is not a compound."""
    text = ("Non-governmental forums matter. The non-governmental channel\nworks. Details can be ironed out in non-\n"
            "governmental forums. It was inter-\nnational in scope.\n")
    doc = document_from_text(text, "t.txt")
    assert doc.paragraphs[0].text == ("Non-governmental forums matter. The non-governmental channel works. Details can be "
                                      "ironed out in non-governmental forums. It was international in scope.")
    spaced = document_from_text("A title.\n\nThe end -\nBeijing replied.\n", "t.txt")
    assert spaced.paragraphs[1].text == "The end - Beijing replied."
