"""rdflib graphs as N-Quads bytes, fast: how parsed sources reach Oxigraph.

Building pyoxigraph terms one by one costs 3–9 µs a term (each constructor validates), about 2 s for a
workbook of 1,000 measures; writing N-Quads text in Python and letting Oxigraph's parser read it
(``Store.load``) costs a fraction of that and keeps one parse, in Rust, as the only check. The text is
the same data :func:`policykg.graph.store.to_oxigraph` would make: IRIs as they are, literals with
their lexical form, language or datatype (``xsd:string`` written plain), blank nodes with their rdflib
ids when N-Quads allows them, otherwise a stable substitute per load (one node, one label).

>>> from rdflib import BNode, Graph, Literal, URIRef
>>> g = Graph()
>>> _ = g.add((URIRef("http://x/a"), URIRef("http://x/p"), Literal('say "hi"\\n', lang="ja")))
>>> nquads({URIRef("http://x/g"): g}).decode()
'<http://x/a> <http://x/p> "say \\\\"hi\\\\"\\\\n"@ja <http://x/g> .\\n'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from policykg.graphs import native_source

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_SAFE_BNODE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]*\Z")


class _Writer:
    """Term → N-Quads text, remembering IRIs and blank nodes it has written (they repeat a lot)."""

    def __init__(self) -> None:
        self.named: dict[str, str] = {}
        self.blank: dict[str, str] = {}
        self.literals: dict[int, tuple[Literal, str]] = {}
        """By object identity (rdflib's Literal hash is computed in Python on every call); the term is kept
        beside its text so an id can never be reused by another object while the writer lives."""

    def term(self, term: Node) -> str:
        kind = type(term)
        if kind is URIRef:
            text = self.named.get(term)
            if text is None:
                text = self.named[term] = f"<{term}>"
            return text
        if kind is Literal:
            seen = self.literals.get(id(term))
            if seen is not None and seen[0] is term:
                return seen[1]
            lexical = str(term).translate(_ESCAPES)
            datatype = term.datatype
            if term.language:
                text = f'"{lexical}"@{term.language}'
            elif datatype is None or datatype == _XSD_STRING:
                text = f'"{lexical}"'
            else:
                text = f'"{lexical}"^^<{datatype}>'
            self.literals[id(term)] = (term, text)
            return text
        if kind is BNode:
            text = self.blank.get(term)
            if text is None:
                label = str(term) if _SAFE_BNODE.match(term) else f"pkb{len(self.blank)}"
                text = self.blank[term] = f"_:{label}"
            return text
        if isinstance(term, (URIRef, Literal, BNode)):  # subclasses (rare): the same, slower
            return self.term(URIRef(term) if isinstance(term, URIRef) else BNode(term) if isinstance(term, BNode)
                             else Literal(str(term), lang=term.language, datatype=term.datatype))
        raise TypeError(f"unsupported term {term!r}")


def nquads(graphs: Mapping[URIRef, Iterable[tuple[Node, Node, Node]]]) -> bytes:
    """Every triple of every graph as one N-Quads document (graph names as given), UTF-8.

    A :func:`policykg.graphs.native_graph` is written by Oxigraph itself (its N-Triples, each line
    given the graph name)."""
    writer = _Writer()
    term = writer.term
    parts: list[bytes] = []
    for name, triples in graphs.items():
        suffix = f" {term(URIRef(name))} .\n"
        engine = native_source(triples) if isinstance(triples, Graph) else None
        if engine is not None:
            text = engine.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=triples.store.name)
            parts.append(text.replace(b" .\n", suffix.encode("utf-8")))  # raw newlines only end lines in N-Triples
            continue
        parts.append("".join(f"{term(s)} {term(p)} {term(o)}{suffix}" for s, p, o in triples).encode("utf-8"))
    return b"".join(parts)


def nquads_of_quads(quads: Iterable[tuple[Node, Node, Node, Node]]) -> bytes:
    """``(s, p, o, graph)`` rdflib quads as one N-Quads document, UTF-8.

    >>> from rdflib import URIRef
    >>> x = URIRef("http://x/a")
    >>> nquads_of_quads([(x, x, x, URIRef("http://x/g"))])
    b'<http://x/a> <http://x/a> <http://x/a> <http://x/g> .\\n'
    """
    term = _Writer().term
    return "".join(f"{term(s)} {term(p)} {term(o)} {term(g)} .\n" for s, p, o, g in quads).encode("utf-8")


__all__ = ["nquads", "nquads_of_quads"]
