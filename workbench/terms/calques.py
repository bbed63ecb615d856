"""Calques: English idioms and fixed phrases translated word for word.

The idioms below are written from general knowledge of English (none is taken from the documents the
workbench checks), each with the sense a Chinese writer would express and, where Chinese has adopted the
English image itself (破冰 for "break the ice"), the forms that are therefore fine. Each idiom's content
words are rendered through CC-CEDICT (every common Chinese word one of whose definitions is that English
word alone); a sentence holding a rendering of every content word, close together, holds the calque.
Idioms whose image Chinese shares (双刃剑, 冰山一角, 胡萝卜加大棒, 红线, 底线) are left out.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import NamedTuple

from workbench import charlm
from workbench.terms.base import Flag, Unit
from workbench.terms.lexicon import cached, cedict, tokens, zipf
from workbench.terms.roundtrip import INDEX_VERSION, gloss_key


class Idiom(NamedTuple):
    english: str
    words: tuple[str, ...]  # content words whose renderings make the calque
    sense: str  # what Chinese says instead
    accepted: tuple[str, ...] = ()  # Chinese forms built on the same image that are established


IDIOMS: tuple[Idiom, ...] = (
    Idiom("the elephant in the room", ("elephant", "room"), "显而易见却被刻意回避的问题"),
    Idiom("break the ice", ("break", "ice"), "打破僵局", ("破冰",)),
    Idiom("a level playing field", ("level", "playing", "field"), "公平竞争的环境"),
    Idiom("low-hanging fruit", ("low", "hanging", "fruit"), "最容易取得的成果"),
    Idiom("the ball is in your court", ("ball", "court"), "该由对方表态或行动了"),
    Idiom("move the goalposts", ("move", "goalpost"), "中途改变规则"),
    Idiom("a wake-up call", ("wake", "call"), "警钟", ("警钟",)),
    Idiom("a game changer", ("game", "changer"), "改变格局的因素"),
    Idiom("hit the ground running", ("hit", "ground", "running"), "一开始就全力投入"),
    Idiom("think outside the box", ("outside", "box"), "跳出固有思维"),
    Idiom("on the same page", ("same", "page"), "看法一致"),
    Idiom("bite the bullet", ("bite", "bullet"), "咬紧牙关，硬着头皮做"),
    Idiom("beat around the bush", ("beat", "bush"), "拐弯抹角"),
    Idiom("cut corners", ("cut", "corner"), "偷工减料"),
    Idiom("a slippery slope", ("slippery", "slope"), "一旦开始便难以收拾的局面"),
    Idiom("sit on the fence", ("sit", "fence"), "骑墙观望"),
    Idiom("the devil is in the details", ("devil", "detail"), "细节决定成败"),
    Idiom("kick the can down the road", ("kick", "can", "road"), "拖延问题"),
    Idiom("a perfect storm", ("perfect", "storm"), "多种不利因素同时出现的局面"),
    Idiom("boots on the ground", ("boot", "ground"), "地面部队"),
    Idiom("skin in the game", ("skin", "game"), "利害攸关"),
    Idiom("push the envelope", ("push", "envelope"), "突破极限"),
    Idiom("rule of thumb", ("rule", "thumb"), "经验法则"),
    Idiom("a blessing in disguise", ("blessing", "disguise"), "因祸得福"),
    Idiom("cost an arm and a leg", ("arm", "leg", "cost"), "代价高昂"),
    Idiom("a piece of cake", ("piece", "cake"), "小菜一碟"),
    Idiom("get cold feet", ("cold", "foot"), "临阵退缩"),
    Idiom("drop the ball", ("drop", "ball"), "失职，把事情搞砸"),
    Idiom("sweep under the rug", ("sweep", "rug"), "掩盖问题"),
    Idiom("spill the beans", ("spill", "bean"), "泄露秘密"),
    Idiom("a red herring", ("red", "herring"), "转移注意力的幌子"),
    Idiom("the writing on the wall", ("writing", "wall"), "不祥之兆"),
    Idiom("throw in the towel", ("throw", "towel"), "认输"),
    Idiom("jump on the bandwagon", ("jump", "bandwagon"), "随大流，赶时髦"),
    Idiom("a shot in the arm", ("shot", "arm"), "强心剂", ("强心剂",)),
    Idiom("pull strings", ("pull", "string"), "托关系，走后门"),
    Idiom("a fig leaf", ("fig", "leaf"), "遮羞布"),
    Idiom("the lion's share", ("lion", "share"), "最大的份额"),
    Idiom("fall through the cracks", ("fall", "crack"), "被忽视，无人过问"),
    Idiom("put all your eggs in one basket", ("egg", "basket"), "孤注一掷"),
    Idiom("turn a blind eye", ("blind", "eye"), "视而不见"),
    Idiom("pay lip service", ("lip", "service"), "口惠而实不至"),
    Idiom("the tail wagging the dog", ("tail", "wag", "dog"), "本末倒置"),
    Idiom("raise the bar", ("raise", "bar"), "提高标准"),
    Idiom("across the board", ("across", "board"), "全面地"),
    Idiom("a dark horse", ("dark", "horse"), "黑马", ("黑马",)),
    Idiom("a ballpark figure", ("ballpark", "figure"), "大致的数字"),
    Idiom("the tip of the spear", ("tip", "spear"), "先锋，最前沿"),
    Idiom("a moving target", ("moving", "target"), "不断变化的目标"),
    Idiom("pie in the sky", ("pie", "sky"), "不切实际的空想"),
    Idiom("water under the bridge", ("water", "bridge"), "已经过去的事"),
)

#: An English word's Chinese renderings must be at least this common (Zipf) to be what a machine picks.
RENDERING_ZIPF = 3.0
#: Characters of other text allowed between the rendered words (的, 里的, 在…上).
GAP = 4


@lru_cache(maxsize=1)
def _single_word_index() -> dict[str, list[str]]:
    """English word → the common Chinese words CC-CEDICT defines as exactly that word."""
    return cached(f"single-v{INDEX_VERSION}", _build_single_word_index)


def _build_single_word_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = defaultdict(list)
    for entry in cedict().get_entries():
        word = entry["simplified"]
        if not all(charlm.is_hanzi(c) for c in word) or len(word) > 3:
            continue
        for d in entry["definitions"]:
            key = gloss_key(d)
            if len(key) == 1 and word not in index[key[0]]:
                index[key[0]].append(word)
    return {k: [w for w in v if zipf(w) >= RENDERING_ZIPF] for k, v in index.items()}


def renderings(word: str) -> list[str]:
    """The word-for-word Chinese renderings of an English word (CC-CEDICT), longest first."""
    return sorted(set(_single_word_index().get(gloss_key(word)[0] if gloss_key(word) else word, [])),
                  key=lambda w: (-len(w), w))


@lru_cache(maxsize=1)
def _matcher() -> tuple[re.Pattern, dict[str, set[tuple[int, int]]]]:
    """One pattern over every rendering, and which (idiom, word) each rendering stands for."""
    stands: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for i, idiom in enumerate(IDIOMS):
        for k, w in enumerate(idiom.words):
            for r in renderings(w):
                stands[r].add((i, k))
    alternatives = sorted(stands, key=lambda r: (-len(r), r))
    return re.compile("|".join(map(re.escape, alternatives))), stands


def check_calques(unit: Unit) -> list[Flag]:
    """English idioms rendered word for word: every content word's rendering within a few characters."""
    pattern, stands = _matcher()
    hits: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # idiom → (word, start, end)
    bounds = {x for _, a, b in tokens(unit.text) for x in (a, b)}
    for m in pattern.finditer(unit.text):
        if m.start() not in bounds or m.end() not in bounds:  # 巴 inside 津巴布韦 renders no "bar"
            continue
        for i, k in stands[m.group(0)]:
            hits[i].append((k, m.start(), m.end()))
    flags = []
    for i, found in hits.items():
        idiom = IDIOMS[i]
        span = _closest(found, len(idiom.words))
        if span is None:
            continue
        a, b = span
        if not all(charlm.is_hanzi(c) for c in unit.text[a:b]) or any(form in unit.text[max(0, a - 3):b + 3] for form in idiom.accepted):
            continue
        flags.append(unit.flag(a, b, "calque", 0.7,
                               f"{unit.text[a:b]} renders the English idiom '{idiom.english}' word for word, which "
                               f"reads oddly in Chinese; the sense is usually expressed as {idiom.sense}.", idiom.sense))
    return flags


def _closest(found: list[tuple[int, int, int]], n_words: int) -> tuple[int, int] | None:
    """The tightest stretch holding a rendering of every word (in any order), if it is tight enough."""
    by_word: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k, s, e in found:
        by_word[k].append((s, e))
    if len(by_word) < n_words:
        return None
    best = None
    for s0, e0 in by_word[0]:
        lo, hi, words_len = s0, e0, e0 - s0
        for k in range(1, n_words):
            s, e = min(by_word[k], key=lambda x: abs(x[0] - s0))
            lo, hi, words_len = min(lo, s), max(hi, e), words_len + e - s
        if words_len <= hi - lo <= words_len + GAP * (n_words - 1) and (best is None or hi - lo < best[1] - best[0]):
            best = (lo, hi)
    return best
