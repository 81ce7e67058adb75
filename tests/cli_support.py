"""CLI test helpers shared by the CLI test modules (importable as ``cli_support``: pytest ``pythonpath = tests``)."""

from __future__ import annotations

import gc
from pathlib import Path

from typer.testing import CliRunner

from policykg.cli import app
from policykg.graph.store import open_store
from policykg.loaders.rdf_files import read_rdf_file

RDF_DATA = Path(__file__).parent / "data" / "rdf"
runner = CliRunner()


def invoke(*args: object):
    """Run ``policykg ARGS…`` in-process; every argument is passed as text."""
    return runner.invoke(app, [str(a) for a in args])


def small_store_dir(tmp_path: Path) -> Path:
    """An on-disk Oxigraph store holding the two small graphs of tests/data/rdf/pipeline-base.trig, closed again."""
    path = tmp_path / "store"
    store = open_store(path)
    store.replace_graphs(read_rdf_file(RDF_DATA / "pipeline-base.trig"))
    store.flush()
    del store
    gc.collect()
    return path


def quads_of(path: Path) -> set:
    """Every quad of the store at ``path``, read after any store a finished command left open is closed
    (a CliRunner result's traceback keeps the command's frames, and so its store, alive until collected)."""
    gc.collect()
    store = open_store(path, read_only=True)
    quads = set(store.quads())
    del store
    gc.collect()
    return quads
