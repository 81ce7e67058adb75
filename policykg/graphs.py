"""Graphs that loaders fill fast: an rdflib :class:`~rdflib.Graph` over an append-first store.

A workbook of 1,000 measures and 3,000 indicators is about 210,000 triples. rdflib's own stores keep
three nested-dict indexes up to date on every ``add`` (about 25 µs a triple here, most of a workbook
load), although a loader only writes and, at the end, the pipeline reads every triple once. So
:class:`AppendStore` keeps the triples in one insertion-ordered set and builds an index by subject,
predicate or object only when a pattern asks for one (then keeps it up to date). Everything else is
an ordinary rdflib Graph: parse, serialise, isomorphism and SPARQL work unchanged.

>>> from rdflib import Literal, URIRef
>>> g = fast_graph()
>>> a, p = URIRef("http://x/a"), URIRef("http://x/p")
>>> _ = g.add((a, p, Literal(1))).add((a, p, Literal(1))).add((a, p, Literal(2)))
>>> len(g), sorted(int(o) for o in g.objects(a, p))
(2, [1, 2])
>>> _ = g.remove((a, p, Literal(1)))
>>> [int(o) for o in g.objects(a, None)]
[2]
"""

from __future__ import annotations

import gc
import itertools
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.store import Store
from rdflib.term import Identifier, Node

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

_Triple = tuple[Any, Any, Any]


class AppendStore(Store):
    """A context-unaware store: an ordered set of triples plus per-position indexes made on demand."""

    context_aware = False
    formula_aware = False
    graph_aware = False
    transaction_aware = False

    def __init__(self, configuration: Any = None, identifier: Any = None) -> None:
        super().__init__(configuration)
        self._triples: dict[_Triple, None] = {}
        self._indexes: dict[int, dict[Any, dict[_Triple, None]]] = {}
        self._prefixes: dict[str, URIRef] = {}
        self._namespaces: dict[URIRef, str] = {}

    # --- writing -----------------------------------------------------------------------------
    def add(self, triple: _Triple, context: Any = None, quoted: bool = False) -> None:
        if triple in self._triples:
            return
        self._triples[triple] = None
        if self._indexes:  # none until a pattern asks (a loader that only writes never pays for them)
            for position, index in self._indexes.items():
                index.setdefault(triple[position], {})[triple] = None

    def addN(self, quads: Any) -> None:  # noqa: N802 (rdflib's name)
        for s, p, o, _context in quads:
            self.add((s, p, o))

    def remove(self, triple: _Triple, context: Any = None) -> None:
        for found, _contexts in list(self.triples(triple)):
            del self._triples[found]
            for position, index in self._indexes.items():
                bucket = index[found[position]]
                del bucket[found]
                if not bucket:
                    del index[found[position]]

    # --- reading -----------------------------------------------------------------------------
    def _index(self, position: int) -> dict[Any, dict[_Triple, None]]:
        index = self._indexes.get(position)
        if index is None:
            index = {}
            for triple in self._triples:
                index.setdefault(triple[position], {})[triple] = None
            self._indexes[position] = index
        return index

    def triples(self, triple_pattern: _Triple, context: Any = None) -> Iterator[tuple[_Triple, Iterator[Any]]]:
        s, p, o = triple_pattern
        if s is None and p is None and o is None:
            candidates: Any = list(self._triples)
        elif s is not None and p is not None and o is not None:
            candidates = [triple_pattern] if triple_pattern in self._triples else []
        else:
            position = 0 if s is not None else 2 if o is not None else 1
            candidates = list(self._index(position).get(triple_pattern[position], ()))
        for triple in candidates:
            if (s is None or triple[0] == s) and (p is None or triple[1] == p) and (o is None or triple[2] == o):
                yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        return len(self._triples)

    def contexts(self, triple: Any = None) -> Iterator[Any]:
        return iter(())

    # --- namespaces ----------------------------------------------------------------------------
    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        bound = self._prefixes.get(prefix)
        if bound is not None and not override:
            return
        if bound is not None:
            self._namespaces.pop(bound, None)
        old_prefix = self._namespaces.get(namespace)
        if old_prefix is not None and override:
            self._prefixes.pop(old_prefix, None)
        self._prefixes[prefix] = namespace
        self._namespaces[namespace] = prefix

    def namespace(self, prefix: str) -> URIRef | None:
        return self._prefixes.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._namespaces.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._prefixes.items())


class _PlainStore(Store):
    """What the rdflib stores below share: no contexts, no formulae, prefixes kept in a dict."""

    context_aware = False
    formula_aware = False
    graph_aware = False
    transaction_aware = False

    def __init__(self) -> None:
        super().__init__()
        self._prefixes: dict[str, URIRef] = {}

    def contexts(self, triple: Any = None) -> Iterator[Any]:
        return iter(())

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        if override or prefix not in self._prefixes:
            self._prefixes[prefix] = namespace

    def namespace(self, prefix: str) -> URIRef | None:
        return self._prefixes.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return next((p for p, n in self._prefixes.items() if n == namespace), None)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._prefixes.items())


class OxigraphGraphStore(_PlainStore):
    """One named graph of a pyoxigraph Store seen as an rdflib store (bulk sources parsed by Oxigraph).

    The quads stay in Oxigraph: the pipeline copies them natively (:func:`native_source`); rdflib
    reads (pattern lookups, iteration) convert terms one by one and are meant for the odd lookup, not
    for millions of triples.
    """

    def __init__(self, engine: ox.Store, name: ox.NamedNode) -> None:
        super().__init__()
        self.engine, self.name = engine, name
        self._length: int | None = None

    def add(self, triple: _Triple, context: Any = None, quoted: bool = False) -> None:
        s, p, o = triple
        self.engine.add(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), self.name))
        self._length = None

    def remove(self, triple: _Triple, context: Any = None) -> None:
        for (s, p, o), _contexts in list(self.triples(triple)):
            self.engine.remove(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), self.name))
        self._length = None

    def triples(self, triple_pattern: _Triple, context: Any = None) -> Iterator[tuple[_Triple, Iterator[Any]]]:
        s, p, o = (None if t is None else to_oxigraph(t) for t in triple_pattern)
        for q in self.engine.quads_for_pattern(s, p, o, self.name):
            yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)), iter(())

    def __len__(self, context: Any = None) -> int:
        if self._length is None:
            self._length = sum(1 for _ in self.engine.quads_for_pattern(None, None, None, self.name))
        return self._length



def native_graph(engine: ox.Store, name: str) -> Graph:
    """The named graph ``name`` of ``engine`` as an rdflib Graph whose quads stay in Oxigraph.

    >>> engine = ox.Store()
    >>> engine.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("v"), ox.NamedNode("http://x/g")))
    >>> g = native_graph(engine, "http://x/g")
    >>> len(g), [str(o) for o in g.objects(URIRef("http://x/a"), None)], native_source(g) is engine
    (1, ['v'], True)
    """
    return Graph(store=OxigraphGraphStore(engine, ox.NamedNode(str(name))), identifier=URIRef(str(name)))


def native_source(graph: Graph) -> ox.Store | None:
    """The pyoxigraph Store behind a :func:`native_graph` (``None`` for any other graph)."""
    store = graph.store
    return store.engine if isinstance(store, OxigraphGraphStore) else None


class _ReadOnlyView(_PlainStore):
    """Shared by the read-only views below: nothing is written through them, namespaces aside."""

    def add(self, triple: _Triple, context: Any = None, quoted: bool = False) -> None:
        raise TypeError("a read-only view of other graphs: write to the graphs themselves")

    def remove(self, triple: _Triple, context: Any = None) -> None:
        raise TypeError("a read-only view of other graphs: write to the graphs themselves")

    def __len__(self, context: Any = None) -> int:
        return sum(1 for _ in self.triples((None, None, None)))



class OxigraphUnionStore(_ReadOnlyView):
    """Every graph of a pyoxigraph Store as one read-only rdflib store: each triple once per pattern,
    however many named graphs hold it (the union default graph the API queries)."""

    def __init__(self, engine: ox.Store) -> None:
        super().__init__()
        self.engine = engine

    def triples(self, triple_pattern: _Triple, context: Any = None) -> Iterator[tuple[_Triple, Iterator[Any]]]:
        s, p, o = (None if t is None else to_oxigraph(t) for t in triple_pattern)
        seen: set[tuple[Any, Any, Any]] = set()
        for q in self.engine.quads_for_pattern(s, p, o, None):
            key = (q.subject, q.predicate, q.object)
            if key in seen:
                continue
            seen.add(key)
            yield (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)), iter(())


class LayeredStore(_ReadOnlyView):
    """Two graphs seen as one, read-only: ``top``'s triples, then ``below``'s that ``top`` does not hold.
    ``top`` may grow while the view is in use; ``below`` is never copied."""

    def __init__(self, top: Graph, below: Graph) -> None:
        super().__init__()
        self.top, self.below = top, below

    def triples(self, triple_pattern: _Triple, context: Any = None) -> Iterator[tuple[_Triple, Iterator[Any]]]:
        for triple in self.top.triples(triple_pattern):
            yield triple, iter(())
        for triple in self.below.triples(triple_pattern):
            if triple not in self.top:
                yield triple, iter(())


def native_union(engine: ox.Store) -> Graph:
    """Every graph of ``engine`` as one read-only rdflib Graph whose quads stay in Oxigraph: labels and ids
    of a national-scale store looked up where they are, not copied into rdflib (a gigabyte per million).

    >>> engine = ox.Store()
    >>> a, p = ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p")
    >>> engine.extend([ox.Quad(a, p, ox.Literal("v"), ox.NamedNode(f"http://x/g{i}")) for i in (1, 2)])
    >>> g = native_union(engine)
    >>> len(g), [str(o) for o in g.objects(URIRef("http://x/a"), None)]
    (1, ['v'])
    """
    return Graph(store=OxigraphUnionStore(engine))


def layered(top: Graph, below: Graph) -> Graph:
    """``top`` and ``below`` as one read-only Graph, each triple once; ``below`` is not copied.

    >>> from rdflib import Literal
    >>> a, p = URIRef("http://x/a"), URIRef("http://x/p")
    >>> top, below = Graph(), Graph()
    >>> _ = top.add((a, p, Literal(1))); _ = below.add((a, p, Literal(1))).add((a, p, Literal(2)))
    >>> view = layered(top, below)
    >>> len(view), sorted(int(o) for o in view.objects(a, p)), (a, p, Literal(2)) in view
    (2, [1, 2], True)
    >>> _ = top.add((a, p, Literal(3))); len(view)
    3
    """
    return Graph(store=LayeredStore(top, below))


def fast_graph() -> Graph:
    """A new rdflib Graph over an :class:`AppendStore` (for loaders that mostly write)."""
    return Graph(store=AppendStore())


# --- term conversion between rdflib and pyoxigraph ----------------------------------------------

def to_rdflib(term: object) -> Identifier:
    """A pyoxigraph term as the equal rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        # normalize=False: return the stored lexical form verbatim ("1.0E6" stays "1.0E6").
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        if term.datatype.value == _XSD_STRING:
            # RDF 1.1: "x" and "x"^^xsd:string are one term; rdflib spells it without a datatype,
            # so both backends hand back equal terms.
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value), normalize=False)
    raise TypeError(f"unsupported term {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")



_BLANK_PREFIX = f"b{uuid.uuid4().hex[:20]}n"
_BLANK_SERIAL = itertools.count()


def blank() -> BNode:
    """A new blank node: a per-process random prefix and a counter (rdflib's ``BNode()`` draws a fresh UUID
    from the OS for each node — a fifth of the time of writing a workbook's dates and source locations).

    >>> a, b = blank(), blank()
    >>> a != b, str(a).rstrip("0123456789") == str(b).rstrip("0123456789")
    (True, True)
    """
    return BNode(f"{_BLANK_PREFIX}{next(_BLANK_SERIAL)}")


@lru_cache(maxsize=65536, typed=True)
def literal(value: Any, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
    """``Literal(value, lang=..., datatype=...)``, shared: loaders write the same row numbers, sheet names,
    dates and units thousands of times, and each new rdflib Literal parses its value again.
    (``typed``: ``literal(1)`` and ``literal(True)`` stay different.)

    >>> literal(3) is literal(3), literal(1) == literal(True)
    (True, False)
    """
    return Literal(value, lang=lang, datatype=datatype)


@contextmanager
def bulk_objects() -> Iterator[None]:
    """Within: no cyclic garbage collection (on again after, as it was).

    Loading a source makes hundreds of thousands of long-lived terms and triples and almost no cycles,
    yet each 700 new objects start a collection that walks the young ones and, as the heap grows, the
    whole of it: about a sixth of parsing a 3,000-indicator workbook (benchmarks/workbook_bench.py).
    Reference counting still frees everything that is dropped; cycles made within wait for the next
    collection after.

    >>> import gc
    >>> with bulk_objects():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


__all__ = ["AppendStore", "LayeredStore", "OxigraphGraphStore", "OxigraphUnionStore", "blank", "bulk_objects", "fast_graph",
           "layered", "literal", "native_graph", "native_source", "native_union", "to_oxigraph", "to_rdflib"]
