"""CLI commands (see policykg/cli/__init__.py)."""

from policykg.cli.app import app  # noqa: F401
