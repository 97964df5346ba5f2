"""The safety rules of a public read-only endpoint, against the real server (timeout 2 s, 3 workers, a queue of 1, 5000 rows).

Read-only on every route; no outbound access and no file access (a loopback spy must record
nothing); runaway queries stopped at the timeout with 503, never 200; /health answering while
three runaways run; the queue and the concurrency cap; body, encoding, syntax and Accept errors; no stack trace.
"""

from __future__ import annotations

import statistics
import threading
import time

import httpx
import pytest

from serve_support import HTTP, RUNAWAYS, Server, Spy, poll

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
TIMEOUT = 2.0


@pytest.fixture
def spy():
    listener = Spy()
    yield listener
    listener.close()


def total(served) -> int:
    r = HTTP.get(served.url + "/sparql", params={"query": COUNT})
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def assert_json_error(r: httpx.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, f"{r.status_code} {r.text[:300]}"
    assert r.headers["content-type"].startswith("application/json")
    assert "Traceback" not in r.text and 'File "' not in r.text
    body = r.json()
    if code:
        assert body["error"] == code, body
    return body


# -- read-only ---------------------------------------------------------------------------------
UPDATE = "INSERT DATA { <urn:x> <urn:y> <urn:z> }"


@pytest.mark.parametrize(
    "method, path, kwargs",
    [
        ("GET", "/sparql", {"params": {"update": UPDATE}}),
        ("POST", "/sparql", {"data": {"update": UPDATE}}),
        ("POST", "/sparql", {"content": UPDATE, "headers": {"Content-Type": "application/sparql-update"}}),
        ("POST", "/sparql", {"content": UPDATE, "headers": {"Content-Type": "application/sparql-query"}}),
        ("POST", "/sparql", {"data": {"query": "DROP ALL"}}),
        ("GET", "/sparql", {"params": {"query": "PREFIX x: <urn:x#>\nCLEAR DEFAULT"}}),
        ("POST", "/sparql", {"data": {"query": "LOAD <file:///etc/passwd>"}}),
        ("POST", "/", {"data": {"update": UPDATE}}),
        ("GET", "/", {"params": {"update": UPDATE}}),
        ("POST", "/id/irgc", {"data": {"update": UPDATE}}),
        ("PUT", "/sparql", {"content": "<urn:x> <urn:y> <urn:z> .", "headers": {"Content-Type": "text/turtle"}}),
        ("DELETE", "/id/irgc", {}),
        ("PATCH", "/source/x", {}),
    ],
)
def test_update_is_refused_on_every_route(served, method, path, kwargs):
    before = total(served)
    r = HTTP.request(method, served.url + path, **kwargs)
    body = assert_json_error(r, 403)
    assert "read-only" in body["message"]
    assert total(served) == before


# -- no outbound access, no file access ---------------------------------------------------------
def test_service_is_refused_and_nothing_is_fetched(served, spy):
    queries = [
        f"SELECT * WHERE {{ SERVICE <{spy.url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{spy.url}/sparql> {{ ?s ?p ?o }} }}",
        f"PREFIX spy: <{spy.url}/>\nSELECT * WHERE {{ OPTIONAL {{ SERVICE spy:sparql {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{spy.url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{spy.url}/sparql> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        assert_json_error(HTTP.post(served.url + "/sparql", data={"query": query}), 403, "service-refused")
    assert spy.settle() == []


def test_service_word_in_a_string_is_no_service(served):
    r = HTTP.post(served.url + "/sparql", data={"query": 'SELECT ?x WHERE { BIND("SERVICE <urn:x> {}" AS ?x) } # SERVICE'})
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("clause", ["FROM", "FROM NAMED"])
def test_from_fetches_nothing(served, spy, clause):
    query = f"SELECT (COUNT(*) AS ?n) {clause} <{spy.url}/data.ttl> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
    r = HTTP.post(served.url + "/sparql", data={"query": query})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "0"
    r = HTTP.get(served.url + "/sparql", params={"query": COUNT, "default-graph-uri": f"{spy.url}/g", "named-graph-uri": f"{spy.url}/n"})
    assert r.status_code == 200 and r.json()["results"]["bindings"][0]["n"]["value"] == "0"
    assert spy.settle() == []


def test_from_file_reads_no_file(served):
    query = "SELECT ?s ?p ?o FROM <file:///etc/passwd> FROM NAMED <file:///etc/hostname> WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    r = HTTP.post(served.url + "/sparql", data={"query": query})
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == []
    assert "root:" not in r.text


def test_an_allowed_service_is_called(tmp_path, spy):
    """The operator's allow-list opens SERVICE to exactly the endpoints it names."""
    from conftest import copy_project

    server = Server(copy_project(tmp_path / "p"), "--no-build", "--workers", "1", "--allow-service", f"{spy.url}/sparql").start()
    try:
        r = HTTP.post(server.url + "/sparql", data={"query": f"SELECT ?x WHERE {{ SERVICE <{spy.url}/sparql> {{ ?x ?p ?o }} }}"})
        assert r.status_code == 200, r.text
        assert r.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "from the spy"}}]
        assert len(spy.requests) == 1
        other = f"SELECT ?x WHERE {{ SERVICE <{spy.url}/other> {{ ?x ?p ?o }} }}"
        assert_json_error(HTTP.post(server.url + "/sparql", data={"query": other}), 403, "service-refused")
        assert len(spy.requests) == 1
    finally:
        server.stop()


# -- runaway queries -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", list(RUNAWAYS))
def test_runaway_is_stopped_at_the_timeout(served, name):
    served.wait_idle()
    start = time.monotonic()
    r = HTTP.post(served.url + "/sparql", data={"query": RUNAWAYS[name]}, timeout=60)
    took = time.monotonic() - start
    body = assert_json_error(r, 503, "timeout")
    assert "stopped" in body["message"]
    assert TIMEOUT <= took < TIMEOUT + 10, f"{name} answered after {took:.1f} s"


def test_health_answers_while_three_runaways_run_and_the_cap_holds(served):
    served.wait_idle()
    replies: list[httpx.Response] = []

    def run(query):
        replies.append(HTTP.post(served.url + "/sparql", data={"query": query}, timeout=60))

    threads = [threading.Thread(target=run, args=(q,)) for q in RUNAWAYS.values()]
    for t in threads:
        t.start()
    poll(lambda: HTTP.get(served.url + "/health").json()["workers"]["busy"] == 3, wait=10, what="three busy workers")
    # /health keeps answering for the first half of the runaways' time; then a fourth query
    # comes, with half the timeout left to them and the whole timeout to wait for a replaced worker
    busy_since, latencies = time.monotonic(), []
    while time.monotonic() - busy_since < TIMEOUT / 2:
        start = time.monotonic()
        r = HTTP.get(served.url + "/health", timeout=5)
        latencies.append(time.monotonic() - start)
        assert r.status_code == 200
    # every worker is busy: a fourth query waits in the queue, a fifth finds the queue full
    queued: list[httpx.Response] = []
    waiting = threading.Thread(target=lambda: queued.append(HTTP.post(served.url + "/sparql", data={"query": COUNT}, timeout=60)))
    waiting.start()
    poll(lambda: HTTP.get(served.url + "/health").json()["workers"]["queued"] >= 1, wait=10, what="a queued query")
    assert HTTP.get(served.url + "/health").json()["workers"]["queued"] == 1
    fifth = HTTP.post(served.url + "/sparql", data={"query": COUNT})
    assert_json_error(fifth, 503, "busy")
    assert int(fifth.headers["retry-after"]) >= 1
    for t in threads + [waiting]:
        t.join(timeout=30)
    # not held up by the runaways: a /health stuck behind them would take most of the timeout
    assert statistics.median(latencies) < TIMEOUT / 10, f"/health latencies during three runaways: {latencies}"
    assert [r.status_code for r in replies] == [503, 503, 503]
    assert all(r.json()["error"] == "timeout" for r in replies)
    assert queued[0].status_code == 200, "the queued query runs once a runaway's worker is replaced"
    served.wait_idle()
    assert HTTP.post(served.url + "/sparql", data={"query": COUNT}).status_code == 200


def test_row_cap(served):
    body = assert_json_error(HTTP.post(served.url + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o }"}), 422, "too-many-results")
    assert "5000" in body["message"] and "LIMIT" in body["message"]
    r = HTTP.post(served.url + "/sparql", data={"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, headers={"Accept": "text/turtle"})
    assert_json_error(r, 422, "too-many-results")
    assert HTTP.post(served.url + "/sparql", data={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2000"}).status_code == 200


# -- malformed requests --------------------------------------------------------------------------
def test_huge_body_is_413(served):
    huge = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * (20 << 20)
    r = HTTP.post(served.url + "/sparql", content=huge, headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert_json_error(r, 413, "body-too-large")

    def chunks():
        for _ in range(40):
            yield b"#" + b"x" * (64 << 10)

    r = HTTP.post(served.url + "/sparql", content=chunks(), headers={"Content-Type": "application/sparql-query"}, timeout=60)
    assert_json_error(r, 413, "body-too-large")


def test_malformed_query_is_400_with_line_and_column(served):
    r = HTTP.post(served.url + "/sparql", data={"query": "SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o > )\n}"})
    body = assert_json_error(r, 400, "malformed-query")
    assert body["line"] == 3 and body["column"] >= 1
    assert "line 3" in body["message"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"content": b"SELECT * WHERE { ?s ?p \"\xff\xfe\" }", "headers": {"Content-Type": "application/sparql-query"}},
        {"content": b"query=SELECT%20%FF", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
    ],
)
def test_body_not_utf8_is_400(served, kwargs):
    assert_json_error(HTTP.post(served.url + "/sparql", **kwargs), 400, "not-utf8")


def test_query_string_not_utf8_is_400(served):
    assert_json_error(HTTP.get(served.url + "/sparql?query=SELECT%20%C3%28"), 400, "not-utf8")


def test_unsupported_content_type_is_415(served):
    assert_json_error(HTTP.post(served.url + "/sparql", content=b"{}", headers={"Content-Type": "application/json"}), 415)
