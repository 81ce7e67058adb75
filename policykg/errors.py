"""Typed errors. Library code raises these; only the CLI and the API choose exit codes and statuses."""

from __future__ import annotations

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

    def __str__(self) -> str:
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
