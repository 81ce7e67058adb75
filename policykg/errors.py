"""Typed errors. Library code raises these; only the CLI and the API choose exit codes and statuses."""

from __future__ import annotations

import re
from dataclasses import dataclass


class PolicyKGError(Exception):
    """Base of every error policykg raises on purpose."""


@dataclass
class SourceError(PolicyKGError):
    """Bad input: names the file, the line (or row) and the field, so a planner can fix it."""

    message: str
    file: str | None = None
    line: int | None = None
    field: str | None = None
    sheet: str | None = None
    """A workbook sheet (``分野 / areas``): then ``line`` is the sheet's row and ``field`` its column."""

    def __str__(self) -> str:
        if self.sheet is not None:
            row = f"{self.line}行目" if self.line is not None else ""
            row_en = f", row {self.line}" if self.line is not None else ""
            col = f"「{self.field}」" if self.field else ""
            col_en = f", column '{self.field}'" if self.field else ""
            return (f"{self.file or '<input>'}: シート「{self.sheet}」{row}{col} / "
                    f"sheet '{self.sheet}'{row_en}{col_en}: {self.message}")
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{where}: {self.message}"


class ValidationFailed(PolicyKGError):
    """SHACL validation found violations; ``report_text`` says which node, label and source location."""

    def __init__(self, report_text: str, violations: int) -> None:
        super().__init__(f"SHACL validation failed with {violations} violation(s)\n{report_text}")
        self.report_text = report_text
        self.violations = violations


class QueryNotFound(PolicyKGError):
    """A canned query name that does not exist; lists the names that do."""

    def __init__(self, name: str, available: list[str]) -> None:
        super().__init__(f"no canned query named {name!r}; available: {', '.join(sorted(available))}")
        self.name = name
        self.available = available


class QueryError(PolicyKGError):
    """A SPARQL query that cannot be parsed or evaluated (message safe to show users)."""


def format_syntax_error(line: int | None, column: int | None, reason: str) -> str:
    """A SPARQL syntax error for people, Japanese first, then English.

    >>> format_syntax_error(3, 17, "expected an expression")
    'SPARQL の構文エラー（3 行 17 列） / SPARQL syntax error at line 3, column 17: expected an expression'
    >>> format_syntax_error(None, None, "unexpected end")
    'SPARQL の構文エラー / SPARQL syntax error: unexpected end'
    """
    if line is None:
        return f"SPARQL の構文エラー / SPARQL syntax error: {reason}"
    where_ja = f"{line} 行" + (f" {column} 列" if column is not None else "")
    where_en = f"line {line}" + (f", column {column}" if column is not None else "")
    return f"SPARQL の構文エラー（{where_ja}） / SPARQL syntax error at {where_en}: {reason}"


@dataclass
class SparqlSyntaxError(QueryError):
    """Query text the parser refuses: 1-based ``line`` and ``column`` and a short ``reason``."""

    line: int | None
    column: int | None
    reason: str

    def __str__(self) -> str:
        return format_syntax_error(self.line, self.column, self.reason)

    @classmethod
    def from_engine(cls, message: str, text: str = "") -> SparqlSyntaxError:
        """The short form of an engine's parse error: Oxigraph's ``error at L:C: expected one of …``
        without its Unicode-range lists, plus the text found there.

        >>> str(SparqlSyntaxError.from_engine("error at 1:35: expected one of HAVING, OFFSET, ['0'..='9']",
        ...                                   "SELECT * WHERE { ?s ?p ?o } LIMIT x"))
        "SPARQL の構文エラー（1 行 35 列） / SPARQL syntax error at line 1, column 35: expected one of HAVING, OFFSET, …, near 'x'"
        """
        match = re.match(r"error at (\d+):(\d+): (.*)", message, re.DOTALL)
        if match is None:
            return cls(None, None, " ".join(message.split())[:200] or "cannot parse the query")
        line, column = int(match.group(1)), int(match.group(2))
        return cls(line, column, _short_reason(match.group(3)) + _near(text, line, column))


def _short_reason(reason: str) -> str:
    """``expected one of …`` keeping the first eight literal alternatives, none of the character classes."""
    head, sep, rest = reason.partition("expected one of ")
    if not sep:
        head, sep, rest = reason.partition("expected ")
    if not sep:
        return " ".join(reason.split())[:200]
    items = re.findall(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|[^,\s][^,]*', " ".join(rest.split()))
    kept = [item for item in items if item and not item.startswith("[")]
    if not kept:
        return "unexpected character" if head.strip() == "" else head.strip()
    more = ", …" if len(kept) > 8 or len(kept) < len(items) else ""
    return f"expected {'one of ' if len(kept) > 1 or more else ''}{', '.join(kept[:8])}{more}"


def _near(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    rest = lines[line - 1][column - 1:].strip()
    if not rest:
        return ", at the end of the line" if line < len(lines) else ", at the end of the query"
    word = rest.split()[0][:30]
    return f", near {word!r}"


@dataclass
class StoreNotFound(PolicyKGError):
    """``--store`` names a path that holds no store; only ``policykg build`` creates one."""

    path: str
    why_ja: str = "ありません"
    why_en: str = "does not exist"

    def __str__(self) -> str:
        return (f"ストア {self.path} が{self.why_ja}（作成は policykg build --store {self.path}）"
                f" / store {self.path} {self.why_en}; create it with: policykg build --store {self.path}")


@dataclass
class PortInUse(PolicyKGError):
    """``policykg serve`` cannot listen: another program has the port (or it needs privileges)."""

    host: str
    port: int
    reason_en: str = "is already in use"

    def __str__(self) -> str:
        return (f"{self.host}:{self.port} で待ち受けできません（使用中か権限がありません）。--port か環境変数 POLICYKG_PORT で"
                f"別のポートを指定してください / cannot listen on {self.host}:{self.port}: the port {self.reason_en}; "
                f"choose another with --port or POLICYKG_PORT (e.g. --port {self.port + 1 if self.port < 65535 else 8001})")


@dataclass
class StoreInUse(PolicyKGError):
    """A store another process holds open for writing (a running ``policykg serve``, say)."""

    path: str

    def __str__(self) -> str:
        return (f"ストア {self.path} は別のプロセス（起動中のサーバーなど）が書き込み用に開いています"
                f" / store {self.path} is open for writing by another process (a running server?); "
                "stop it, or run without --save / --record")


@dataclass
class StoreUnavailable(PolicyKGError):
    """The store server (``--sparql-endpoint``) cannot be reached or answered with a server error."""

    url: str
    why_ja: str = "接続できません"
    why_en: str = "cannot connect"

    def __str__(self) -> str:
        return (f"ストアサーバー {self.url} を利用できません（{self.why_ja}）"
                f" / the store server {self.url} is unavailable: {self.why_en}")


class ForbiddenQuery(PolicyKGError):
    """A SPARQL feature that is switched off (SERVICE, LOAD, remote FROM...)."""


class QueryTimeout(PolicyKGError):
    """A query that ran past its time limit and was stopped."""


@dataclass
class LabelNotFound(PolicyKGError):
    """A label that resolves to no entity; carries the closest labels as suggestions."""

    label: str
    suggestions: list[str]

    def __str__(self) -> str:
        hint = "、".join(self.suggestions) if self.suggestions else "なし / none"
        return f"ラベルが見つかりません / no entity labelled {self.label!r}. 近いラベル / closest: {hint}"


@dataclass
class AmbiguousLabel(PolicyKGError):
    """A label shared by several entities; carries the candidate IRIs."""

    label: str
    candidates: list[str]

    def __str__(self) -> str:
        return f"ラベルが複数の対象に一致します / ambiguous label {self.label!r}: {', '.join(self.candidates)}"


class EntityNotFound(PolicyKGError):
    """No entity with that id or IRI."""


class NotAcceptable(PolicyKGError):
    """None of the media types the client accepts can be produced; ``available`` lists those that can."""

    def __init__(self, available: list[str]) -> None:
        super().__init__("要求された形式では返せません / none of the accepted media types can be produced")
        self.available = list(available)


class RateLimited(PolicyKGError):
    """A client over its rate limit; ``retry_after`` seconds until its next request is accepted."""

    def __init__(self, retry_after: int, message: str) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unauthorized(PolicyKGError):
    """A write without a valid bearer token."""


class InternalError(PolicyKGError):
    """A bug of ours met while answering (never the request's fault); its message says nothing more."""

    def __init__(self) -> None:
        super().__init__("内部エラー / internal error")


class ParameterError(PolicyKGError):
    """A request parameter outside what is allowed (an unknown kind, hops out of range…): bad input
    with no file or line. ``field`` names the parameter; the message lists the allowed values.

    >>> str(ParameterError("hops must be between 0 and 6, got 9", field="hops"))
    'hops: hops must be between 0 and 6, got 9'
    """

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"