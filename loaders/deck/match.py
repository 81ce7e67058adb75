"""Fuzzy matching of labels that the deck words slightly differently on different slides.

Why: 「安全で」/「安心で」, 「地域交通」/「地域交通・物流」, 「サイバーセキュリティー」/「…ティ」 name one entity.
Matching is by normalised text first, then character-bigram (Dice) similarity — never by a list
of known strings — so a revised edition with new wording still links up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from policykg.ids import normalize_label

T = TypeVar("T")
MIN_SIMILARITY = 0.5
"""Below this Dice score two labels are treated as different things."""


def bigrams(text: str) -> set[str]:
    s = normalize_label(text)
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of the normalised labels (1.0 = same text).

    >>> similarity("安全で質の高い医療", "安心で質の高い医療") > 0.7
    True
    >>> similarity("農林水産業の持続的な成長", "デジタル人材の育成・確保") < 0.2
    True
    """
    if normalize_label(a) == normalize_label(b):
        return 1.0
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def best_match(
    label: str, candidates: Iterable[T], key: Callable[[T], str], *, minimum: float = MIN_SIMILARITY
) -> T | None:
    """The candidate whose label is most similar to ``label`` (None below ``minimum``)."""
    scored = [(similarity(label, key(c)), i, c) for i, c in enumerate(candidates)]
    if not scored:
        return None
    score, _, best = max(scored, key=lambda t: (t[0], -t[1]))
    return best if score >= minimum else None


def segment_labels(
    tokens: list[str], candidates: list[T], key: Callable[[T], str], *,
    join: Callable[[list[str]], str], minimum: float = MIN_SIMILARITY, allow_unmatched_tail: bool = False,
) -> list[tuple[str, T | None]] | None:
    """Split tokens into consecutive spans, each matching a candidate label (None: no full split).

    Dynamic programming maximising Σ similarity × span length, so a label that contains spaces is
    kept whole rather than split into two poorer matches. With ``allow_unmatched_tail`` the last span
    may match nothing (it is returned with None).

    >>> segment_labels("ab cd ef".split(), ["abcd", "ef"], key=str, join="".join)
    [('abcd', 'abcd'), ('ef', 'ef')]
    """
    n = len(tokens)
    best: list[tuple[float, list[tuple[str, T | None]]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(1, n + 1):
        for k in range(i):
            previous = best[k]
            if previous is None:
                continue
            label = join(tokens[k:i])
            match = best_match(label, candidates, key, minimum=minimum)
            if match is not None:
                gain = similarity(label, key(match)) * len(label)
            elif i == n and allow_unmatched_tail:
                gain = MIN_SIMILARITY * len(label) * 0.5
            else:
                continue
            current = best[i]
            if current is None or previous[0] + gain > current[0]:
                best[i] = (previous[0] + gain, previous[1] + [(label, match)])
    result = best[n]
    return result[1] if result is not None else None


__all__ = ["bigrams", "similarity", "best_match", "segment_labels", "MIN_SIMILARITY"]
