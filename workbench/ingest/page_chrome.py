"""What a saved web page holds that is no article text, once trafilatura has found its main text: a journal site's
abstract page (title, 摘要, 关键词, 基金, DOI — the full text is a PDF or CAJ download behind it), and the promotional
line a Chinese news site sets inside its articles ("扫码关注…微信公众号"). Both were read as the article: the abstract
page's fields as one body paragraph (trafilatura joins its rows), traced; the promotion traced as the article's.
"""
from __future__ import annotations

import re

# A journal field: 摘要/Abstract or 关键词/Keywords, as a label before a colon or in brackets, or standing alone
ABSTRACT = re.compile(r"(?:^|[\s【\[])(?:摘\s*要|内容提要|abstract)\s*(?:[】\]：:]|$)", re.IGNORECASE | re.MULTILINE)
KEYWORDS = re.compile(r"(?:^|[\s【\[])(?:关\s*键\s*词|key\s*words?)\s*(?:[】\]：:]|$)", re.IGNORECASE | re.MULTILINE)
_SENTENCE_END = "。！？.!?”\"」』"
RUNNING = 40  # characters: a paragraph of running text, not a label, a link or a byline


def abstract_only(blocks: list[tuple[str, str]]) -> bool:
    """Whether the page's text ``(element, text)`` is an abstract page: a 摘要/Abstract field and then a 关键词/
    Keywords field, and no paragraph of running text (ending a sentence, ``RUNNING`` characters or more) after
    the keywords but another abstract (a bilingual abstract page: 摘要, then the English "Abstract: …"). An
    article that opens with its abstract has its text after them (and may close with its English abstract)."""
    whole = "\n\n".join(text for _, text in blocks)
    abstract = ABSTRACT.search(whole)
    keywords = KEYWORDS.search(whole, abstract.end()) if abstract else None
    if keywords is None:
        return False
    end = whole.find("\n\n", keywords.end())
    rest = [p.strip() for p in whole[end:].split("\n\n")] if end >= 0 else []
    return not any(len(p) >= RUNNING and p[-1] in _SENTENCE_END and not ABSTRACT.match(p) for p in rest)


# A site's own promotion inside an article: follow its WeChat account, scan its QR code, download its app
# (an imperative opening the line: "下载客户端" inside a sentence of the article is its text)
PROMOTION = re.compile(r"\W*(?:欢迎|请)?(?:扫码|扫描.{0,8}二维码|长按.{0,8}二维码|关注.{0,16}(?:微信)?公众号"
                       r"|下载.{0,10}客户端)")
PROMOTION_MAX = 60  # characters: a promotion is a line, never a paragraph of the article


def is_promotion(text: str) -> bool:
    return len(text) <= PROMOTION_MAX and PROMOTION.match(text) is not None
