"""The .xlsx file read in a child process while the bundled sources are read (loaders/workbook/prefetch.py):
the same data, the same graph, the same errors as reading it in the caller, and no child where one is unsafe."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from policykg.errors import SourceError
from policykg.loaders.workbook import prefetch, workbook_graph_name
from policykg.loaders.workbook.prefetch import WorkbookPrefetch, can_prefetch
from policykg.loaders.workbook.read import read_workbook_data, read_xlsx

from test_errors import formula_without_cached_value, not_a_workbook, ten_thousand_rows, unknown_column

SMALL_TTL = '@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n'


@pytest.fixture()
def forced(monkeypatch):
    """A child is started even in this test process (pytest-xdist runs threads, which turn it off)."""
    monkeypatch.setattr(prefetch, "can_prefetch", lambda: True)


def test_the_child_reads_what_the_caller_would(forced, city_workbook):
    path = city_workbook()
    with WorkbookPrefetch([path]) as ahead:
        assert ahead._pool is not None, "a child was started"
        data = ahead.take(path)
        assert ahead.take(path) is None, "each file is handed over once"
    assert data == read_xlsx(path)


@pytest.mark.parametrize("case", [not_a_workbook, ten_thousand_rows, unknown_column, formula_without_cached_value],
                         ids=lambda c: c.__name__)
def test_a_refused_workbook_is_read_again_by_the_caller_with_its_own_error(forced, case, city_workbook, tmp_path):
    from policykg.graph.build import read_sources

    path, where, english = case(city_workbook)
    with WorkbookPrefetch([path]) as ahead:
        assert ahead.take(path) is None, "the child's failure is not handed over"
    with pytest.raises(SourceError) as inline:
        read_workbook_data(path)
    first = tmp_path / "first.ttl"
    first.write_text(SMALL_TTL, encoding="utf-8")
    with pytest.raises(SourceError) as built:
        read_sources([first, path])
    assert str(built.value) == str(inline.value)
    assert english in str(built.value) and all(fragment in str(built.value) for fragment in where)


def test_sources_read_with_and_without_the_child_give_the_same_graphs(monkeypatch, city_workbook):
    from policykg.graph.build import default_sources, read_sources

    sources = [*default_sources(), city_workbook()]  # the city's alignments name bundled national items
    monkeypatch.setattr(prefetch, "can_prefetch", lambda: False)
    alone = read_sources(sources)
    monkeypatch.setattr(prefetch, "can_prefetch", lambda: True)
    ahead = read_sources(sources)
    assert alone.keys() == ahead.keys()
    name = workbook_graph_name(sources[-1])  # the others are read the same way either way
    assert len(ahead[name]) > 50 and isomorphic(alone[name], ahead[name])


def test_no_child_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert not can_prefetch()
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one CPU: the child is never started, by design")
def test_a_command_line_process_reads_ahead_and_reports_errors_as_before(city_workbook):
    """In ``policykg build`` (one thread) the child is used; a bad workbook still exits 2 naming the spot."""
    probe = subprocess.run([sys.executable, "-c", "from policykg.loaders.workbook.prefetch import can_prefetch;"
                            "print(can_prefetch())"], capture_output=True, text=True, check=True)
    assert probe.stdout.strip() == "True"
    path, where, english = unknown_column(city_workbook)
    done = subprocess.run([str(Path(sys.executable).with_name("policykg")), "build", "--add", str(path), "--no-validate"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert english in done.stderr and all(fragment in done.stderr for fragment in where)
    assert "Traceback" not in done.stderr
