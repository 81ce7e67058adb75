"""What a SPARQL request may do, decided on its parse tree (pure; used by the query workers, the API and the CLI).

Why: both engines reach the network on their own — pyoxigraph fetches ``SERVICE`` and ``LOAD`` targets
and rdflib fetches every ``FROM`` / ``USING`` IRI (``file:`` included). Government networks are closed
and a public endpoint must not become a proxy, so:

1. :func:`nesting_depth` bounds how deeply groups and brackets nest *before* any parser runs (a
   recursive-descent parser overflows its stack on thousands of nested ``{``);
2. :func:`inspect_query` / :func:`inspect_update` parse the request with rdflib's SPARQL grammar (which
   applies ``\\u`` escapes and local-name escapes the way the specification says) and report, from the
   tree, whether it uses SERVICE or LOAD and which graphs FROM / FROM NAMED / USING / USING NAMED name;
3. :func:`check` refuses SERVICE and LOAD; dataset graphs are read from the store only, never fetched.

The decision never rests on this module alone: the process that evaluates is confined
(:mod:`policykg.graph.sandbox`), so a query the two parsers read differently still fetches nothing.

>>> i = inspect_query("PREFIX ex: <http://x/> SELECT * FROM ex:g WHERE { ?s ?p ?o }")
>>> i.form, i.default_graphs, i.service
('SELECT', ('http://x/g',), False)
>>> inspect_query(r"SELECT * { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }").service
True
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from policykg.errors import ForbiddenQuery, QueryError, SparqlSyntaxError

__all__ = [
    "Token", "tokenize", "Inspection", "QueryTooDeep", "nesting_depth", "inspect_query",
    "inspect_update", "check", "add_using_clauses", "QUERY_FORMS", "MAX_NESTING",
]

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
MAX_NESTING = 64
"""Default deepest nesting of ``{``, ``(`` and ``[`` accepted (setting ``max_nesting``)."""


class QueryTooDeep(QueryError):
    """Groups or brackets nest deeper than the limit; refused before parsing."""

    def __init__(self, depth: int, limit: int) -> None:
        super().__init__(
            f"入れ子が深すぎます（{depth} 段、上限 {limit} 段）/ the request nests {depth} levels deep; the limit is {limit}"
        )
        self.depth, self.limit = depth, limit


# --- tokens (used to place generated clauses and to bound nesting; never to decide capabilities) ----

_PN_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN_RE = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
  | (?P<pname>(?:[^\W\d][\w.\-]*)?:(?:[\w:%\-]|"""
    + _PN_LOCAL_ESC
    + r"""|\.(?=[\w:%\-\\]))*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<open>\{+)
  | (?P<close>\}+)
  | (?P<other>[^\s\w#'"<?$:{}]+|\d+|.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One lexical unit; ``kind`` is ws, comment, string, iri, var, pname, word, open, close or other;
    ``keyword`` is the upper-cased word for bare words, else ``None``."""

    kind: str
    value: str
    start: int
    end: int
    keyword: str | None = None


def tokenize(text: str) -> Iterator[Token]:
    """All tokens of ``text``, whitespace and comments included, covering it without gaps.

    >>> [t.kind for t in tokenize('ASK { <a> ?b "c" } # x') if t.kind != "ws"]
    ['word', 'open', 'iri', 'var', 'string', 'close', 'comment']
    >>> [t.value for t in tokenize(r"ex:a\\# ?o") if t.kind == "pname"]
    ['ex:a\\\\#']
    """
    for m in _TOKEN_RE.finditer(text):
        kind, value = m.lastgroup or "other", m.group()
        yield Token(kind, value, m.start(), m.end(), value.upper() if kind == "word" else None)


_BRACKETS = re.compile(r"[{(\[]|[})\]]")


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` outside strings, IRIs and comments.

    A bound checked before parsing, so that a parser never meets thousands of levels. Should a
    crafted token hide brackets from this count, the parser's own recursion limit and the confined,
    killable worker still stand behind it.

    >>> nesting_depth('SELECT * { { ?s ?p "{{{{" } FILTER((1)) }')
    3
    """
    depth = deepest = 0
    for tok in tokenize(text):
        if tok.kind in ("open", "close", "other"):
            for ch in _BRACKETS.findall(tok.value) if tok.kind == "other" else tok.value:
                if ch in "{([":
                    depth += 1
                    deepest = max(deepest, depth)
                else:
                    depth = max(0, depth - 1)
    return deepest


# --- parse trees ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inspection:
    """What a parsed request does, as far as the guard cares."""

    form: str | None
    """SELECT, ASK, CONSTRUCT or DESCRIBE for queries; ``None`` for updates."""
    service: bool = False
    load: bool = False
    default_graphs: tuple[str, ...] = ()
    """FROM (queries) or USING (updates) graphs, resolved against BASE and PREFIX."""
    named_graphs: tuple[str, ...] = ()
    """FROM NAMED or USING NAMED graphs."""
    with_graph: bool = False
    """An update operation names its graph with WITH."""

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


_FORM_NAMES = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


def _parse(text: str, update: bool, max_nesting: int):
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql import parser

    depth = nesting_depth(text)
    if depth > max_nesting:
        raise QueryTooDeep(depth, max_nesting)
    try:
        return parser.parseUpdate(text) if update else parser.parseQuery(text)
    except ParseBaseException as exc:
        reason = re.sub(r"\s+", " ", str(exc.msg))[:160]
        raise SparqlSyntaxError(exc.lineno, exc.col, reason) from None
    except RecursionError:
        raise QueryTooDeep(depth, max_nesting) from None


def _walk(root: object) -> Iterator[object]:
    """Every node of an rdflib parse tree (CompValue, ParseResults, lists, terms), iteratively."""
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, CompValue):
            stack.extend(node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend(node)


def _resolver(prologue: object):
    from rdflib.plugins.sparql.algebra import translatePrologue

    resolved = translatePrologue(prologue, None)

    def iri(term: object) -> str:
        try:
            return str(resolved.absolutize(term))
        except Exception as exc:  # rdflib raises a bare Exception for an undeclared prefix, nothing else here
            if not str(exc).startswith("Unknown namespace prefix"):
                raise
            prefix = getattr(term, "prefix", None) or ""
            raise SparqlSyntaxError(None, None, f"undeclared prefix '{prefix}:'") from None

    return iri


def _name(node: object) -> str | None:
    return getattr(node, "name", None) if hasattr(node, "values") else None


def _field(node: object, key: str) -> object:
    """A parse-tree node's field, ``None`` when absent (``CompValue.get`` returns the key itself)."""
    return dict.get(node, key) if isinstance(node, dict) else None


def _dataset(clauses: object, iri) -> tuple[tuple[str, ...], tuple[str, ...]]:
    default: list[str] = []
    named: list[str] = []
    for clause in clauses or []:
        if _field(clause, "default") is not None:
            default.append(iri(_field(clause, "default")))
        elif _field(clause, "named") is not None:
            named.append(iri(_field(clause, "named")))
    return tuple(dict.fromkeys(default)), tuple(dict.fromkeys(named))


def inspect_query(text: str, *, max_nesting: int = MAX_NESTING) -> Inspection:
    """Parse a query and report its form, SERVICE use and FROM / FROM NAMED graphs.

    :raises QueryTooDeep: nesting beyond ``max_nesting`` (checked before parsing).
    :raises SparqlSyntaxError: the text is not a SPARQL 1.1 query (line, column, short reason).

    Inspections of texts up to 16 KB are remembered (256 of them): canned queries and repeated
    queries are parsed once per process (the parser costs about 0.1 s on a canned query).
    """
    if len(text) <= _REMEMBERED_TEXT:
        return _inspect_query_remembered(text, max_nesting)
    return _inspect_query(text, max_nesting)


_REMEMBERED_TEXT = 16_384


@lru_cache(maxsize=256)
def _inspect_query_remembered(text: str, max_nesting: int) -> Inspection:
    return _inspect_query(text, max_nesting)


def _inspect_query(text: str, max_nesting: int) -> Inspection:
    tree = _parse(text, False, max_nesting)
    prologue, query = tree[0], tree[1]
    iri = _resolver(prologue)
    default, named = _dataset(_field(query, "datasetClause"), iri)
    service = any(_name(n) == "ServiceGraphPattern" for n in _walk(query))
    return Inspection(_FORM_NAMES.get(query.name), service, False, default, named)


def inspect_update(text: str, *, max_nesting: int = MAX_NESTING) -> Inspection:
    """Parse an update request and report LOAD, SERVICE and USING / USING NAMED graphs of all its operations.

    :raises QueryTooDeep: nesting beyond ``max_nesting`` (checked before parsing).
    :raises SparqlSyntaxError: the text is not a SPARQL 1.1 update.
    """
    tree = _parse(text, True, max_nesting)
    prologues = _field(tree, "prologue") or []
    requests = _field(tree, "request") or []
    service = load = with_graph = False
    default: list[str] = []
    named: list[str] = []
    for index, request in enumerate(requests):
        iri = _resolver(prologues[index] if index < len(prologues) else [])
        for node in _walk(request):
            name = _name(node)
            service = service or name == "ServiceGraphPattern"
            load = load or name == "Load"
        with_graph = with_graph or _field(request, "withClause") is not None
        d, n = _dataset(_field(request, "using"), iri)
        default += d
        named += n
    return Inspection(None, service, load, tuple(dict.fromkeys(default)), tuple(dict.fromkeys(named)), with_graph)


def check(inspection: Inspection, *, allow_service: bool = False, allow_load: bool = False) -> None:
    """Refuse what the server does not allow. Dataset graphs are not refused here: the evaluator reads
    them from the store only (:func:`policykg.graph.evaluation.resolve_dataset`), never fetches them.

    :raises ForbiddenQuery: SERVICE or LOAD while switched off.
    """
    if inspection.service and not allow_service:
        raise ForbiddenQuery(
            "SERVICE（外部 SPARQL への連合問い合わせ）は無効です / SERVICE (federated query) is disabled on this server"
        )
    if inspection.load and not allow_load:
        raise ForbiddenQuery("LOAD（外部データの取得）は無効です / LOAD (fetching remote data) is disabled on this server")


# --- protocol using-graph-uri ---------------------------------------------------------------------


def add_using_clauses(text: str, using: Collection[str], using_named: Collection[str]) -> str:
    """Apply the protocol's ``using-graph-uri`` / ``using-named-graph-uri`` to every WHERE of an update.

    SPARQL 1.1 Protocol §2.2.3: these parameters act as USING / USING NAMED clauses on each operation
    that has a WHERE; ``DELETE WHERE`` and the ``DATA`` forms take none. The result is parsed and
    checked like any update, so a misplaced clause can only make it fail, never widen it.

    >>> add_using_clauses("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", ["http://x/g"], [])
    'DELETE { ?s ?p ?o } USING <http://x/g> WHERE { ?s ?p ?o }'
    """
    clause = " ".join([f"USING {_iri_ref(g)}" for g in using] + [f"USING NAMED {_iri_ref(g)}" for g in using_named])
    if not clause:
        return text
    inserts: list[int] = []
    depth = 0
    previous: Token | None = None
    for tok in tokenize(text):
        if tok.kind == "open":
            depth += tok.end - tok.start
        elif tok.kind == "close":
            depth -= tok.end - tok.start
        elif tok.keyword == "WHERE" and depth == 0 and not (previous is not None and previous.keyword == "DELETE"):
            inserts.append(tok.start)
        if tok.kind not in ("ws", "comment"):
            previous = tok
    out = text
    for pos in reversed(inserts):
        out = out[:pos] + clause + " " + out[pos:]
    return out


_IRI_SAFE = re.compile(r"[^<>\"{}|^`\\\x00-\x20]+")


def _iri_ref(iri: str) -> str:
    if not _IRI_SAFE.fullmatch(iri):
        raise ForbiddenQuery(f"IRI として使えない文字があります / not a valid IRI: {iri!r}")
    return f"<{iri}>"
