"""Issue 9, item 10: bad input is refused with its file and line, and the store stays exactly as it was.

* an ill-typed literal (``"abc"^^xsd:integer``) in Turtle, TriG, N-Triples or JSON-LD: at 61bd02f rdflib
  logged a traceback and the build exited 0 with the literal loaded;
* a CSV (alignments, observations) with a quote that never closes: at 61bd02f the rest of the file
  became one cell;
* a CSV with a header and no rows: at 61bd02f it loaded as nothing at all, silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.errors import SourceError
from policykg.loaders.rdf_files import read_rdf_file

from cli_support import invoke, quads_of, small_store_dir

DATA = Path(__file__).parent / "data" / "rdf"

XSD = "http://www.w3.org/2001/XMLSchema#"
ILL_TYPED = {
    "bad.ttl": ('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix ex: <http://example.org/> .\n\n'
                'ex:a ex:n "1"^^xsd:integer .\nex:a ex:n "abc"^^xsd:integer .\n', 5, "'abc'", "xsd:integer"),
    "bad.trig": ('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n<http://example.org/g> {\n'
                 '  <http://example.org/a> <http://example.org/d> "2024-13-45"^^xsd:date .\n}\n', 3, "'2024-13-45'",
                 "xsd:date"),
    "bad.nt": ('<http://example.org/a> <http://example.org/n> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
               '<http://example.org/a> <http://example.org/n> "1.5"^^<http://www.w3.org/2001/XMLSchema#int> .\n', 2,
               "'1.5'", "xsd:int"),
    "bad.jsonld": ('{\n  "@context": {"ex": "http://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"},\n'
                   '  "@id": "ex:a",\n  "ex:n": {"@value": "twelve", "@type": "xsd:integer"}\n}\n', 4, "'twelve'",
                   "xsd:integer"),
}




@pytest.fixture()
def store_dir(tmp_path) -> Path:
    """A small on-disk store (tests/data/rdf/pipeline-base.trig), closed again."""
    return small_store_dir(tmp_path)




def refused(result, where: str, *words: str) -> None:
    """Exit 2 with the Japanese line, then the English one naming ``where``."""
    assert result.exit_code == 2, (result.stdout, result.stderr)
    japanese, english = result.stderr.strip().splitlines()[-2:]
    assert japanese.startswith("policykg: エラー: ") and english.startswith(f"policykg: error: {where}"), result.stderr
    for word in words:
        assert word in english, (word, english)
    assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr


@pytest.mark.parametrize("name", list(ILL_TYPED))
def test_ill_typed_literal_is_refused_with_file_and_line(tmp_path, name):
    text, line, lexical, datatype = ILL_TYPED[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_rdf_file(path)
    assert (caught.value.line, caught.value.file) == (line, str(path))
    assert f"ill-typed literal {lexical}" in str(caught.value) and datatype in str(caught.value)


@pytest.mark.parametrize("name", list(ILL_TYPED))
def test_ill_typed_literal_leaves_the_store_unchanged(tmp_path, store_dir, name):
    text, line, lexical, _datatype = ILL_TYPED[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = quads_of(store_dir)
    refused(invoke("build", "--store", store_dir, "--source", path, "--no-validate"), f"{path}:{line}",
            f"ill-typed literal {lexical}")
    assert quads_of(store_dir) == before


CSVS = {
    "alignments-unterminated.csv": (
        "local_label,local_iri,national_label,national_iri,relation,evidence,rationale,curator,date,source_slide\n"
        '施策A,,国の施策,,supports,curated,"理由が閉じていない,curator,2024-01-01,\n'
        "施策B,,国の施策,,supports,curated,理由,curator,2024-01-01,\n",
        2, "unterminated quote"),
    "alignments-header-only.csv": (
        "local_label,local_iri,national_label,national_iri,relation,evidence,rationale,curator,date,source_slide\n",
        1, "no rows"),
    "observations-unterminated.csv": (
        "indicator,date,value,unit,source,note\n"
        "指標A,2024-03-31,1,件,調査,備考\n"
        '指標A,2025-03-31,2,件,"調査,備考\n',
        3, "unterminated quote"),
    "observations-header-only.csv": ("\ufeffindicator,date,value,unit,source,note\r\n", 1, "no rows"),
}


@pytest.mark.parametrize("name", list(CSVS))
def test_bad_csv_is_refused_with_file_and_line_and_the_store_is_unchanged(tmp_path, store_dir, name):
    text, line, words = CSVS[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = quads_of(store_dir)
    refused(invoke("build", "--store", store_dir, "--source", path, "--no-validate"), f"{path}:{line}", words)
    assert quads_of(store_dir) == before


def test_gaps_refuses_a_header_only_observation_csv(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("indicator,date,value,unit,source,note\n", encoding="utf-8")
    refused(invoke("gaps", "--observations", path), f"{path}:1", "no rows")
