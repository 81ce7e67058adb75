"""loaders/alignments.py: good rows become pk:Alignment nodes; every bad row names line and column."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
from rdflib import Literal

from policykg.errors import SourceError
from policykg.loaders.alignments import (
    COLUMNS, alignment_iri, append_alignment, csv_rows, parse_alignments, read_alignments,
)
from policykg.namespaces import ID, PK, PROV, RDF, RDFS, XSD, graph_name

from pathlib import Path

DATA = Path(__file__).parent / "data"

GOOD = (DATA / "good.csv").read_text(encoding="utf-8-sig")


def test_good_file_loads_every_row_with_prov(mini_graph):
    g = read_alignments(DATA / "good.csv", mini_graph)
    nodes = sorted(g.subjects(RDF.type, PK.Alignment))
    assert len(nodes) == 5
    remote = alignment_iri(ID["tl/measure/m-remote"], ID["jp/digiden-strategy/n-med"], "curated")
    assert (remote, PK.relation, PK.Supports) in g
    assert (remote, PK.evidence, PK.Curated) in g
    assert (remote, PROV.generatedAtTime, Literal("2026-12-03T00:00:00", datatype=XSD.dateTime)) in g
    agent = g.value(remote, PROV.wasAttributedTo)
    assert g.value(agent, RDFS.label) == Literal("テスト担当")
    row = g.value(remote, PK.sourceRow)
    assert g.value(row, PK.line) == Literal(2)
    assert g.value(remote, PROV.wasDerivedFrom) == ID["source/good"]


def test_spacing_differences_resolve_and_comma_in_quoted_rationale(mini_graph):
    g = read_alignments(DATA / "good.csv", mini_graph)
    maas = alignment_iri(ID["tl/measure/m-maas"], ID["jp/digiden-strategy/n-mob"], "curated")
    assert (maas, PK.relation, PK.ContributesTo) in g
    assert str(g.value(maas, PK.rationale)).startswith("MaaSは公共交通のDX, ")


def test_stated_row_points_at_the_deck_slides(mini_graph):
    g = read_alignments(DATA / "good.csv", mini_graph)
    stated = alignment_iri(ID["tl/roadmap/row-hr"], ID["jp/digiden-strategy/n-hr"], "stated")
    slides = sorted(int(g.value(loc, PK.slide)) for loc in g.objects(stated, PK.sourceLocation))
    assert slides == [1, 8]
    assert {g.value(loc, PK.document) for loc in g.objects(stated, PK.sourceLocation)} == {ID["source/mini-deck"]}


def test_same_label_on_both_sides_resolves_by_side(mini_graph):
    """'デジタル人材の育成・確保' is a roadmap row locally and a pillar nationally."""
    g = read_alignments(DATA / "good.csv", mini_graph)
    stated = alignment_iri(ID["tl/roadmap/row-hr"], ID["jp/digiden-strategy/n-hr"], "stated")
    assert g.value(stated, PK.localItem) == ID["tl/roadmap/row-hr"]


def test_explicit_iri_disambiguates_and_altlabel_resolves(mini_graph):
    g = read_alignments(DATA / "good.csv", mini_graph)
    node = alignment_iri(ID["tl/measure/m-dup1"], ID["jp/juten-keikaku/n-cyber"], "curated")
    assert (node, PK.localItem, ID["tl/measure/m-dup1"]) in g


def _with_row(line: int, column: str, value: str, base: str = GOOD) -> str:
    """``base`` with one cell replaced (line is the 1-based file line)."""
    lines = base.splitlines()
    rows = csv_rows(base)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row_line, cells in rows:
        cells = dict(cells)
        if row_line == line:
            cells[column] = value
        writer.writerow(cells)
    assert len(lines) == len(rows) + 1
    return out.getvalue()


BAD = [
    # (line, column changed, new value, field the error must name, words the message must contain)
    (2, "local_label", "遠隔医療の推進", "local_label", "遠隔医療・遠隔介護等の推進"),
    (3, "national_label", "存在しない国の項目", "national_label", "no national item"),
    (6, "local_iri", "", "local_label", "several"),
    (4, "relation", "supports_strongly", "relation", "contributes_to"),
    (5, "evidence", "inferred", "evidence", "curated"),
    (2, "rationale", "", "rationale", "required"),
    (3, "date", "2026-13-01", "date", "YYYY-MM-DD"),
    (3, "date", "令和8年12月", "date", "YYYY-MM-DD"),
    (4, "source_slide", "", "source_slide", "stated"),
    (4, "source_slide", "一", "source_slide", "slide"),
    (5, "curator", "", "curator", "required"),
    (5, "national_iri", "https://w3id.org/policykg/id/jp/digiden-strategy/n-med", "national_label", "national_iri says"),
    (6, "national_iri", "https://w3id.org/policykg/id/nothing", "national_iri", "no national item"),
    (3, "local_label", "遠隔医療・遠隔介護等の推進", "national_label", "duplicate link"),
]


@pytest.mark.parametrize("line,column,value,field,words", BAD, ids=[f"{b[1]}:{b[2] or 'empty'}" for b in BAD])
def test_bad_row_names_file_line_and_field(tmp_path, mini_graph, line, column, value, field, words):
    path = tmp_path / "bad.csv"
    text = _with_row(line, column, value)
    if words == "duplicate link":
        # line 3 now links the same measure as line 2: make it the same national item and relation too
        text = _with_row(3, "national_label", "質の高い教育、医療サービスの提供", base=text)
    path.write_text("\ufeff" + text, encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_alignments(path, mini_graph)
    err = info.value
    assert (err.file, err.line, err.field) == (str(path), line, field)
    assert words in err.message


def test_missing_column_is_reported_on_line_1(tmp_path, mini_graph):
    path = tmp_path / "cols.csv"
    path.write_text("local_label,national_label,relation,evidence\nx,y,supports,curated\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_alignments(path, mini_graph)
    assert (info.value.line, info.value.field) == (1, "header")
    assert "rationale" in info.value.message


def test_not_utf8_and_xlsx_are_refused(tmp_path, mini_graph):
    sjis = tmp_path / "sjis.csv"
    sjis.write_bytes(GOOD.encode("cp932"))
    with pytest.raises(SourceError) as info:
        read_alignments(sjis, mini_graph)
    assert info.value.field == "encoding"
    with pytest.raises(SourceError, match="CSV UTF-8"):
        read_alignments(tmp_path / "book.xlsx", mini_graph)


def test_multiline_rationale_keeps_line_numbers(mini_graph):
    text = GOOD.replace("遠隔医療は地方で質の高い医療を提供する。", '"遠隔医療は\n地方で質の高い医療を提供する。"')
    rows = csv_rows(text)
    assert [line for line, _ in rows] == [2, 4, 5, 6, 7]
    g = parse_alignments(rows, file_name="x.csv", context=mini_graph)
    maas = alignment_iri(ID["tl/measure/m-maas"], ID["jp/digiden-strategy/n-mob"], "curated")
    assert g.value(g.value(maas, PK.sourceRow), PK.line) == Literal(4)


def test_failed_load_leaves_store_unchanged(tmp_path, mini_graph, mini_store):
    """The build replaces graphs only after every reader succeeded; a bad file never reaches the store."""
    before = sorted(mini_store.quads())
    path = tmp_path / "good.csv"
    path.write_text("\ufeff" + _with_row(3, "relation", "likes"), encoding="utf-8")
    with pytest.raises(SourceError):
        mini_store.replace_graphs({graph_name("alignments-good"): read_alignments(path, mini_graph)})
    assert sorted(mini_store.quads()) == before


def test_append_validates_whole_file_and_writes_nothing_on_error(tmp_path, mini_graph):
    path = tmp_path / "cur.csv"
    shutil.copy(DATA / "good.csv", path)
    original = path.read_bytes()
    bad = {"local_label": "介護ロボット導入の推進", "national_label": "質の高い教育、医療サービスの提供",
           "relation": "supports", "evidence": "curated", "rationale": "", "curator": "x", "date": "2026-12-03"}
    with pytest.raises(SourceError) as info:
        append_alignment(path, bad, mini_graph)
    assert (info.value.line, info.value.field) == (7, "rationale")
    assert path.read_bytes() == original
    good = dict(bad, rationale="介護の質の向上に寄与する。", relation="contributes_to")
    g = append_alignment(path, good, mini_graph)
    assert len(set(g.subjects(RDF.type, PK.Alignment))) == 6
    assert path.read_bytes().startswith(original)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert len(set(read_alignments(path, mini_graph).subjects(RDF.type, PK.Alignment))) == 6


def _beside_another_plan(mini_graph, *labels: str):
    """The mini graph and another government's measures, from their own source, labelled ``labels``."""
    from rdflib import Graph

    from policykg.namespaces import SKOS

    graph = Graph()
    graph += mini_graph
    for n, label in enumerate(labels):
        other = ID[f"other/measure/m-{n}"]
        graph.add((other, RDF.type, PK.Measure))
        graph.add((other, SKOS.prefLabel, Literal(label, lang="ja")))
        graph.add((other, PROV.wasDerivedFrom, ID["source/other-plan"]))
    return graph


def test_a_label_another_plan_shares_is_read_as_the_item_of_the_plan_the_table_names(mini_graph):
    """A national store holds many governments' items with the same label: the table's other rows say which plan."""
    context = _beside_another_plan(mini_graph, "遠隔医療・遠隔介護等の推進", "北海道型のMaaSの展開")
    g = parse_alignments(csv_rows(GOOD, file_name="good.csv"), file_name="good.csv", context=context)
    locals_ = set(g.objects(None, PK.localItem))
    assert ID["tl/measure/m-remote"] in locals_ and ID["tl/measure/m-maas"] in locals_
    assert not any(str(item).startswith(str(ID["other/"])) for item in locals_)
    from rdflib.compare import isomorphic

    alone = parse_alignments(csv_rows(GOOD, file_name="good.csv"), file_name="good.csv", context=mini_graph)
    assert isomorphic(g, alone), "the same alignments as without the other plan"


def test_a_shared_label_with_no_other_row_to_say_which_plan_is_still_refused(mini_graph):
    context = _beside_another_plan(mini_graph, "遠隔医療・遠隔介護等の推進")
    header, first = GOOD.splitlines()[:2]
    with pytest.raises(SourceError) as caught:
        parse_alignments(csv_rows(f"{header}\n{first}\n", file_name="one.csv"), file_name="one.csv", context=context)
    assert caught.value.line == 2 and caught.value.field == "local_label" and "local_iri" in str(caught.value)
