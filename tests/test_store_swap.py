"""One on-disk store, opened read-only by every worker, and switched without a restart when graph/ is rebuilt.

The server runs for real on 127.0.0.1; clients query it in a loop while the test rebuilds
graph/ with a changed mapping: every answer must be 200, and the new fact must show.
"""

from __future__ import annotations

import threading

import httpx

from conftest import copy_project, run_dossier
from serve_support import Server, poll

MAPPING = "mappings/canada-files-mek-canada-2023.yaml"
OLD = "content: Describes the MEK as an Iranian terrorist organization."
NEW = "content: Describes the MEK as an Iranian terrorist organization, in the text's own words."
ASK_NEW = 'ASK { ?s ?p "Describes the MEK as an Iranian terrorist organization, in the text\'s own words." }'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def ask(client: httpx.Client, url: str, query: str) -> httpx.Response:
    return client.post(url + "/sparql", data={"query": query}, headers={"Accept": "application/sparql-results+json"})


def stores(root):
    return sorted(p.name for p in (root / ".cache" / "store").iterdir() if p.is_dir())


def test_a_rebuilt_graph_is_served_without_a_restart_and_without_a_failed_request(tmp_path):
    root = copy_project(tmp_path / "project")
    server = Server(root, "--no-build", "--workers", "2", "--watch", "0.2").start()
    statuses: list[int] = []
    errors: list[str] = []
    stop = threading.Event()

    def client_loop() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                for query in (COUNT, ASK_NEW, "SELECT ?l WHERE { <https://w3id.org/dossier/id/mek> ?p ?l } LIMIT 5"):
                    try:
                        statuses.append(ask(client, server.url, query).status_code)
                    except httpx.HTTPError as exc:
                        errors.append(f"{type(exc).__name__}: {exc}")
                for path in ("/id/mek", "/health"):
                    try:
                        statuses.append(client.get(server.url + path, headers={"Accept": "text/html"}).status_code)
                    except httpx.HTTPError as exc:
                        errors.append(f"{type(exc).__name__}: {exc}")

    try:
        first = httpx.get(server.url + "/health").json()["graph"]
        assert stores(root) == [first]
        assert ask(httpx.Client(), server.url, ASK_NEW).json()["boolean"] is False
        clients = [threading.Thread(target=client_loop) for _ in range(4)]
        for t in clients:
            t.start()
        poll(lambda: len(statuses) >= 20, what="clients under way")

        mapping = root / MAPPING
        text = mapping.read_text(encoding="utf-8")
        assert OLD in text
        mapping.write_text(text.replace(OLD, NEW), encoding="utf-8")
        run_dossier("build", cwd=root, check=True)

        def switched() -> bool:
            return httpx.get(server.url + "/health").json()["graph"] != first

        poll(switched, wait=120, what="the server to switch to the rebuilt graph")
        during = len(statuses)
        poll(lambda: len(statuses) >= during + 20, what="clients querying the new store")
        assert ask(httpx.Client(), server.url, ASK_NEW).json()["boolean"] is True
        stop.set()
        for t in clients:
            t.join(timeout=60)
        assert errors == []
        assert statuses and set(statuses) == {200}, sorted(set(statuses))
        second = httpx.get(server.url + "/health").json()["graph"]
        poll(lambda: stores(root) == [second], what="the old store to be removed once its workers retired")
        assert "now serving store" in server.log.read_text()
    finally:
        stop.set()
        server.stop()


def test_a_restart_on_an_unchanged_graph_opens_the_store_it_built(tmp_path):
    root = copy_project(tmp_path / "project")
    server = Server(root, "--no-build", "--workers", "1").start()
    try:
        key = httpx.get(server.url + "/health").json()["graph"]
    finally:
        server.stop()
    store = root / ".cache" / "store" / key
    built = sorted((p.name, p.stat().st_mtime_ns) for p in store.iterdir())
    server = Server(root, "--no-build", "--workers", "1").start()
    try:
        assert httpx.get(server.url + "/health").json()["graph"] == key
        r = ask(httpx.Client(), server.url, COUNT)
        assert r.status_code == 200 and int(r.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    finally:
        server.stop()
    assert sorted((p.name, p.stat().st_mtime_ns) for p in store.iterdir()) == built, "the store was written again"
