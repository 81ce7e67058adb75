"""Static checks on SPARQL text before any engine sees it (pure; used by the API and the CLI).

Why: both engines reach the network on their own — pyoxigraph fetches ``SERVICE`` and ``LOAD`` targets
and rdflib fetches every ``FROM`` IRI (``file:`` included). Government networks are closed, and a
public endpoint must not become a proxy, so these keywords are found here, in the text, and refused or
rewritten before evaluation.

A small lexer skips strings, IRIs and comments, so ``"SERVICE"`` in a literal or ``ex:LOAD`` as a
prefixed name is not mistaken for the keyword.

>>> g = analyse_query("SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }")
>>> g.form, g.default_graphs, g.named_graphs
('SELECT', ['http://x/g'], [])
>>> g.text.split()
['SELECT', '*', 'WHERE', '{', '?s', '?p', '?o', '}']
>>> guard_query('SELECT * { ?s ?p "SERVICE" }')
'SELECT * { ?s ?p "SERVICE" }'
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin

from policykg.errors import ForbiddenQuery

__all__ = [
    "Token", "tokenize", "GuardedQuery", "GuardedUpdate", "analyse_query", "analyse_update",
    "guard_query", "add_using_clauses", "restrict_graphs", "resolve_dataset", "EMPTY_GRAPH",
]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")

EMPTY_GRAPH = "urn:x-policykg:empty-graph"
"""A graph name no store holds: the dataset to use when every requested graph was unknown."""

# Order matters: long strings before short ones; IRIREF before '<' as an operator.
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\-]|\.(?=[\w:%\-]))*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<open>\{+)
  | (?P<close>\}+)
  | (?P<other>[^\s\w#'"<?$:{}]+|\d+|.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One lexical unit; ``kind`` is ws, comment, string, iri, var, pname, word, open, close or other;
    ``keyword`` is the upper-cased word for bare words (keyword candidates), else ``None``."""

    kind: str
    value: str
    start: int
    end: int
    keyword: str | None = None
    depth: int = 0
    """Brace depth at the token (0 = outside every group), filled in by the guard's own scan."""


def _token(m: re.Match, depth: int = 0) -> Token:
    kind, value = m.lastgroup or "other", m.group()
    return Token(kind, value, m.start(), m.end(), value.upper() if kind == "word" else None, depth)


def tokenize(text: str) -> Iterator[Token]:
    """All tokens of ``text``, whitespace and comments included, covering it without gaps.

    >>> [t.kind for t in tokenize('ASK { <a> ?b "c" } # x') if t.kind != "ws"]
    ['word', 'open', 'iri', 'var', 'string', 'close', 'comment']
    """
    return map(_token, _TOKEN_RE.finditer(text))


_KEYWORDS = frozenset({
    "SERVICE", "LOAD", "FROM", "NAMED", "BASE", "PREFIX", "USING", "WITH", "WHERE", "DELETE", *QUERY_FORMS,
})
_KEPT = frozenset({"iri", "pname"})


def _significant(text: str) -> list[Token]:
    """Only the tokens the checks look at (the keywords above, IRIs, prefixed names), each with its
    brace depth.

    Strings, variables, comments, braces, other words and punctuation are not kept; that keeps the
    guard fast on large adversarial input (about a second for a 1 MB body at worst).
    """
    out: list[Token] = []
    depth = 0
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += m.end() - m.start()
        elif kind == "close":
            depth -= m.end() - m.start()
        elif kind in _KEPT or (kind == "word" and m.group().upper() in _KEYWORDS):
            out.append(_token(m, depth))
    return out


@dataclass(frozen=True)
class GuardedQuery:
    """A query checked for forbidden keywords, with its dataset clause taken out.

    ``text`` keeps every character position of the original (removed clauses become spaces), so
    syntax-error positions reported by the engine still point into what the user wrote.
    """

    text: str
    form: str | None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass(frozen=True)
class GuardedUpdate:
    """An update checked for forbidden keywords; ``has_dataset_clause`` = it uses USING or WITH,
    ``has_using`` = it uses USING (which rdflib would fetch from the network)."""

    text: str
    has_dataset_clause: bool
    has_using: bool = False


def _check_forbidden(tokens: list[Token], *, allow_service: bool, allow_load: bool) -> None:
    for tok in tokens:
        if tok.keyword == "SERVICE" and not allow_service:
            raise ForbiddenQuery(
                "SERVICE（外部 SPARQL への連合問い合わせ）は無効です / SERVICE (federated query) is disabled on this server"
            )
        if tok.keyword == "LOAD" and not allow_load:
            raise ForbiddenQuery("LOAD（外部データの取得）は無効です / LOAD (fetching remote data) is disabled on this server")


def _prologue(tokens: list[Token]) -> tuple[str | None, dict[str, str]]:
    """BASE and PREFIX declarations, so ``FROM ex:g`` resolves like the engine would resolve it."""
    base: str | None = None
    prefixes: dict[str, str] = {}
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.keyword == "BASE" and nxt is not None and nxt.kind == "iri":
            base = _resolve(nxt.value[1:-1], base)
        elif tok.keyword == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2].kind == "iri":
            prefixes[nxt.value.rstrip(":")] = _resolve(tokens[i + 2].value[1:-1], base)
    return base, prefixes


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base else iri


def _graph_iri(tok: Token, base: str | None, prefixes: dict[str, str]) -> str:
    if tok.kind == "iri":
        return _resolve(tok.value[1:-1], base)
    if tok.kind == "pname":
        prefix, _, local = tok.value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
        raise ForbiddenQuery(f"FROM の接頭辞が未定義です / undefined prefix in FROM: {prefix}:")
    raise ForbiddenQuery("FROM の後には IRI が必要です / FROM must be followed by an IRI")


def analyse_query(text: str, *, allow_service: bool = False, allow_load: bool = False) -> GuardedQuery:
    """Check a query and take its ``FROM`` / ``FROM NAMED`` clauses out as graph lists.

    The graphs are returned, never fetched: the caller restricts them to graphs the store holds
    (:func:`restrict_graphs`) and passes them to the engine as the dataset.

    :raises ForbiddenQuery: SERVICE or LOAD is used while switched off, or FROM names no IRI.
    """
    tokens = _significant(text)
    _check_forbidden(tokens, allow_service=allow_service, allow_load=allow_load)
    base, prefixes = _prologue(tokens)
    form = next((t.keyword for t in tokens if t.keyword in QUERY_FORMS), None)
    default_graphs: list[str] = []
    named_graphs: list[str] = []
    cut: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.keyword == "FROM" and tok.depth == 0:
            named = i + 1 < len(tokens) and tokens[i + 1].keyword == "NAMED"
            target_index = i + 2 if named else i + 1
            if target_index >= len(tokens):
                raise ForbiddenQuery("FROM の後には IRI が必要です / FROM must be followed by an IRI")
            target = tokens[target_index]
            (named_graphs if named else default_graphs).append(_graph_iri(target, base, prefixes))
            cut.append((tok.start, target.end))
            i = target_index
        i += 1
    return GuardedQuery(_blank(text, cut), form, default_graphs, named_graphs)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """Replace each span by spaces, keeping newlines, so positions after it do not move."""
    chars = list(text)
    for start, end in spans:
        for k in range(start, end):
            if chars[k] not in "\r\n":
                chars[k] = " "
    return "".join(chars)


def analyse_update(text: str, *, allow_service: bool = False, allow_load: bool = False) -> GuardedUpdate:
    """Check an update request.

    :raises ForbiddenQuery: SERVICE or LOAD is used while switched off.
    """
    tokens = _significant(text)
    _check_forbidden(tokens, allow_service=allow_service, allow_load=allow_load)
    using = any(t.keyword == "USING" for t in tokens)
    return GuardedUpdate(text, using or any(t.keyword == "WITH" for t in tokens), using)


def add_using_clauses(text: str, using: Collection[str], using_named: Collection[str]) -> str:
    """Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to every WHERE of an update.

    SPARQL 1.1 Protocol §2.2.3: these parameters act as USING / USING NAMED clauses on each operation
    that has a WHERE; ``DELETE WHERE`` and the ``DATA`` forms take none. IRIs are written with ``<>``
    after checking they contain no character that could end the IRI early.

    >>> add_using_clauses("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x/g"], [])
    'DELETE { ?s ?p ?o } USING <http://x/g> WHERE { ?s ?p ?o }'
    """
    clause = " ".join([f"USING {_iri_ref(g)}" for g in using] + [f"USING NAMED {_iri_ref(g)}" for g in using_named])
    if not clause:
        return text
    tokens = _significant(text)
    inserts: list[int] = []
    for i, tok in enumerate(tokens):
        delete_where = i > 0 and tokens[i - 1].keyword == "DELETE" and _GAP.fullmatch(text, tokens[i - 1].end, tok.start)
        if tok.keyword == "WHERE" and tok.depth == 0 and not delete_where:
            inserts.append(tok.start)
    out = text
    for pos in reversed(inserts):
        out = out[:pos] + clause + " " + out[pos:]
    return out


_GAP = re.compile(r"(?:\s|#[^\n\r]*)*")
"""Only whitespace and comments: ``DELETE`` and ``WHERE`` with this between is the DELETE WHERE form."""

_IRI_SAFE = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def _iri_ref(iri: str) -> str:
    if not _IRI_SAFE.fullmatch(iri):
        raise ForbiddenQuery(f"IRI として使えない文字があります / not a valid IRI: {iri!r}")
    return f"<{iri}>"


def restrict_graphs(requested: Collection[str], available: Collection[str]) -> list[str]:
    """The requested graph IRIs that the store holds, in request order, without duplicates.

    >>> restrict_graphs(["http://x/a", "file:///etc/passwd", "http://x/a"], {"http://x/a"})
    ['http://x/a']
    """
    seen: list[str] = []
    for g in requested:
        if g in available and g not in seen:
            seen.append(g)
    return seen


def resolve_dataset(
    default: Collection[str], named: Collection[str], available: Collection[str]
) -> tuple[list[str], list[str]]:
    """The dataset to hand to ``Store.query``: requested graphs the store holds, never fetched.

    No graphs requested → ``([], [])`` (the union default graph). Otherwise each list keeps only
    known graphs, and a list left empty becomes ``[EMPTY_GRAPH]``: "only unknown graphs" means an
    empty graph (as the SPARQL dataset rules say), not silently the whole store.

    >>> resolve_dataset(["http://x/a", "http://elsewhere/"], [], {"http://x/a"})
    (['http://x/a'], ['urn:x-policykg:empty-graph'])
    >>> resolve_dataset([], [], {"http://x/a"})
    ([], [])
    """
    if not (default or named):
        return [], []
    return restrict_graphs(default, available) or [EMPTY_GRAPH], restrict_graphs(named, available) or [EMPTY_GRAPH]


def guard_query(text: str, *, allow_service: bool = False, allow_load: bool = False) -> str:
    """The query text safe to hand to an engine: SERVICE/LOAD refused, FROM clauses removed.

    Callers that want the FROM graphs as a dataset use :func:`analyse_query` instead and pass
    ``default_graphs`` / ``named_graphs`` (restricted to the store's graphs) to ``Store.query``.

    :raises ForbiddenQuery: SERVICE or LOAD is used while switched off.
    """
    return analyse_query(text, allow_service=allow_service, allow_load=allow_load).text
