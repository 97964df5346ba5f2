"""Search: folding, typo tolerance, ranking and type filters on a real SQLite FTS5 index, and /search over HTTP."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest

from conftest import ROOT
from dossier.graphdir import quad_files
from dossier import searchdocs
from dossier.serve.search import Document, SearchIndex, fold, read_index
from dossier.textfold import transliterate
from serve_support import HTTP

ID = "https://w3id.org/dossier/id/"
FACT = "https://w3id.org/dossier/fact/test-source/"

#: A handful of items written for these tests (not from any document).
DOCUMENTS = [
    Document(ID + "union-of-clerks", "Organization", ["Union of Clerks’ Guilds"], ["UCG", "Clerks-Union"],
             ["Trade union of municipal clerks, founded in 1921."]),
    Document(ID + "ines-ferreira", "Person", ["Inês Ferreira-Lobo"], ["Ferreira"], ["Union organizer."]),
    Document(ID + "petr-sokolov", "Person", ["Пётр Соколов"], [], ["Engineer."]),
    Document(ID + "harbour-rally", "Event", ["Harbour rally (1999)"], [], ["Rally at the harbour in 1999."]),
    Document(ID + "harbourton", "Place", ["Harbourton"], [], ["Coastal town."]),
    Document(FACT + "ferreira-speaks", "Participation", ["Inês Ferreira-Lobo as speaker at Harbour rally (1999)"],
             quotes=["Ferreira-Lobo spoke at the harbour rally — her first speech"]),
    Document(FACT + "clerks-letter", "Statement", ["claim by Union of Clerks’ Guilds"],
             contents=["The guild says the ministry ignored its letters."],
             quotes=["we wrote to the ministry eleven times and had no answer"]),
]


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(DOCUMENTS)


def labels(results) -> list[str]:
    return [h.label for h in results.hits]


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("clerks' guilds", "Clerks’ Guilds"),          # straight apostrophe finds curly
        ("CLERKS’ GUILDS", "clerks' guilds"),          # and the other way, whatever the case
        ("Ines Ferreira Lobo", "Inês Ferreira-Lobo"),  # diacritics and dashes
        ("Ferreira–Lobo", "Ferreira-Lobo"),            # an en dash for a hyphen
        ("Petr Sokolov", "Пётр Соколов"),              # transliteration
    ],
)
def test_folding_makes_spellings_equal(typed, stored):
    assert fold(typed) == fold(stored)


@pytest.mark.parametrize(
    "query, first",
    [
        ("clerks' guilds", "Union of Clerks’ Guilds"),
        ("ines ferreira", "Inês Ferreira-Lobo"),
        ("Petr Sokolov", "Пётр Соколов"),
        ("Sokolov", "Пётр Соколов"),
        ("UCG", "Union of Clerks’ Guilds"),
        ("harbourton", "Harbourton"),
    ],
)
def test_names_and_aliases_are_found_first(index, query, first):
    assert labels(index.search(query))[0] == first


def test_typos_are_tolerated_and_reported(index):
    found = index.search("Ferriera")
    assert labels(found)[0] == "Inês Ferreira-Lobo"
    assert found.corrected == {"ferriera": ["ferreira"]}
    assert index.search("Ferriera").total == index.search("Ferreira").total


def test_contents_and_quotes_are_searched_and_shown(index):
    found = index.search("eleven times")
    assert labels(found) == ["claim by Union of Clerks’ Guilds"]
    assert found.hits[0].match_field == "quote"
    assert "eleven times" in found.hits[0].match
    assert labels(index.search("ministry ignored")) == ["claim by Union of Clerks’ Guilds"]


def test_an_entity_ranks_above_a_fact_that_names_it(index):
    order = labels(index.search("Ferreira-Lobo"))
    assert order.index("Inês Ferreira-Lobo") < order.index("Inês Ferreira-Lobo as speaker at Harbour rally (1999)")


def test_type_filter_keeps_the_counts_of_every_type(index):
    everything = index.search("harbour")
    assert everything.types == {"Place": 1, "Event": 1, "Participation": 1}
    events = index.search("harbour", kind="Event")
    assert labels(events) == ["Harbour rally (1999)"]
    assert events.types == everything.types and events.total == 1


def test_autocomplete_matches_an_unfinished_last_word_in_names_only(index):
    assert set(labels(index.search("harbo", names_only=True))) == {"Harbourton", "Harbour rally (1999)",
                                                                   "Inês Ferreira-Lobo as speaker at Harbour rally (1999)"}
    assert "claim by Union of Clerks’ Guilds" not in labels(index.search("minis", names_only=True))
    assert labels(index.search("minis")) == ["claim by Union of Clerks’ Guilds"]


def test_nothing_found_and_empty_queries(index):
    assert index.search("zzzzqqq").hits == []
    assert index.search("   ").total == 0
    assert index.search("\"*(:)NEAR").total == 0  # FTS5 syntax in a query is folded away, never an error


def test_the_same_documents_in_any_order_give_the_same_answers():
    shuffled = DOCUMENTS[:]
    random.Random(7).shuffle(shuffled)
    a, b = SearchIndex(DOCUMENTS), SearchIndex(shuffled)
    for query in ("harbour", "clerks", "ferreira", "rally 1999"):
        assert a.search(query) == b.search(query)


def test_the_corpus_is_indexed_from_its_search_file():
    """graph/search.jsonl, as the server reads it: every registry entity and every fact becomes a document."""
    index = read_index(ROOT / "graph")
    kinds = {d.kind for d in index.documents}
    assert {"Organization", "Person", "Event", "Source", "Statement", "Participation", "Designation"} <= kinds
    assert all(d.names for d in index.documents)
    assert labels(index.search("Stephen Harper"))[0] == "Stephen Harper"
    assert any(d.quotes for d in index.documents) and any(d.aliases for d in index.documents)


def test_a_remote_store_gets_the_same_documents_from_per_field_queries():
    """The --store path (one simple query per field on a real Oxigraph store, merged in Python) gives the file's documents."""
    store = ox.Store()
    for path in quad_files(ROOT / "graph"):
        store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    rows = {}
    for name, query in searchdocs.field_queries().items():
        result = store.query(query, use_default_graph_as_union=True)
        rows[name] = [(s["item"].value, s["value"].value) for s in result]
    from_store = searchdocs.to_jsonl(searchdocs.from_rows(rows))
    assert from_store == (ROOT / "graph" / searchdocs.FILE).read_bytes()


def test_search_documents_do_not_depend_on_file_order_or_blank_node_labels():
    """Blank-node labels are local to their file: two files both using _:q keep their quotes apart."""
    def chunk(fact: str, quote: str) -> bytes:
        f, g = f"<{FACT}{fact}>", "<https://w3id.org/dossier/graph/t>"
        oa = "http://www.w3.org/ns/oa#"
        return "".join(f"{t} {g} .\n" for t in [
            f"{f} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/dossier/ontology#Statement>",
            f'{f} <http://www.w3.org/2004/02/skos/core#prefLabel> "{fact}"',
            f"_:e <{oa}hasBody> {f}", f"_:e <{oa}motivatedBy> <{oa}describing>", f"_:e <{oa}hasTarget> _:t",
            f"_:t <{oa}hasSelector> _:q", f"_:q <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{oa}TextQuoteSelector>",
            f'_:q <{oa}exact> "{quote}"']).encode()

    a, b = chunk("one", "first words"), chunk("two", "second words")
    docs = searchdocs.from_nquads([a, b])
    assert searchdocs.to_jsonl(docs) == searchdocs.to_jsonl(searchdocs.from_nquads([b, a]))
    assert [(d["names"], d["quotes"]) for d in docs] == [(["one"], ["first words"]), (["two"], ["second words"])]


def test_an_annotation_chain_split_across_files_still_gives_its_quote():
    """Each file's part is derived on its own and cached; a chain whose IRIs run from one file into
    another is joined across them when merged, as one pass over both files would."""
    oa, g = "http://www.w3.org/ns/oa#", "<https://w3id.org/dossier/graph/t>"
    f, ann, target, sel = (f"<{FACT}split{tail}>" for tail in ("", "/evidence", "/evidence#target", "/evidence#quote"))
    first = "".join(f"{t} {g} .\n" for t in [
        f"{f} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/dossier/ontology#Statement>",
        f'{f} <http://www.w3.org/2004/02/skos/core#prefLabel> "split"',
        f"{ann} <{oa}hasBody> {f}", f"{ann} <{oa}motivatedBy> <{oa}describing>", f"{ann} <{oa}hasTarget> {target}"]).encode()
    second = "".join(f"{t} {g} .\n" for t in [
        f"{target} <{oa}hasSelector> {sel}", f"{sel} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{oa}TextQuoteSelector>",
        f'{sel} <{oa}exact> "words in two files"']).encode()
    summaries = [searchdocs.summarize(first), searchdocs.summarize(second)]
    assert not summaries[0].quotes and not summaries[1].quotes  # neither alone has it
    assert summaries[0].lines and "words" not in summaries[0].lines[0][1].decode()
    lines = searchdocs.merged_lines(summaries, lambda i: [(first, second)[i]])
    assert [(d["names"], d["quotes"]) for d in map(json.loads, lines)] == [(["split"], ["words in two files"])]
    together = searchdocs.summarize(first, second)  # read together, the chain is joined at once
    assert searchdocs.merged_lines([together], lambda i: [first, second]) == lines


def test_merging_cached_file_parts_gives_the_committed_search_file():
    """graph/search.jsonl from each graph file's part, merged (items several files name, such as a
    fact with inferred classes or a registry entity, merged anew): the bytes the build committed."""
    chunks = [p.read_bytes() for p in quad_files(ROOT / "graph")]
    lines = searchdocs.merged_lines([searchdocs.summarize(c) for c in chunks], lambda i: [chunks[i]])
    assert b"".join(lines) == (ROOT / "graph" / searchdocs.FILE).read_bytes()


def test_two_builds_write_the_same_search_file(tmp_path):
    """The search documents are part of the deterministic build: two cold builds, byte-identical, named by the manifest."""
    import hashlib
    import os
    import subprocess
    import sys

    from conftest import copy_project
    from dossier.graphdir import search_file

    written = []
    for seed in ("1", "777"):
        root = copy_project(tmp_path / f"build-{seed}")
        for p in (root / "graph").iterdir():
            p.unlink() if p.is_file() else None
        proc = subprocess.run([sys.executable, "-m", "dossier.cli", "build"], cwd=root, capture_output=True, text=True,
                              timeout=600, env=dict(os.environ, PYTHONHASHSEED=seed))
        assert proc.returncode == 0, proc.stderr
        path, sha = search_file(root / "graph")
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        written.append(data)
    assert written[0] == written[1] and written[0].count(b"\n") > 100


# -- over HTTP, on the real server ---------------------------------------------------------------

def test_search_json_over_http(served):
    r = HTTP.get(served.url + "/search", params={"q": "harpr", "format": "json"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["results"][0]["label"] == "Stephen Harper"
    assert body["results"][0]["href"] == "/id/stephen-harper"
    assert body["corrected"] == {"harpr": ["harper"]}
    assert sum(body["types"].values()) == body["total"]
    assert HTTP.get(served.url + body["results"][0]["href"], headers={"Accept": "text/html"}).status_code == 200


def test_search_by_accept_header_and_type(served):
    r = HTTP.get(served.url + "/search", params={"q": "people's mojahedin", "type": "Organization"}, headers={"Accept": "application/json"})
    body = r.json()
    assert body["results"][0]["href"] == "/id/mek"
    assert {h["type"] for h in body["results"]} == {"Organization"}
    curly = HTTP.get(served.url + "/search", params={"q": "people’s mojahedin", "type": "Organization", "format": "json"}).json()
    assert curly["results"] == body["results"]


def test_search_html_page(served):
    r = HTTP.get(served.url + "/search", params={"q": "Mujahedin-e Khalq"}, headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'href="/id/mek"' in r.text
    assert "<script>" not in HTTP.get(served.url + "/search", params={"q": "<script>alert(1)</script>"}).text.split("</header>")[1]


def test_bad_search_parameters_are_400(served):
    assert HTTP.get(served.url + "/search", params={"q": "x", "type": "Nothing"}).status_code == 400
    assert HTTP.get(served.url + "/search", params={"q": "x", "format": "xml"}).status_code == 400


@pytest.mark.parametrize("path", ["/", "/id/", "/id/mek", "/source/cbc-opinion-harper-mek-2018", "/search?q=mek"])
def test_every_page_has_the_search_box(served, path):
    html = HTTP.get(served.url + path, headers={"Accept": "text/html"}).text
    assert '<form class="search-box" role="search" action="/search"' in html


def test_a_rebuilt_graph_is_searched_without_a_restart(tmp_path):
    """The index follows the graph the server serves: after a rebuild is swapped in, new words are found."""
    from conftest import copy_project, run_dossier
    from serve_support import Server, poll

    root = copy_project(tmp_path / "project")
    server = Server(root, "--no-build", "--workers", "1", "--watch", "0.2").start()
    try:
        def found(query: str) -> list[str]:
            return [h["label"] for h in HTTP.get(server.url + "/search", params={"q": query, "format": "json"}).json()["results"]]

        assert found("Stephen Harper")[0] == "Stephen Harper"
        assert found("quintessential clerkship") == []
        first = HTTP.get(server.url + "/health").json()["graph"]
        mapping = root / "mappings" / "canada-files-mek-canada-2023.yaml"
        old = "content: Describes the MEK as an Iranian terrorist organization."
        text = mapping.read_text(encoding="utf-8")
        assert old in text
        mapping.write_text(text.replace(old, old[:-1] + ", a quintessential clerkship test."), encoding="utf-8")
        run_dossier("build", cwd=root, check=True)
        poll(lambda: HTTP.get(server.url + "/health").json()["graph"] != first, wait=180, what="the rebuilt graph to be served")
        assert found("quintessential clerkship"), "the new content is not searchable after the swap"
    finally:
        server.stop()


def test_an_address_is_searched_by_its_words():
    from dossier.serve.find import slug_words

    assert slug_words("/id/stephen_harper") == "stephen harper"
    assert slug_words("Mojahedin-e-Khalq") == "mojahedin khalq"
    assert slug_words("/id/Not_A_Slug") == "not slug"
    assert slug_words("/a/b") == ""


@pytest.mark.parametrize("text", ["Mojāhedin-e Khalq’s", "People's Mojahedin", "Ḥizb Allāh — “Party of God”", "Москва", "MEK/PMOI (NCRI)"])
def test_the_excerpt_positions_fold_like_the_index(text):
    """An excerpt is cut where the indexed (folded) word starts in the original text."""
    folded, positions = transliterate(text)
    assert len(folded) == len(positions)
    assert fold(folded) == fold(text)
