"""SPARQL 1.1 Protocol request parsing (§2.1 query, §2.2 update), pure: no I/O, no engine.

A request becomes one :class:`Operation` or a :class:`ProtocolError` (400) saying what is wrong, as
the protocol asks for more than one query string, both query and update, wrong media types or
non-UTF-8 bodies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from policykg.errors import PolicyKGError

FORM = "application/x-www-form-urlencoded"
DIRECT_QUERY = "application/sparql-query"
DIRECT_UPDATE = "application/sparql-update"

DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
UPDATE_DATASET_PARAMS = ("using-graph-uri", "using-named-graph-uri")


class ProtocolError(PolicyKGError):
    """The request breaks the SPARQL 1.1 Protocol; the message is safe to show (ja / en)."""


@dataclass(frozen=True)
class Operation:
    """One protocol operation: ``kind`` is ``query``, ``update`` or ``describe-service``."""

    kind: str
    text: str = ""
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


Params = Sequence[tuple[str, str]]


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """``(type, charset)`` of a Content-Type header, lower-cased; charset ``None`` when absent."""
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = None
    for p in parts[1:]:
        name, _, value = p.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return parts[0].lower(), charset


def _decode(body: bytes, charset: str | None) -> str:
    if charset not in (None, "utf-8", "utf8"):
        raise ProtocolError(f"本文は UTF-8 で送ってください / the body must be UTF-8 (got charset={charset})")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"本文が UTF-8 ではありません / the body is not valid UTF-8 (byte {exc.start})") from None


def _values(params: Params, name: str) -> list[str]:
    return [v for k, v in params if k == name]


def _single(params: Params, name: str) -> str | None:
    values = _values(params, name)
    if len(values) > 1:
        raise ProtocolError(f"パラメータ {name} は 1 つだけ指定してください / give exactly one {name} parameter")
    return values[0] if values else None


def parse_form(body: bytes, charset: str | None) -> list[tuple[str, str]]:
    """The pairs of a url-encoded body, decoded strictly as UTF-8.

    >>> parse_form(b"query=ASK%20%7B%7D&default-graph-uri=http%3A%2F%2Fx", None)
    [('query', 'ASK {}'), ('default-graph-uri', 'http://x')]
    """
    text = _decode(body, charset)
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError("フォームの値が UTF-8 ではありません / a form value is not UTF-8") from None


def parse_request(method: str, query_params: Params, content_type: str | None, body: bytes) -> Operation:
    """Decide what a request asks for.

    GET: ``query`` (or nothing → the service description). POST: a url-encoded form with ``query`` or
    ``update``, or a direct ``application/sparql-query`` / ``application/sparql-update`` body.

    :raises ProtocolError: the request breaks the protocol.
    """
    method = method.upper()
    if method == "GET":
        if _values(query_params, "update"):
            raise ProtocolError("更新は POST で送ってください / SPARQL Update must use POST")
        query = _single(query_params, "query")
        if query is None:
            return Operation("describe-service")
        return _query_op(query, query_params)
    if method != "POST":
        raise ProtocolError(f"使えないメソッドです / method {method} is not allowed; use GET or POST")
    media, charset = _media_type(content_type)
    if media == FORM:
        form = parse_form(body, charset)
        queries, updates = _values(form, "query"), _values(form, "update")
        if _values(query_params, "query") or _values(query_params, "update"):
            raise ProtocolError("query/update は本文に入れてください / put query or update in the form body, not the URL")
        if queries and updates:
            raise ProtocolError("query と update を同時には送れません / send either query or update, not both")
        params = [*form, *query_params]
        if queries:
            return _query_op(_single(form, "query") or "", params)
        if updates:
            return _update_op(_single(form, "update") or "", params)
        raise ProtocolError("query または update パラメータがありません / the form has no query or update parameter")
    if media in (DIRECT_QUERY, DIRECT_UPDATE):
        text = _decode(body, charset)
        if _values(query_params, "query") or _values(query_params, "update"):
            raise ProtocolError("本文と URL の両方に問い合わせがあります / the operation is in both the body and the URL")
        return _query_op(text, query_params) if media == DIRECT_QUERY else _update_op(text, query_params)
    shown = media or "なし / none"
    raise ProtocolError(
        f"Content-Type が不正です / unsupported Content-Type {shown}; use {FORM}, {DIRECT_QUERY} or {DIRECT_UPDATE}"
    )


def _query_op(text: str, params: Params) -> Operation:
    if any(_values(params, p) for p in UPDATE_DATASET_PARAMS):
        raise ProtocolError("using-graph-uri は更新専用です / using-graph-uri applies to updates only")
    if not text.strip():
        raise ProtocolError("問い合わせが空です / the query is empty")
    return Operation("query", text, _values(params, "default-graph-uri"), _values(params, "named-graph-uri"))


def _update_op(text: str, params: Params) -> Operation:
    if any(_values(params, p) for p in DATASET_PARAMS):
        raise ProtocolError("default-graph-uri は問い合わせ専用です / default-graph-uri applies to queries only")
    if not text.strip():
        raise ProtocolError("更新が空です / the update is empty")
    return Operation("update", text, _values(params, "using-graph-uri"), _values(params, "using-named-graph-uri"))
