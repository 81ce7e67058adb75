"""Issue 9, items 7 and 9: every command is honest about the store it touches and speaks ja, then en.

* ``--store`` naming no store: exit 2, a message naming the path, and nothing created;
* reading commands open the store read-only, so they run while another process holds it for writing;
* ``gaps --observations`` leaves the store as it was unless ``--save``;
* errors are two lines, Japanese then English, never a traceback; SPARQL syntax errors give line,
  column and a short reason; a busy port names ``--port`` and ``POLICYKG_PORT``;
* ``--format table`` stays within the terminal and aligns Japanese by display width.
"""

from __future__ import annotations

import gc
import json
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import BNode
from rich.cells import cell_len
from typer.testing import CliRunner

from policykg.cli import app

from cli_support import invoke, quads_of

OBSERVATIONS = Path(__file__).parent / "gaps" / "data" / "observations" / "synthetic-good.csv"
MEASURE = "北海道型のMaaSの展開"
runner = CliRunner()


def invoke(*args: object, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def assert_bilingual_error(result, *words: str) -> None:
    """Exit 2; stderr ends with ``policykg: エラー: …`` then ``policykg: error: …``; no traceback."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines[-2].startswith("policykg: エラー: ") and lines[-1].startswith("policykg: error: "), result.stderr
    assert "Traceback" not in result.stderr and result.exception is None or isinstance(result.exception, SystemExit)
    for word in words:
        assert word in lines[-1], (word, result.stderr)


@pytest.fixture(scope="module")
def hokkaido_dir(tmp_path_factory) -> Path:
    """The bundled graph built on disk (no SHACL: tests/test_build.py covers that), then closed."""
    from policykg.graph.build import build_store

    path = tmp_path_factory.mktemp("hokkaido") / "store"
    store = build_store(store_dir=path, validate=False)
    del store
    gc.collect()
    return path




# --- item 7: no store is created by reading commands -------------------------------------------------

READING_COMMANDS = {
    "validate": ["validate"],
    "stats": ["stats"],
    "query": ["query", "ASK { ?s ?p ?o }"],
    "trace": ["trace", MEASURE],
    "gaps": ["gaps"],
    "report": ["report", "--out", "{tmp}/report"],
    "serve": ["serve", "--port", "0"],
    "align suggest": ["align", "suggest"],
    "align evaluate": ["align", "evaluate"],
    "viz": ["viz", "--out", "{tmp}/net.html"],
}


@pytest.mark.parametrize("command", list(READING_COMMANDS))
def test_missing_store_is_an_error_and_nothing_is_created(tmp_path, command):
    missing = tmp_path / "no" / "store"
    args = [a.replace("{tmp}", str(tmp_path)) for a in READING_COMMANDS[command]]
    result = invoke(*args, "--store", missing)
    assert_bilingual_error(result, str(missing), "does not exist", "policykg build --store")
    assert str(missing) in result.stderr.splitlines()[-2]
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize("command", ["stats", "gaps", "align suggest"])
def test_empty_directory_is_not_a_store(tmp_path, command):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(*READING_COMMANDS[command], "--store", empty)
    assert_bilingual_error(result, str(empty), "is empty")
    assert list(empty.iterdir()) == []


_HOLDER = textwrap.dedent("""
    import sys, pyoxigraph
    store = pyoxigraph.Store(sys.argv[1])  # read-write: holds RocksDB's lock, like a running server
    print("holding", flush=True)
    sys.stdin.read()
""")


@pytest.fixture()
def held_store(hokkaido_dir):
    """``hokkaido_dir`` while another process holds it open for writing."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(hokkaido_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        yield hokkaido_dir
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


@pytest.mark.parametrize(
    "args",
    [
        ["stats", "--json"],
        ["query", "ASK { ?s ?p ?o }"],
        ["trace", MEASURE, "--json"],
        ["gaps", "--as-of", "2026-12-03", "--json"],
        ["gaps", "--as-of", "2026-12-03", "--observations", OBSERVATIONS, "--json"],
        ["report", "--as-of", "2026-12-03", "--out", "{tmp}/report"],
        ["align", "suggest", "--json", "--top", "1"],
        ["align", "evaluate", "--json"],
        ["viz", "--out", "{tmp}/net.html"],
    ],
    ids=lambda a: " ".join(str(x) for x in a[:2]),
)
def test_reading_commands_run_while_another_process_holds_the_store(held_store, tmp_path, args):
    args = [str(a).replace("{tmp}", str(tmp_path)) for a in args]
    result = invoke(*args, "--store", held_store)
    assert result.exit_code == 0, result.stderr


def test_writing_while_held_names_the_holder(held_store):
    result = invoke("gaps", "--store", held_store, "--observations", OBSERVATIONS, "--save")
    assert_bilingual_error(result, str(held_store), "open for writing by another process")
    assert "LOCK" not in result.stderr and "Resource temporarily unavailable" not in result.stderr


def test_gaps_with_observations_leaves_the_store_unchanged_unless_save(hokkaido_dir):
    before = quads_of(hokkaido_dir)
    shown = invoke("gaps", "--as-of", "2026-12-03", "--json", "--observations", OBSERVATIONS, "--store", hokkaido_dir)
    assert shown.exit_code == 0, shown.stderr
    assert quads_of(hokkaido_dir) == before, "gaps --observations without --save changed the store"
    status = {row["label"]: row["latest"] for row in json.loads(shown.stdout)["indicator_status"]}
    assert any(latest is not None for latest in status.values()), "the observations were analysed"

    saved = invoke("gaps", "--as-of", "2026-12-03", "--json", "--observations", OBSERVATIONS, "--save",
                   "--store", hokkaido_dir)
    assert saved.exit_code == 0, saved.stderr
    after = quads_of(hokkaido_dir)
    ground = lambda quads: {q for q in quads if not any(isinstance(t, BNode) for t in q)}  # noqa: E731
    # a build writes the ontology graph afresh (new blank-node labels); everything else is kept as it was
    assert ground(after) > ground(before) and len(after) > len(before)
    # and the roll-ups in the meta graph follow the write (graph/summaries.py keeps them on every write)
    assert {str(q[3]) for q in ground(after) - ground(before)} - {"urn:policykg:meta"} == {
        "https://w3id.org/policykg/graph/observations-synthetic-good"}
    assert json.loads(saved.stdout) == json.loads(shown.stdout)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["gaps", "--save", "--observations", OBSERVATIONS], ["--save needs --store"]),
        (["gaps", "--save", "--store", "{store}"], ["--save needs --store DIR and --observations"]),
        (["gaps", "--record", "--observations", OBSERVATIONS, "--store", "{store}"], ["--record with --observations needs --save"]),
    ],
)
def test_gaps_save_and_record_need_what_they_write(hokkaido_dir, args, words):
    before = quads_of(hokkaido_dir)
    result = invoke(*[str(a).replace("{store}", str(hokkaido_dir)) for a in args])
    assert_bilingual_error(result, *words)
    assert quads_of(hokkaido_dir) == before


# --- item 9: messages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "line", "column", "reason"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", 1, 1, "expected SELECT, ASK, CONSTRUCT or DESCRIBE, found 'SELEC'"),
        ("PREFIX ex: <http://e/>\n  selec ?s { ?s ?p ?o }", 2, 3, "found 'selec'"),
        ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = ) }", 3, None, ""),
        ("", 1, 1, "the query is empty"),
    ],
)
def test_sparql_syntax_error_has_line_column_and_a_short_reason(query, line, column, reason):
    result = invoke("query", query)
    assert_bilingual_error(result, "SPARQL syntax error at line", reason)
    english = result.stderr.strip().splitlines()[-1]
    assert f"at line {line}," in english and (column is None or f"column {column}:" in english), english
    assert "read-only" not in english and "u{" not in english and "..=" not in english
    assert len(english) < 300
    assert f"（{line} 行" in result.stderr.strip().splitlines()[-2]


def test_updates_are_refused_as_read_only_not_as_syntax():
    result = invoke("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert_bilingual_error(result, "read-only")


def test_an_engine_runtime_error_is_a_message_not_a_traceback():
    """rdflib evaluates REPLACE with Python's re, which raises on an unbalanced pattern (a traceback at 61bd02f)."""
    result = invoke("query", 'SELECT (REPLACE("a", "(", "b") AS ?x) {}', "--backend", "rdflib")
    assert_bilingual_error(result, "evaluat")


def test_ill_typed_literal_in_a_source_is_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n<urn:a> <urn:p> "abc"^^xsd:integer .\n',
                   encoding="utf-8")
    result = invoke("build", "--source", bad, "--out", tmp_path / "out.trig", "--no-validate")
    assert_bilingual_error(result, f"{bad}:3", "ill-typed literal 'abc'", "xsd:integer")
    assert "Failed to convert" not in result.stderr and not (tmp_path / "out.trig").exists()


def test_busy_port_says_so_and_names_the_option_and_the_variable():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("serve", "--port", port)
    assert_bilingual_error(result, f"127.0.0.1:{port}", "already in use", "--port", "POLICYKG_PORT")
    assert "--port" in result.stderr.splitlines()[-2] and "POLICYKG_PORT" in result.stderr.splitlines()[-2]


def test_table_aligns_japanese_by_display_width_within_the_terminal(hokkaido_dir):
    query = ("SELECT ?label ?iri WHERE { ?iri a <https://w3id.org/policykg/ontology#Measure> ; "
             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?label LIMIT 8")
    result = invoke("query", query, "--format", "table", "--store", hokkaido_dir, env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "(8 rows)"
    table = lines[:-1]
    assert max(cell_len(line) for line in table) <= 60, "\n".join(table)
    # the column rule sits at the same display column on every line
    bars = {cell_len(line[: line.index("|")]) for line in table if "|" in line}
    assert len(bars) == 1, "\n".join(table)
    assert sum(cell_len(line) > len(line) for line in table) >= 8, "the rows hold Japanese labels"


@pytest.mark.parametrize("name", ["policykg.errors", "policykg.cli.messages", "policykg.cli.common",
                                  "policykg.cli.graph_commands"])
def test_docstring_examples_hold(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0
