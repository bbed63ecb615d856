"""Terms rendered word for word: the dictionary round trip through CC-CEDICT.

Machine translation renders an English term part by part, often with the wrong sense of a polysemous
word (cell phone → 牢房电话, Washington Post → 华盛顿帖子), where Chinese has one established word. Read
the Chinese back: segment it, gloss adjacent words with CC-CEDICT, and look the English phrase their
glosses make up in CC-CEDICT's definitions. When the phrase is the definition of a different, established
Chinese word, the span is probably its word-for-word rendering, and that word is the suggestion.

With the English present, the same index works the other way: an English term of the bead whose
established Chinese word is missing from the Chinese, while the Chinese has a span whose glosses
cover the term's words, is a strong flag.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate, product

from workbench import charlm
from workbench.terms.base import Flag, Unit
from workbench.terms.lexicon import cached, cedict, tokens, zipf
from workbench.terms.repairs import is_word
from workbench.terms.wordpairs import collocation, unlike_running_text

Key = tuple[str, ...]
#: Bumped whenever the way the indexes below are built changes (they are cached on disk).
INDEX_VERSION = 1

#: Words left out of a gloss key: articles, prepositions and the like carry no sense of their own.
FUNCTION_WORDS = set("the a an of and or to in on for by with as at from is are be its their one's sb sth".split())
#: An established word must be at least this common (Zipf) to be suggested over what the text says.
ESTABLISHED_ZIPF = 3.0
#: Glosses per word tried in the round trip (CC-CEDICT lists the main senses first).
SENSES = 4


def gloss_key(definition: str) -> Key:
    """A definition as a key of crude stems: "(prison) cell" → ("cell",), "Washington Post (newspaper)"
    → ("washi", "post"). Empty for definitions that are notes rather than renderings."""
    d = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", definition).strip().lower()
    if not d or d.startswith(("cl:", "see ", "variant of", "surname", "abbr.", "used in", "old variant")):
        return ()
    words = re.findall(r"[a-z]+", d)
    return tuple(_stem(w) for w in words if w not in FUNCTION_WORDS)


def _stem(word: str) -> str:
    """A plural's singular, crudely (warheads → warhead, policies → policy); other words stay whole."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def word_keys(word: str) -> tuple[tuple[Key, bool], ...]:
    """The keys of a word's first CC-CEDICT senses, one or two stems long (what a word-for-word rendering
    would use for it), each with whether the sense is qualified ("cell (biology)", "(forum) post"): a
    domain-bound sense, the kind a translator takes for the wrong one (细胞电话 for cell phone)."""
    keys: list[tuple[Key, bool]] = []
    for d in (cedict().get_definitions(word) or [])[:SENSES]:
        k = gloss_key(d)
        if 1 <= len(k) <= 2 and k not in [x for x, _ in keys]:
            keys.append((k, "(" in d))
    return tuple(keys)


def all_stems(word: str) -> frozenset[str]:
    """The stems of every CC-CEDICT sense of ``word`` one or two stems long, over all its entries (边 is
    "side" only in its second entry): what a rendering may have meant, whichever sense the machine took."""
    return _all_senses().get(word, frozenset())


@lru_cache(maxsize=1)
def _all_senses() -> dict[str, frozenset[str]]:
    return cached(f"senses-v{INDEX_VERSION}", _build_all_senses)


def _build_all_senses() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for entry in cedict().get_entries():
        word = entry["simplified"]
        if not all(charlm.is_hanzi(c) for c in word):
            continue
        for d in entry["definitions"]:
            k = gloss_key(d)
            if 1 <= len(k) <= 2:
                index[word].update(k)
    return {w: frozenset(v) for w, v in index.items()}


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """jieba's part-of-speech tag of each dictionary word (its dictionary, no tagging run)."""
    return cached(f"tags-v{INDEX_VERSION}", _read_tags)


def _read_tags() -> dict[str, str]:
    import jieba.posseg

    return dict(jieba.posseg.dt.word_tag_tab)


NOUN_TAGS = {"n", "nz", "nt", "ns", "nr", "nrt", "ng", "vn", "j"}
#: Grammatical words (prepositions, particles, conjunctions, adverbs, pronouns, numerals, measure words):
#: never part of a term, so a span holding one is a phrase, not a rendered term.
FUNCTION_TAGS = {"p", "u", "uj", "ul", "uz", "ud", "ug", "uv", "c", "d", "r", "m", "q", "y", "e", "o", "f"}


def noun_phrase(parts: tuple[str, ...]) -> bool:
    """A noun head after words that are no grammatical words, by jieba's dictionary tags: the shape
    of a term or a name (a machine's rendering may use any content word for a term's part)."""
    tags = word_tags()
    return tags.get(parts[-1]) in NOUN_TAGS and all(tags.get(p) not in FUNCTION_TAGS for p in parts[:-1])


def abbreviates(word: str, span: str) -> bool:
    """``word``'s characters appear in ``span`` in order (国债 in 国家债务): a short form, not another term."""
    it = iter(span)
    return all(c in it for c in word)


@lru_cache(maxsize=1)
def reverse_index() -> dict[Key, tuple[str, ...]]:
    """Multi-word definition keys → the established Chinese words they define (CC-CEDICT)."""
    return cached(f"reverse-v{INDEX_VERSION}", _build_reverse_index)


def hanzi_glosses() -> Iterator[tuple[str, Key]]:
    """(word, key of one of its definitions) for every CC-CEDICT entry written in Han characters only."""
    for entry in cedict().get_entries():
        word = entry["simplified"]
        if all(charlm.is_hanzi(c) for c in word):
            for d in entry["definitions"]:
                yield word, gloss_key(d)


def _build_reverse_index() -> dict[Key, tuple[str, ...]]:
    index: dict[Key, list[str]] = defaultdict(list)
    for word, k in hanzi_glosses():
        if len(word) >= 2 and 2 <= len(k) <= 4 and word not in index[k]:
            index[k].append(word)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def compound_index() -> dict[str, tuple[str, ...]]:
    """One-word English definitions → the Chinese words they define (里程碑 "milestone", 基石
    "cornerstone"): read back from a span whose words gloss the English word's parts (英里 "mile" + 石
    "stone"), a compound rendered part by part."""
    return cached(f"compound-keys-v{INDEX_VERSION}", _build_compound_index)


def _build_compound_index() -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = defaultdict(list)
    for word, k in hanzi_glosses():
        if len(word) >= 2 and len(k) == 1 and len(k[0]) >= 2 * COMPOUND_PART and word not in index[k[0]]:
            index[k[0]].append(word)
    return {k: tuple(v) for k, v in index.items()}


#: Each part of an English compound read back from its glosses has at least this many letters (mile,
#: stone; no "a" + "bout").
COMPOUND_PART = 4


@lru_cache(maxsize=1)
def gloss_words() -> frozenset[str]:
    """Every English word CC-CEDICT glosses some Chinese word by alone (mile, stone, corner): the parts an
    English compound may be split into."""
    return frozenset(k[0] for keys in _sense_keys().values() for k in keys if len(k) == 1)


def compound_for(key: Key) -> list[str]:
    """Established Chinese nouns for the English compound written by joining a two-stem key's stems
    (mile + stone → milestone → 里程碑), commonest first; none when a stem is short."""
    if len(key) != 2 or any(len(s) < COMPOUND_PART for s in key):
        return []
    tags = word_tags()
    return sorted((w for w in compound_index().get("".join(key), ())
                   if zipf(w) >= ESTABLISHED_ZIPF and tags.get(w) in NOUN_TAGS), key=lambda w: -zipf(w))


@lru_cache(maxsize=1)
def name_index() -> dict[Key, tuple[str, ...]]:
    """Multi-word keys → the common Chinese words of CC-CEDICT's proper-noun entries (those it writes with
    capitalised pinyin: 白宫 Bai2 gong1 "White House", 冷战 Leng3 zhan4 "Cold War") that they define.

    Such a word is an established name even when it is short or jieba tags it otherwise (冷战 is tagged a
    verb for its "shiver" sense), which :func:`established_for` asks of common words."""
    return cached(f"name-keys-v{INDEX_VERSION}", _build_name_index)


def _build_name_index() -> dict[Key, tuple[str, ...]]:
    index: dict[Key, list[str]] = defaultdict(list)
    for entry in cedict().get_entries():
        word, pinyin = entry["simplified"], entry.get("pinyin") or ""
        if len(word) < 2 or not pinyin[:1].isupper() or not all(charlm.is_hanzi(c) for c in word) \
                or zipf(word) < ESTABLISHED_ZIPF:
            continue
        for d in entry["definitions"]:
            k = gloss_key(d)
            if 2 <= len(k) <= 4 and word not in index[k]:
                index[k].append(word)
    return {k: tuple(v) for k, v in index.items()}


def named(word: str, key: Key, parts: tuple[str, ...], senses: tuple[tuple[Key, bool], ...]) -> bool:
    """Whether ``word``, read back from ``key`` through ``parts`` in ``senses``, is an established name
    rather than a common term. A name of :func:`name_index` is read through nouns only (重大负担, "great" +
    "to bear", is no Great Bear, 北斗), and is not the initials of the span (中非 of 中国非洲)."""
    if word in proper_names():
        return True
    return word in name_index().get(key, ()) and not initials(word, parts) \
        and not any(verb_sense(p, k) for p, (k, _) in zip(parts, senses))


def initials(word: str, parts: tuple[str, ...]) -> bool:
    """Whether ``word`` is the first characters of successive ``parts``: the usual Chinese short form (中非 of
    中国非洲, 国债 of 国家债务), so the span is its long form. 寒冷战争 writes 冷战's characters in order,
    but not as initials: no long form of it."""
    it = iter(p[0] for p in parts)
    return all(c in it for c in word)


@lru_cache(maxsize=1)
def all_definitions() -> dict[str, tuple[str, ...]]:
    """Every definition of every entry of a word (the lookup gives the first entry's only: 冷战 "shiver")."""
    index: dict[str, list[str]] = defaultdict(list)
    for entry in cedict().get_entries():
        index[entry["simplified"]].extend(entry["definitions"])
    return {w: tuple(v) for w, v in index.items()}


@lru_cache(maxsize=1)
def proper_names() -> frozenset[str]:
    """Chinese headwords whose first definition is a capitalised name (organisations, papers, places)."""
    return cached(f"names-v{INDEX_VERSION}", _build_proper_names)


def _build_proper_names() -> frozenset[str]:
    out = set()
    for entry in cedict().get_entries():
        defs = entry["definitions"]
        if defs and re.match(r"\s*[A-Z][a-z]+ [A-Z]", defs[0]) and len(entry["simplified"]) >= 3:
            out.add(entry["simplified"])
    return frozenset(out)


def established_for(key: Key) -> list[str]:
    """Established Chinese nouns CC-CEDICT gives for an English key, commonest first."""
    tags = word_tags()
    return sorted((w for w in reverse_index().get(key, ())
                   if w in proper_names() or (zipf(w) >= ESTABLISHED_ZIPF and tags.get(w) in NOUN_TAGS)),
                  key=lambda w: -zipf(w))


@lru_cache(maxsize=65536)
def rendering_keys(word: str) -> tuple[tuple[Key, bool], ...]:
    """What a machine may have meant by ``word``: the keys of its first senses (:func:`word_keys`), then
    those of every later sense of every entry, one or two stems long, marked as narrowed. A machine that
    renders "leader" by 头脑 takes its fifth sense; the first four ("brains", "mind", ...) would not
    read it back."""
    keys = list(word_keys(word))
    for k in _sense_keys().get(word, ()):
        if k not in [x for x, _ in keys]:
            keys.append((k, True))
    for k, _ in list(keys):
        for verb in verb_forms(k):
            if verb not in [x for x, _ in keys]:
                keys.append((verb, True))
    return tuple(keys)


def verb_sense(word: str, key: Key) -> bool:
    """Whether ``word`` means ``key`` only as a verb ("to bear" of 负担, never "bear" the animal)."""
    defs = [d.strip() for d in all_definitions().get(word, ()) if gloss_key(d) == key]
    return bool(defs) and all(d.lower().startswith("to ") for d in defs)


def verb_forms(key: Key) -> list[Key]:
    """The verb a one-stem "-ing" gloss is made from ("thinking" → "think", "making" → "make", "running" →
    "run"): CC-CEDICT glosses a Chinese noun by the gerund where an English term uses the verb as its
    modifier (思想 "thinking" for the "think" of "think tank")."""
    if len(key) != 1 or not key[0].endswith("ing") or len(key[0]) < 6:
        return []
    stem = key[0][:-3]
    forms = [stem, stem + "e"]
    if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
        forms.insert(0, stem[:-1])
    return [(f,) for f in forms]


@lru_cache(maxsize=1)
def _sense_keys() -> dict[str, tuple[Key, ...]]:
    return cached(f"sense-keys-v{INDEX_VERSION}", _build_sense_keys)


def _build_sense_keys() -> dict[str, tuple[Key, ...]]:
    """Every CC-CEDICT word's sense keys one or two stems long, over all its entries, in order."""
    index: dict[str, list[Key]] = defaultdict(list)
    for word, k in hanzi_glosses():
        if 1 <= len(k) <= 2 and k not in index[word]:
            index[word].append(k)
    return {w: tuple(v) for w, v in index.items()}


def _spelt_in(word: str, parts: tuple[str, ...]) -> bool:
    """Whether the span made of ``parts`` writes ``word`` (or its characters in order) as it is: then the
    span is that word in a longer form (国家债务 for 国债), not a rendering of it. A word inside a longer
    word of the span (工程 inside 工程学, "engineering" the discipline) does not count: the span renders
    through that longer word."""
    span = "".join(parts)
    if word in parts:
        return True
    if any(word in p for p in parts):
        return False
    return abbreviates(word, span)


def _shares_word(word: str, parts: tuple[str, ...]) -> bool:
    """Whether a word of two or more characters of the span is part of ``word``: the span joins that word
    to another partner, a collocation running Chinese writes beside the term (采取步骤 "take steps" beside
    采取措施, 公众人士 beside 知名人士), not the term rendered word for word."""
    return any(len(p) >= 2 and p in word for p in parts)


@lru_cache(maxsize=65536)
def round_trip(parts: tuple[str, ...]) -> tuple[str, Key, bool, tuple[tuple[Key, bool], ...]] | None:
    """(established word, English key, whether a narrowed or later sense was used, the sense read for
    each part) that the words ``parts`` render word for word, or None."""
    span = "".join(parts)
    options = [rendering_keys(p) for p in parts]
    if not all(options):
        return None
    best, best_named = None, False
    reverse, names, compounds = reverse_index(), name_index(), compound_index()
    for choice in product(*options):
        key = choice[0][0]
        for k, _ in choice[1:]:
            key += k
        if not 2 <= len(key) <= 4 or (key not in reverse and key not in names
                                      and (len(key) != 2 or "".join(key) not in compounds)):
            continue  # no established word, compound or name reads back from this key (the steps below)
        common = established_for(key)
        if not common and len(parts) == 2 and noun_phrase(parts) \
                and all(k in [x for x, _ in word_keys(p)] for p, (k, _) in zip(parts, choice)) \
                and compound_for(key):
            # an English compound rendered by its parts (英里石: mile + stone, "milestone"): the key becomes
            # the compound, whose definition the message quotes. Parts in their first senses and a noun
            # head only: a rarer sense or a verb makes chance compounds of clean text (头走路: side + walk
            # → sidewalk, 充分支持: full + back → fullback)
            common, key = compound_for(key), ("".join(key),)
        # the established words, then the names of :func:`name_index` they leave out
        for word in common + [w for w in name_index().get(key, ()) if w not in common]:
            if word == span or span in word or word in parts:
                continue
            name = named(word, key, parts, choice)
            if word not in common and not name:
                continue
            if not name and (_spelt_in(word, parts) or _shares_word(word, parts)):
                # a common term's long form (国家债务 for 国债) or another collocation of its word; a name has
                # no long form: 寒冷战争 is 冷战 ("Cold War") rendered word for word, though it writes 冷 and 战
                # in order, and 文化革命 is 文化大革命 written short
                continue
            narrowed = any(n for _, n in choice)
            # a first-sense reading wins over a narrowed one; among readings as narrow, an established name
            # over a common word (合众国家: "united country" 盟国, "united nation" 联合国): a name has one
            # fixed form, so the span that reads as it is the sharper claim
            if best is None or (not narrowed and best[2]) or (narrowed == best[2] and name and not best_named):
                best, best_named = (word, key, narrowed, choice), name
            break
    return best


#: Words of place (内部 "interior", 下边 "below", 初 "first") are grammatical words in a sentence but parts
#: of terms too ("ministry of the interior" rendered 省内部); the commonest (上, 中, 里) are left out as
#: grammar by their frequency.
TERM_PART_EXCLUDED = FUNCTION_TAGS - {"f"}


def content_phrase(parts: tuple[str, ...]) -> bool:
    """Content words only, by jieba's dictionary tags: a span holding a grammatical word is a phrase of
    the sentence, not a rendered term. The head may be a verb: terms are rendered by verbs too (屏幕试行
    for "screen test")."""
    tags = word_tags()
    return all(tags.get(p) not in TERM_PART_EXCLUDED for p in parts)


#: A span read back to a common established word: often a free but fine rendering, ranked below the default
#: threshold ...
RENDERING_SCORE = 0.45
#: ... unless running text would not write it (:func:`workbench.terms.wordpairs.unlike_running_text`): on clean
#: text few free phrases are both met at an unseen junction and strange to the character model ...
UNLIKE_SCORE = 0.55
#: ... or it reads back to an established name, which has one fixed form.
NAME_SCORE = 0.65


def _candidate(parts: tuple[str, ...], span: str) -> bool:
    """Words that may render a term: short Han words, no grammar (的, 在, 是), content words only, no word
    themselves, no pair running text writes."""
    return all(map(term_part, parts)) and not is_word(span) and not collocation(parts)


@lru_cache(maxsize=65536)
def term_part(t: str) -> bool:
    """A word that may be part of a rendered term (:func:`_candidate`'s test of each word, remembered): Han
    characters only, at most four, not one of the commonest single characters, no grammatical word."""
    return len(t) <= 4 and charlm.all_hanzi(t) and not (len(t) == 1 and zipf(t) >= 5.5) and content_phrase((t,))


@lru_cache(maxsize=1)
def _name_key_prefixes() -> frozenset[Key]:
    """The proper prefixes of every key an established name is read back from (("united",) of "united
    nation"): where a reading through other word boundaries can start."""
    keys = set(name_index()) | {k for k, ws in reverse_index().items() if any(w in proper_names() for w in ws)}
    return frozenset(k[:i] for k in keys for i in range(1, len(k)))


@lru_cache(maxsize=65536)
def _starts_name(parts: tuple[str, ...]) -> bool:
    """Whether some reading of ``parts`` is the beginning of a name's key."""
    prefixes = _name_key_prefixes()
    return any(tuple(s for k, _ in c for s in k) in prefixes for c in product(*(word_keys(p) for p in parts)))


def _resplit_name(text: str, toks: tuple[tuple[str, int, int], ...], i: int) -> tuple | None:
    """A name rendered word for word across the segmenter's boundaries, read from ``toks[i]``'s start.

    The segmenter joins a rendering's characters to its neighbours (合众|国度, "united" + "nation", is cut
    合众国 "United States" + 度; 印地安|大洋 is cut 印地安|大|洋海啸): the run of up to three tokens is read
    again as two or three CC-CEDICT words, and a reading back to an established name is kept. Names only,
    each word in one of its first senses: a common word read through other boundaries is a free phrase's
    chance far more often. The new reading must leave fewer lone characters than the segmenter's (下|雪白
    is not read 下雪|白, "snow white"), and may end inside a token only where that token is no CC-CEDICT
    word and its rest is a word (洋海啸 → 海啸; 政府 is not cut for 香港|政, "Hong Kong government")."""
    run_toks = []
    for t in toks[i:i + 3]:
        if not charlm.all_hanzi(t[0]):
            break
        run_toks.append(t)
    if len(run_toks) < 2 or all(len(t[0]) > 1 for t in run_toks):  # a new reading must leave fewer lone characters
        return None
    found = _resplit_run(tuple(t[0] for t in run_toks))  # the tokens are contiguous: the run is their text
    return None if found is None else (run_toks[0][1], run_toks[0][1] + found[0], *found[1:])


@lru_cache(maxsize=65536)
def _resplit_run(words: tuple[str, ...]) -> tuple | None:
    """:func:`_resplit_name` on the run of ``words`` (offsets from its start), remembered per run."""
    run = "".join(words)
    ends = list(accumulate(map(len, words)))
    cedict_words = all_definitions()

    def words_at(o: int) -> list[str]:
        return [run[o:o + n] for n in (4, 3, 2, 1) if o + n <= len(run) and run[o:o + n] in cedict_words]

    stack: list[tuple[str, ...]] = [(w,) for w in words_at(0)]
    while stack:
        parts = stack.pop()
        end = len("".join(parts))
        if len(parts) >= 2 and parts != words[:len(parts)]:
            k = next(k for k, e in enumerate(ends) if e >= end)
            cut_ok = end == ends[k] or words[k] not in cedict_words and ends[k] - end >= 2 \
                and is_word(run[end:ends[k]])
            fewer = sum(len(p) == 1 for p in parts) < sum(len(t) == 1 for t in words[:k + 1])
            if cut_ok and fewer and _candidate(parts, run[:end]):
                found = round_trip(parts)
                if found is not None and named(found[0], found[1], parts, found[3]) \
                        and all(sk in [x for x, _ in word_keys(p)] for p, (sk, _) in zip(parts, found[3])):
                    return end, run[:end], found, parts, sum(1 for e in ends if e <= end) or 1
        if len(parts) < 3 and end < len(run) and _starts_name(parts):
            stack.extend(parts + (w,) for w in words_at(end))
    return None


def check_word_for_word(unit: Unit) -> list[Flag]:
    """Spans of two or three content words, no word themselves and no pair running text writes
    (:mod:`workbench.terms.wordpairs`), that render an English term CC-CEDICT knows an established Chinese
    word for; where the segmenter's words read as none, a name read through other boundaries
    (:func:`_resplit_name`)."""
    flags = []
    toks = tokens(unit.text)
    part = [term_part(t) for t, _, _ in toks] + [False, False]  # and Han words, 2 for one character:
    han = [(2 if len(t) == 1 else 1) if charlm.all_hanzi(t) else 0 for t, _, _ in toks] + [0, 0]
    i = 0
    while i < len(toks):
        hit = None
        for n in (3, 2):
            if not (part[i] and part[i + 1] and (n == 2 or part[i + 2])):
                continue  # _candidate would say no
            group = toks[i:i + n]
            parts = tuple(t for t, _, _ in group)
            a, b = group[0][1], group[-1][2]
            if not _candidate(parts, unit.text[a:b]):
                continue
            found = round_trip(parts)
            if found is None:
                continue
            hit = (a, b, unit.text[a:b], found, parts, n)
            break
        if hit is None and han[i] and han[i + 1] and 2 in (han[i], han[i + 1], han[i + 2]):  # else it finds none
            hit = _resplit_name(unit.text, toks, i)
        if hit is None:
            i += 1
            continue
        a, b, span, (word, key, _, senses), parts, n = hit
        proper = named(word, key, parts, senses)
        # compositional matches are often free but fine renderings (财政资源 'financial resources' → 财力):
        # they rank below the default threshold, unless running text would not write the span; a name
        # rendered so is the stronger sign
        score = NAME_SCORE if proper else UNLIKE_SCORE if unlike_running_text(parts) else RENDERING_SCORE
        english = next((d.strip() for d in all_definitions().get(word, ()) if gloss_key(d) == key), "")
        kind = "the established name is" if proper else "usually rendered as"
        read = ", ".join(f"{t} '{' '.join(k)}'" + ("" if k in [x for x, _ in word_keys(t)] else ", a rarer sense")
                         for t, (k, _) in zip(parts, senses))
        unlike = " Running Chinese does not join these words so." if score == UNLIKE_SCORE else ""
        flags.append(unit.flag(a, b, "word_for_word", score,
                               f"{span} reads word for word as '{english}' ({read});"
                               f" {kind} {word}. A literal or wrong-sense rendering?{unlike}", word))
        i += n
    return flags


@lru_cache(maxsize=1)
def _name_variants() -> tuple[frozenset[str], dict[str, str]]:
    """Established names of four characters or more (CC-CEDICT proper names), and an index of their forms
    with one inner character lost (``华盛邮报`` → 华盛顿邮报). A lost first or last character is left
    out: a name's head or stem alone (香港大, 中国社会科学) is usually part of something longer."""
    names = frozenset(n for n in proper_names() if 4 <= len(n) <= 10)
    lost: dict[str, str] = {}
    for n in names:
        for i in range(1, len(n) - 1):
            lost.setdefault(n[:i] + n[i + 1:], n)
    return names, lost


def name_near_miss(span: str) -> str:
    """The established name ``span`` is one inner character away from (extra or missing), or ''.

    A replaced character is not looked for: 国际合作 is one character from 国共合作, 商务委员会 from
    侨务委员会, and most such pairs are two different names, not one garbled.
    """
    names, lost = _name_variants()
    if span in names:
        return ""
    for i in range(1, len(span) - 1):
        if span[:i] + span[i + 1:] in names:
            name = span[:i] + span[i + 1:]
            return "" if established_compound(span, name) else name
    name = lost.get(span, "")
    return "" if name and established_compound(span, name) else name


def established_word(word: str) -> bool:
    """A word of two or more characters that stands on its own: a proper name, or common enough."""
    return len(word) >= 2 and (word in proper_names() or zipf(word) >= ESTABLISHED_ZIPF)


def established_compound(span: str, name: str) -> bool:
    """Whether ``span`` is built of established words of its own that ``name`` does not contain.

    解放军日报 is one character from 解放日报 but is 解放军 + 日报, a different paper: the character that
    differs sits inside an established word (解放军) the name is not made of. A garble leaves a stray
    character (华盛顿顿邮报: 华盛顿 + 顿 + 邮报) or a fragment no one uses as a word. A word whose characters
    the name holds in order is the name's own, written short (委会 of 选举委会, 选举委员会 missing 员).
    """
    parts = [t for t, _, _ in tokens(span)]
    if not all(established_word(t) for t in parts):
        return False
    return any(t not in name and not abbreviates(t, name) for t in parts)


def check_name_near_misses(unit: Unit) -> list[Flag]:
    """Spans of whole words, no word themselves, one character away from an established name."""
    flags = []
    toks = tokens(unit.text)
    i = 0
    while i < len(toks):
        for n in (4, 3, 2):
            group = toks[i:i + n]
            a, b = group[0][1], group[-1][2]
            span = unit.text[a:b]
            if len(group) < n or not 4 <= len(span) <= 11:
                continue
            name = name_near_miss(span)
            if not name or name in unit.text or not all(charlm.is_hanzi(c) for c in span) or is_word(span):
                continue
            english = (cedict().get_definitions(name) or [""])[0].strip()
            flags.append(unit.flag(a, b, "name_variant", 0.65,
                                   f"{span} is one character away from the established name {name} ({english}): "
                                   "a garbled name?", name))
            i += n - 1
            break
        i += 1
    return flags
