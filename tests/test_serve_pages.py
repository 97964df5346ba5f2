"""Entity, source and fact pages against the real server, and the pure helpers behind them."""

from __future__ import annotations

import html
import json
import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from dossier.serve import formats, policy
from dossier.serve.freshness import stale_reason
from dossier.serve.pages import QUOTE_CHARS, highlight
from dossier.serve.terms import sparql
from serve_support import HTTP, poll

ID = "https://w3id.org/dossier/id/"
HTML = {"Accept": "text/html"}


def select(served, query: str) -> list[dict]:
    r = HTTP.post(served.url + "/sparql", data={"query": query})
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


def test_every_entity_iri_resolves(served):
    served.wait_idle()
    rows = select(served, f"SELECT DISTINCT ?e WHERE {{ GRAPH <https://w3id.org/dossier/graph/entities> {{ ?e a ?c }} FILTER(STRSTARTS(STR(?e), '{ID}')) }}")
    slugs = sorted(r["e"]["value"][len(ID):] for r in rows)
    assert slugs

    def fetch(slug):
        """The page, asked again while the server is busy (503), for at most a few seconds."""
        answers = []

        def answered() -> bool:
            answers.append(HTTP.get(f"{served.url}/id/{slug}", headers=HTML))
            return answers[-1].status_code != 503

        try:
            poll(answered, wait=4, every=0.2, what=f"/id/{slug}")
        except AssertionError:
            pass
        return slug, answers[-1]

    with ThreadPoolExecutor(3) as pool:
        bad = [(slug, r.status_code) for slug, r in pool.map(fetch, slugs) if r.status_code != 200]
    assert bad == []


def test_entity_page_shows_labels_aliases_wikidata_and_facts_with_quotes(served):
    linked = select(
        served,
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?e ?label ?qid ?alias WHERE { "
        "?e skos:exactMatch ?qid ; skos:prefLabel ?label ; skos:altLabel ?alias . "
        "FILTER EXISTS { ?fact ?role ?e ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src } } LIMIT 1",
    )[0]
    slug = linked["e"]["value"][len(ID):]
    r = HTTP.get(f"{served.url}/id/{slug}", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    qid = linked["qid"]["value"].rsplit("/", 1)[-1]
    assert linked["label"]["value"].replace("'", "&#39;") in page
    assert linked["alias"]["value"].replace("'", "&#39;") in page
    assert f"https://www.wikidata.org/wiki/{qid}" in page
    assert 'class="card summary"' in page and "<mark>" in page and "/source/" in page
    assert "content-security-policy" in r.headers


def all_pages(served, slug: str) -> str:
    """The entity page with every page of every section it splits into pages, concatenated."""
    first = HTTP.get(f"{served.url}/id/{slug}", headers=HTML).text
    texts = [first]
    for key, last in {m.group(1): int(m.group(2)) for m in re.finditer(r'href="\?([a-z-]+)=(\d+)#', first)}.items():
        pages = {int(n) for n in re.findall(rf'href="\?{key}=(\d+)#', first)}
        for n in sorted(pages - {1}):
            texts.append(HTTP.get(f"{served.url}/id/{slug}?{key}={n}", headers=HTML).text)
    return "\n".join(texts)


@pytest.mark.parametrize("slug", ["irgc", "mek"])
def test_entity_page_with_every_fact_about_it(served, slug):
    iri = ID + slug
    facts = select(served, f"SELECT DISTINCT ?f ?label WHERE {{ ?f ?role <{iri}> ; a <https://w3id.org/dossier/ontology#Fact> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }}")
    page = all_pages(served, slug)
    for f in facts:
        assert f["f"]["value"].rsplit("/", 1)[-1] in page, f["f"]["value"]


def test_entity_page_pages_long_sections(served):
    """The MEK has more statements about it than one page shows: page 2 holds others, and a bad page number is page 1."""
    first = HTTP.get(served.url + "/id/mek", headers=HTML).text
    assert 'href="?statements-about=2#statements-about"' in first
    second = HTTP.get(served.url + "/id/mek?statements-about=2", headers=HTML).text
    ids = lambda text: set(re.findall(r'<a href="(/fact/[^"]+)"', text.split('id="statements-about"')[1].split("</section>")[0]))
    assert ids(second) and not ids(first) & ids(second)
    assert HTTP.get(served.url + "/id/mek?statements-about=abc", headers=HTML).status_code == 200


def section_ids(page: str, key: str) -> list[str]:
    """The fact anchors of one section of an entity page, in order."""
    section = page.split(f'id="{key}"', 1)[1].split("</section>")[0]
    return re.findall(r'<(?:tr|div class="fact") id="([^"]+)"', section)


def test_entity_page_sections_are_paged_by_the_store(served):
    """Each section shows its count (a COUNT query) and one page of 25; page 2 follows page 1 with no overlap, and
    a page out of range shows the nearest one: the last for a number too big, the first for 0."""
    about = select(
        served,
        "PREFIX dos: <https://w3id.org/dossier/ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { "
        "?s a dos:Statement ; ?role <https://w3id.org/dossier/id/mek> . FILTER(STRSTARTS(STR(?role), STR(dos:))) "
        "FILTER NOT EXISTS { ?s dos:speaker|dos:addressee <https://w3id.org/dossier/id/mek> } }",
    )
    total = int(about[0]["n"]["value"])
    pages = -(-total // 25)
    assert pages > 2, "the MEK has more than two pages of statements about it"
    first = HTTP.get(served.url + "/id/mek", headers=HTML).text
    assert f'Statements about it <span class="count">{total}</span>' in first
    second = HTTP.get(served.url + "/id/mek?statements-about=2", headers=HTML).text
    one, two = section_ids(first, "statements-about"), section_ids(second, "statements-about")
    assert len(one) == 25 and len(two) == 25 and not set(one) & set(two)
    assert "<strong>2</strong>" in second.split('id="statements-about"')[1].split("</section>")[0]
    every = []
    for n in range(1, pages + 1):
        every += section_ids(HTTP.get(served.url + f"/id/mek?statements-about={n}", headers=HTML).text, "statements-about")
    assert len(every) == len(set(every)) == total
    last = every[(pages - 1) * 25:]
    for beyond in (str(pages + 1), "999999"):
        page = HTTP.get(served.url + f"/id/mek?statements-about={beyond}", headers=HTML)
        assert page.status_code == 200 and section_ids(page.text, "statements-about") == last, beyond
    for below in ("0", "-1", "x", "1" * 12):
        page = HTTP.get(served.url + f"/id/mek?statements-about={below}", headers=HTML)
        assert page.status_code == 200 and section_ids(page.text, "statements-about") == one, below
    # another section's page number leaves this one on its first page
    assert section_ids(HTTP.get(served.url + "/id/mek?events=2", headers=HTML).text, "statements-about") == one


def test_entity_page_stays_light(served):
    """The MEK page: one page per section, no inline data (the views' data is fetched apart, each quote once in it),
    and quotes over QUOTE_CHARS cut at a word with the whole one click away (the fact's permalink, opening its source)."""
    page = HTTP.get(served.url + "/id/mek", headers=HTML).text
    assert len(page.encode()) < 100_000, len(page.encode())  # 300 KB when the views' data was inline
    assert 'type="application/json"' not in page and 'data-views="/id/mek/views"' in page
    views = HTTP.get(served.url + "/id/mek/views")
    assert views.status_code == 200 and views.headers["content-type"] == "application/json"
    data = views.json()
    quotes = [json.dumps(q, sort_keys=True) for q in data["quotes"]]
    assert len(quotes) == len(set(quotes))
    numbers = [n for item in data["timeline"]["items"] for n in item["quotes"]] + [n for e in data["network"]["edges"] for n in e["quotes"]]
    assert numbers and all(0 <= n < len(quotes) for n in numbers) and set(numbers) == set(range(len(quotes)))
    assert HTTP.get(served.url + "/id/harper/views").status_code == 404
    cut = re.findall(r'<mark>([^<]*)</mark> <a class="full-quote" href="(/fact/[^"]+)">', page)
    assert cut, "the MEK page has quotes longer than QUOTE_CHARS"
    long = [r["e"]["value"] for r in select(served, f"SELECT DISTINCT ?e WHERE {{ ?q <http://www.w3.org/ns/oa#exact> ?e FILTER(STRLEN(?e) > {QUOTE_CHARS}) }}")]
    for text, href in cut:
        shown = html.unescape(text)
        assert shown.endswith("…") and len(shown) <= QUOTE_CHARS + 1
        assert any(whole.startswith(shown[:-1]) for whole in long), shown
        opened = HTTP.get(served.url + href, headers=HTML, follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"].startswith("/source/")


def test_entity_page_groups_facts_and_names_terms_by_their_labels(served):
    r = HTTP.get(served.url + "/id/mek", headers=HTML)
    page = r.text
    for heading in ("Events it took part in", "Designations", "Statements about it", "Where sources name it", "Timeline", "Network"):
        assert f"{heading} <span" in page, heading
    # designations: a table whose columns are the ontology's labels
    table = page.split('<table class="facts designations">')[1].split("</table>")[0]
    for label in ("designating authority", "status", "source", "quote"):
        assert f"<th>{label}</th>" in table, label
    text = re.sub(r"<[^>]+>", " ", page.split("</header>")[1])
    for raw in ("dos:", "rdf:type", "seedFile", "as dos:about", "https://w3id.org/dossier/ontology", "no QID could be confirmed"):
        assert raw not in text, raw
    # no inline script: every script is a file of this server or JSON data
    for tag in re.findall(r"<script[^>]*>", page):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "script-src 'self'" in r.headers["content-security-policy"]


def test_mek_organised_events_lead_to_their_participants(served):
    """The acceptance path: the MEK page lists the events it organised, each linking to an event page with every participant by role."""
    organised = select(
        served,
        "PREFIX dos: <https://w3id.org/dossier/ontology#> SELECT DISTINCT ?event WHERE { "
        "?p dos:participant <https://w3id.org/dossier/id/mek> ; dos:inEvent ?event ; dos:role ?role . "
        "FILTER(?role IN (<https://w3id.org/dossier/ontology/role/organizer>, <https://w3id.org/dossier/ontology/role/host>)) }",
    )
    assert organised
    mek = HTTP.get(served.url + "/id/mek", headers=HTML).text
    events_table = mek.split('id="events"')[1].split("</table>")[0]
    for row in organised:
        event = row["event"]["value"]
        path = event.replace("https://w3id.org/dossier", "")
        assert f'href="{path}"' in events_table, path
        page = HTTP.get(served.url + path, headers=HTML).text
        section = page.split('id="participants"')[1].split("</section>")[0]
        assert "organizer" in section or "host" in section
        people = select(
            served,
            f"PREFIX dos: <https://w3id.org/dossier/ontology#> SELECT DISTINCT ?who ?source WHERE {{ "
            f"?p dos:inEvent <{event}> ; dos:participant ?who ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?source }}",
        )
        for person in people:
            assert f'href="{person["who"]["value"].replace("https://w3id.org/dossier", "")}"' in section
            assert f'href="{person["source"]["value"].replace("https://w3id.org/dossier", "")}"' in section
        assert "<mark>" in section


def test_mek_page_lists_who_took_part_in_the_events_it_organised(served):
    """One section of the MEK page: every participation of another in an event it organised or hosted, or in an
    edition of a series it organised, under the event's heading, with who, role, source and quote."""
    truth = select(
        served,
        "PREFIX dos: <https://w3id.org/dossier/ontology#> PREFIX schema: <https://schema.org/> "
        "PREFIX role: <https://w3id.org/dossier/ontology/role/> PREFIX org: <http://www.w3.org/ns/org#> "
        "SELECT DISTINCT ?p ?event WHERE { ?o dos:participant ?org ; dos:inEvent ?organised ; dos:role ?r . "
        "FILTER(?r IN (role:organizer, role:host)) ?org org:subOrganizationOf* <https://w3id.org/dossier/id/mek> . "
        "?event schema:superEvent* ?organised . ?p dos:inEvent ?event ; dos:participant ?who . "
        "FILTER(?who != <https://w3id.org/dossier/id/mek>) }",
    )
    facts = {r["p"]["value"].rsplit("/", 1)[-1] for r in truth}
    assert len(facts) > 10
    page = HTTP.get(served.url + "/id/mek", headers=HTML).text
    assert f'<a href="#at-its-events">who took part in events it organised</a> {len(facts)}' in page
    section = page.split('id="at-its-events"')[1].split("</section>")[0]
    assert set(section_ids(page, "at-its-events")) == facts
    for event in {r["event"]["value"] for r in truth}:
        assert f'<h3 class="event-heading"><a href="{event.replace("https://w3id.org/dossier", "")}">' in section, event
    for row in section.split("<tr id=")[1:]:
        cells = row.split("<td>")[1:]
        assert 'href="/id/' in cells[0] and 'href="/ontology/role/' in cells[1] and 'href="/source/' in cells[2]
        assert "<mark>" in cells[3] or 'class="ditto"' in cells[3]
    assert "<mark>" in section.split("<tbody>")[1].split("</tr>")[0]
    # an entity that organised nothing has no such section
    assert 'id="at-its-events"' not in HTTP.get(served.url + "/id/stephen-harper", headers=HTML).text


def test_a_browser_link_to_a_query_opens_the_query_page(served):
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
    r = HTTP.get(served.url + "/", params={"query": query}, headers=HTML, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/#query=") and unquote(r.headers["location"][len("/#query="):]) == query
    program = HTTP.get(served.url + "/", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert program.status_code == 200 and program.json()["results"]["bindings"]


def test_page_queries_bind_iris_with_values_and_refuse_what_is_not_an_iri():
    text = sparql("entity", this="https://w3id.org/dossier/id/mek")
    assert "VALUES (?this) { (<https://w3id.org/dossier/id/mek>) }" in text
    assert "$this" not in text
    several = sparql("entity-evidence", this=["https://w3id.org/dossier/id/a", "https://w3id.org/dossier/id/b"])
    assert "(<https://w3id.org/dossier/id/a>) (<https://w3id.org/dossier/id/b>)" in several
    for bad in ("https://x/> } ; DROP ALL ; <y", "a b", "x\ny", ""):
        with pytest.raises(ValueError):
            sparql("entity", this=bad)


def test_a_page_of_a_query_is_two_checked_integers():
    text = sparql("entity-section", limit=25, offset=50, this="https://w3id.org/dossier/id/mek", section=Literal("events"))
    assert text.rstrip().endswith("LIMIT 25 OFFSET 50") and 'VALUES (?this ?section) { (<https://w3id.org/dossier/id/mek> "events") }' in text
    assert "\nLIMIT" not in sparql("entity-section", this="https://w3id.org/dossier/id/mek", section=Literal("events"))
    for bad in ({"limit": "25; DROP ALL"}, {"limit": -1}, {"offset": 2.5}, {"offset": True}, {"limit": "10"}):
        with pytest.raises(ValueError):
            sparql("entity-section", this="https://w3id.org/dossier/id/mek", **bad)


@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/ld+json", "json-ld")])
def test_entity_description_as_rdf(served, accept, fmt):
    r = HTTP.get(served.url + "/id/irgc", headers={"Accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.text, format=fmt)
    assert (URIRef(ID + "irgc"), SKOS.prefLabel, Literal("Islamic Revolutionary Guard Corps", lang="en")) in g
    assert len(g) > 20, "its facts and their evidence come with it"


def test_source_page_lists_its_facts_with_quotes_highlighted(served):
    sources = select(served, "SELECT ?s WHERE { ?s a <https://w3id.org/dossier/ontology#Source> }")
    for row in sources:
        src = row["s"]["value"]
        slug = src.rsplit("/", 1)[-1]
        facts = select(
            served,
            f"SELECT DISTINCT ?f WHERE {{ ?f <http://www.w3.org/ns/prov#wasDerivedFrom> <{src}> ; a <https://w3id.org/dossier/ontology#Fact> }}",
        )
        r = HTTP.get(f"{served.url}/source/{slug}", headers=HTML)
        assert r.status_code == 200, slug
        for f in facts:
            assert f'href="{f["f"]["value"].replace("https://w3id.org/dossier", "")}"' in r.text, (slug, f)
        assert r.text.count('class="hl') >= 1
        turtle = HTTP.get(f"{served.url}/source/{slug}", headers={"Accept": "text/turtle"})
        assert turtle.status_code == 200 and len(Graph().parse(data=turtle.text, format="turtle")) > 10


def test_fact_iri_resolves(served):
    fact = select(served, "SELECT ?f WHERE { ?f a <https://w3id.org/dossier/ontology#Statement> } LIMIT 1")[0]["f"]["value"]
    path = fact.replace("https://w3id.org/dossier", "")
    r = HTTP.get(served.url + path, headers=HTML)
    assert r.status_code == 303
    _, source, fact_id = path.split("/", 3)[1:]
    assert r.headers["location"] == f"/source/{source}#fact-{fact_id}"
    nt = HTTP.get(served.url + path, headers={"Accept": "application/n-triples"})
    assert nt.status_code == 200 and f"<{fact}>" in nt.text


@pytest.mark.parametrize("path", ["/id/no-such-entity", "/id/Not_A_Slug", "/source/no-such-source", "/fact/x/y"])
def test_unknown_resources_are_404(served, path):
    r = HTTP.get(served.url + path, headers={"Accept": "application/ld+json"})
    assert r.status_code == 404
    assert HTTP.get(served.url + path, headers=HTML).status_code == 404


def test_unknown_entity_page_offers_what_its_words_find(served):
    """/id/harper: 404, with a search box, a "did you mean" list from the search index and a link to /search."""
    r = HTTP.get(served.url + "/id/harper", headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    main = r.text.split("</header>")[1]
    suggestions = main.split('<ul class="did-you-mean">')[1].split("</ul>")[0]
    assert '<a href="/id/stephen-harper">Stephen Harper</a>' in suggestions
    assert "/fact/" not in suggestions  # an address names a thing, not a fact
    assert 'href="/search?q=harper"' in main
    assert '<form class="search-page" action="/search"' in main and 'name="q" value="harper"' in main
    # the words of a slug are searched as words
    two = HTTP.get(served.url + "/id/stephen-harpr", headers=HTML)
    assert two.status_code == 404 and 'href="/id/stephen-harper"' in two.text.split("</header>")[1]
    # programs still get the JSON error body
    for accept in ("application/json", "application/ld+json", "text/turtle"):
        js = HTTP.get(served.url + "/id/harper", headers={"Accept": accept})
        assert js.status_code == 404 and js.headers["content-type"].startswith("application/json"), accept
        assert js.json()["error"] == "not-found"
    # an entity that is there, asked in a format it has not: 406
    assert HTTP.get(served.url + "/id/stephen-harper", headers={"Accept": "application/json"}).status_code == 406


@pytest.mark.parametrize("path", ["/no/such/page", "/source/harper", "/id/Not_A_Slug", "/fact/x/y", "/download/graph/nothing.nq"])
def test_every_html_404_has_the_search_box(served, path):
    r = HTTP.get(served.url + path, headers=HTML)
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    main = r.text.split("</header>")[1]
    assert '<form class="search-page" action="/search"' in main


def test_index_and_query_page(served):
    index = HTTP.get(served.url + "/id/", headers=HTML)
    assert index.status_code == 200 and "/id/irgc" in index.text
    page = HTTP.get(served.url + "/")
    assert page.status_code == 200 and "/static/yasgui/yasgui.min.js" in page.text
    # the way in for a reader who knows no SPARQL comes before the query editor
    assert page.text.index('class="no-sparql"') < page.text.index('id="yasgui"') and '<a href="/id/">' in page.text
    assert "unpkg" not in page.text and "cdn" not in page.text.lower()
    assert HTTP.get(served.url + "/static/yasgui/yasgui.min.js").status_code == 200
    examples = json.loads(page.text.split('<script id="examples" type="application/json">')[1].split("</script>")[0])
    assert examples and all(e["query"] and e["title"] for e in examples)


# -- pure helpers --------------------------------------------------------------------------------
def test_highlight_cuts_overlapping_spans():
    assert highlight("abcdef", [(1, 4, 1), (2, 5, 2)]) == [("a", []), ("b", [1]), ("cd", [1, 2]), ("e", [2]), ("f", [])]


@pytest.mark.parametrize(
    "accept, kind, expected",
    [
        (None, "solutions", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "solutions", "application/sparql-results+xml"),
        ("text/*", "triples", "text/turtle"),
        ("text/turtle;q=0, application/ld+json", "triples", "application/ld+json"),
        ("image/png", "solutions", None),
    ],
)
def test_negotiate(accept, kind, expected):
    assert formats.negotiate(accept, formats.TABLES[kind]) == expected


@pytest.mark.parametrize(
    "query, status, code",
    [
        ("INSERT DATA { <a:b> <a:b> <a:b> }", 403, "update-refused"),
        ("PREFIX x: <urn:x#>\n# a comment\nDELETE WHERE { ?s ?p ?o }", 403, "update-refused"),
        ("LOAD <http://example.org/x>", 403, "update-refused"),
        ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "service-refused"),
        ("SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }", 403, "service-refused"),
        ('SELECT * WHERE { BIND("\\u005Cu0053" AS ?x) }', 400, "malformed-query"),
        ("SELECT * WHERE { ?s ?p }", 400, "malformed-query"),
        ("", 400, "malformed-query"),
    ],
)
def test_policy_refuses(query, status, code):
    with pytest.raises(policy.Refusal) as refused:
        policy.analyse(query)
    assert (refused.value.status, refused.value.code) == (status, code)


def test_policy_reads_the_dataset_and_allows_listed_services():
    a = policy.analyse("PREFIX g: <urn:g:> SELECT * FROM g:a FROM NAMED <urn:g:b> WHERE { ?s ?p ?o }")
    assert (a.form, a.default_graphs, a.named_graphs, a.has_dataset) == ("SELECT", ("urn:g:a",), ("urn:g:b",), True)
    allowed = "https://query.wikidata.org/sparql"
    b = policy.analyse(f"SELECT * WHERE {{ SERVICE <{allowed}> {{ ?s ?p ?o }} }}", (allowed,))
    assert b.services == (allowed,)
    assert policy.analyse("CONSTRUCT WHERE { ?s ?p ?o }").kind == "triples"


def test_stale_reason(project):
    import os

    for path in (project / "graph").rglob("*"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
    assert stale_reason(project) is None
    newer = project / "mappings" / "README.md"
    newer.write_text("touched\n")
    os.utime(newer, (2_000_000_100, 2_000_000_100))
    assert stale_reason(project) == "mappings/README.md is newer than graph/"
    (project / "graph" / "ontology.nq").unlink()
    assert stale_reason(project) == "graph/ontology.nq is missing"
    (project / "graph" / "manifest.json").unlink()
    assert stale_reason(project) == "graph/manifest.json is missing"


def test_serve_builds_a_missing_graph_first(tmp_path):
    """`serve.py` from a tree without graph/ builds it, then serves it."""
    import shutil

    from conftest import copy_project
    from serve_support import Server

    root = copy_project(tmp_path / "p")
    shutil.rmtree(root / "graph")
    server = Server(root, "--workers", "1").start(wait=600)
    try:
        assert (root / "graph" / "manifest.json").is_file()
        assert stale_reason(root) is None
        assert "built graph/" in server.log.read_text()
        assert HTTP.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True
    finally:
        server.stop()
