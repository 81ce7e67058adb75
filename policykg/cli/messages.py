"""Error messages for the terminal: Japanese first, then English, never a traceback.

Every error becomes two lines on stderr::

    policykg: エラー: 入力に誤りがあります（a.csv 3 行目、列 value）
    policykg: error: a.csv:3 [value]: bad value

The English line keeps the ``file:line [field]: message`` shape scripts look for. Messages that are
already bilingual (``日本語 / English``) are split at their first `` / ``.
"""

from __future__ import annotations

import re

from policykg.errors import (
    EntityNotFound,
    ForbiddenQuery,
    QueryError,
    QueryNotFound,
    QueryTimeout,
    SourceError,
    SparqlSyntaxError,
)

__all__ = ["bilingual", "error_lines", "one_line"]

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")


def one_line(text: str) -> str:
    """Collapse a message onto one line (engine messages may span several).

    >>> one_line("a\\n  b")
    'a b'
    """
    return " ".join(text.split())


def _source_where(exc: SourceError) -> str:
    parts = [exc.file or "入力"]
    if exc.line is not None:
        parts.append(f"{exc.line} 行目")
    if exc.field:
        parts.append(f"項目 {exc.field}")
    return "、".join(parts)


def _japanese_summary(exc: BaseException) -> str:
    """One Japanese sentence for the kind of error; the English line carries the detail."""
    if isinstance(exc, SourceError):
        return f"入力に誤りがあります（{_source_where(exc)}）"
    if isinstance(exc, QueryNotFound):
        return f"定型クエリ「{exc.name}」はありません（一覧は policykg query --list）"
    if isinstance(exc, QueryTimeout):
        return "問い合わせが制限時間内に終わりませんでした"
    if isinstance(exc, ForbiddenQuery):
        return "この問い合わせは許可されていません"
    if isinstance(exc, QueryError):
        return "問い合わせを実行できません"
    if isinstance(exc, EntityNotFound):
        return "対象が見つかりません"
    if isinstance(exc, FileNotFoundError):
        return f"ファイルがありません: {exc.filename}" if exc.filename else "ファイルがありません"
    if isinstance(exc, PermissionError):
        return f"ファイルへのアクセスが許可されていません: {exc.filename}" if exc.filename else "アクセスが許可されていません"
    if isinstance(exc, OSError):
        return "ファイルまたはストアを読み書きできません"
    if isinstance(exc, ImportError):
        return "必要なパッケージが見つかりません（pip install -e . をやり直してください）"
    if isinstance(exc, (ValueError, SyntaxError)):
        return "指定に誤りがあります"
    return "予期しないエラーが起きました"


def _english(exc: BaseException) -> str:
    if isinstance(exc, SourceError):
        return one_line(str(exc))
    text = str(exc).strip()
    if isinstance(exc, SyntaxError) and not isinstance(exc, SparqlSyntaxError):
        text = text.splitlines()[0] if text else ""
    if not text or isinstance(exc, (OSError, ImportError)) or type(exc).__module__ not in ("policykg.errors", "builtins"):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return one_line(text)


def bilingual(exc: BaseException) -> tuple[str, str]:
    """``(japanese, english)`` for ``exc``.

    >>> bilingual(SourceError("bad value", file="a.csv", line=3, field="value"))
    ('入力に誤りがあります（a.csv、3 行目、項目 value）', 'a.csv:3 [value]: bad value')
    >>> bilingual(ValueError("ストア x がありません / store x does not exist"))
    ('ストア x がありません', 'store x does not exist')
    >>> bilingual(SparqlSyntaxError(1, 1, "expected SELECT"))
    ('SPARQL の構文エラー（1 行 1 列）', 'SPARQL syntax error at line 1, column 1: expected SELECT')
    """
    english = _english(exc)
    head, sep, tail = english.partition(" / ")
    if sep and _JAPANESE.search(head) and not isinstance(exc, SourceError):
        return head.removeprefix(f"{type(exc).__name__}: "), tail
    return _japanese_summary(exc), english


def error_lines(exc: BaseException) -> list[str]:
    """The two stderr lines for ``exc``: ``policykg: エラー: …`` then ``policykg: error: …``."""
    japanese, english = bilingual(exc)
    return [f"policykg: エラー: {japanese}", f"policykg: error: {english}"]
