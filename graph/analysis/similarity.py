"""Text similarity for alignment suggestions: tokenisers, weighted bags, TF-IDF cosine and BM25.

Pure functions over strings and token bags, so :mod:`policykg.graph.analysis.suggest` can compare
methods on the same inputs. Two tokenisers are offered because Japanese policy wording fails in
different ways: SudachiPy (normalised forms, content words only) matches 推進/推進する and
表記揺れ, character n-grams match compounds Sudachi splits differently (農林水産業 / 農林水産).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from policykg.ids import normalize_label

CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "接頭辞", "接尾辞"})
"""Sudachi parts of speech kept as content words (particles, auxiliaries, symbols dropped)."""
STOP_WORDS = frozenset({"為る", "有る", "居る", "成る", "する", "ある", "いる", "なる", "れる", "られる", "こと", "事",
                        "ため", "為", "もの", "物", "等", "など", "よう", "様", "的"})
"""Function-like words Sudachi tags as content words; general Japanese, not derived from any gold link."""
_PUNCT = re.compile(r"[\s\u3000「」『』（）()【】［］\[\]、。・，,．.:：;；!！?？\"'“”‘’〜~\-－—→□✓※/]+")

Bag = Mapping[str, float]


@lru_cache(maxsize=1)
def _tokenizer():
    from sudachipy import dictionary

    return dictionary.Dictionary().tokenizer()  # one tokenizer per process: building it is slow


@lru_cache(maxsize=8192)
def sudachi_tokens(text: str, *, mode: str = "C") -> tuple[str, ...]:
    """Normalised forms of the content words of ``text``; ``mode`` is C, A, B or CA (C and A together).

    >>> sudachi_tokens("マイナンバーカードの普及を促進する")
    ('マイナンバーカード', '普及', '促進')
    """
    from sudachipy import tokenizer

    modes = {"A": [tokenizer.Tokenizer.SplitMode.A], "B": [tokenizer.Tokenizer.SplitMode.B],
             "C": [tokenizer.Tokenizer.SplitMode.C],
             "CA": [tokenizer.Tokenizer.SplitMode.C, tokenizer.Tokenizer.SplitMode.A]}[mode]
    text = normalize_label(text)
    out: list[str] = []
    for split in modes:
        for m in _tokenizer().tokenize(text, split):
            form = m.normalized_form()
            if m.part_of_speech()[0] in CONTENT_POS and form not in STOP_WORDS and not _PUNCT.fullmatch(form):
                if mode != "CA" or split is modes[0] or form not in out:
                    out.append(form)
    return tuple(out)


def char_ngrams(text: str, *, sizes: Sequence[int] = (2, 3)) -> tuple[str, ...]:
    """Character n-grams of the NFKC text, punctuation treated as a break.

    >>> char_ngrams("観光DX")
    ('観光', '光D', 'DX', '観光D', '光DX')
    """
    chunks = [c for c in _PUNCT.split(normalize_label(text)) if c]
    grams: list[str] = []
    for n in sizes:
        for chunk in chunks:
            grams.extend(chunk[i:i + n] for i in range(len(chunk) - n + 1))
    return tuple(grams)


def weighted_bag(fields: Iterable[tuple[Iterable[str], float]]) -> dict[str, float]:
    """Sum of term counts of several fields, each multiplied by its weight.

    >>> weighted_bag([(["a", "b"], 1.0), (["a"], 0.5)])
    {'a': 1.5, 'b': 1.0}
    """
    bag: dict[str, float] = {}
    for tokens, weight in fields:
        for t in tokens:
            bag[t] = bag.get(t, 0.0) + weight
    return bag


def idf(docs: Sequence[Bag]) -> dict[str, float]:
    """Smoothed inverse document frequency: ``log((N + 1) / (df + 1)) + 1``."""
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    n = len(docs)
    return {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}


def tfidf(bag: Bag, weights: Mapping[str, float], *, default_idf: float = 1.0) -> dict[str, float]:
    """Sublinear TF × IDF, L2-normalised. Terms unseen in the corpus get ``default_idf``."""
    vec = {t: (1.0 + math.log(f) if f >= 1 else f) * weights.get(t, default_idf) for t, f in bag.items() if f > 0}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: Bag, b: Bag) -> float:
    """Cosine of two L2-normalised sparse vectors (0..1 for non-negative weights).

    >>> round(cosine({"x": 1.0}, {"x": 0.6, "y": 0.8}), 2)
    0.6
    """
    if len(a) > len(b):
        a, b = b, a
    return max(0.0, min(1.0, sum(v * b.get(t, 0.0) for t, v in a.items())))


def bm25(query: Bag, docs: Sequence[Bag], *, k1: float = 1.2, b: float = 0.75) -> list[float]:
    """Okapi BM25 of ``query`` against each doc (weighted term frequencies), divided by the best score (0..1)."""
    n = len(docs)
    lengths = [sum(d.values()) for d in docs]
    avg = (sum(lengths) / n) if n else 0.0
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.keys())
    scores = []
    for d, length in zip(docs, lengths):
        s = 0.0
        for t, qf in query.items():
            f = d.get(t, 0.0)
            if f:
                term_idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                s += qf * term_idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / avg))
        scores.append(s)
    top = max(scores, default=0.0)
    return [s / top if top else 0.0 for s in scores]


__all__ = [
    "sudachi_tokens", "char_ngrams", "weighted_bag", "idf", "tfidf", "cosine", "bm25", "CONTENT_POS", "STOP_WORDS",
]
