"""`dossier push <endpoint>`: load graph/ into any SPARQL 1.1 Graph Store Protocol server.

Each named graph of graph/ (one per source and per source's inferences, plus the registry, its
inferences and the ontology) is sent with an HTTP PUT to ``<endpoint>?graph=<graph IRI>``, which
the protocol defines as replacing that graph whole: a reader of the store sees a source's old
triples or its new ones, never a mix. Each graph is its own file of graph/ (graphdir.py), so
memory holds one graph at a time whatever the size of the corpus.

What was pushed to an endpoint is remembered (.cache/push/, the manifest's sha256 per graph):
the next push reads and sends only the graphs that changed and deletes (HTTP DELETE) the graphs of sources that are
gone. ``--all`` sends everything again (after the store was wiped, say).

Endpoints: Oxigraph ``http://host:7878/store``, Fuseki ``http://host:3030/<dataset>/data``,
GraphDB ``http://host:7200/repositories/<repo>/rdf-graphs/service``, Virtuoso
``http://host:8890/sparql-graph-crud-auth`` (with credentials); any server implementing the
protocol's PUT and DELETE with ``?graph=``. Credentials, when the server wants them, come from
the environment: DOSSIER_PUSH_USER and DOSSIER_PUSH_PASSWORD, sent with HTTP basic
authentication, or digest with DOSSIER_PUSH_AUTH=digest (Virtuoso's ``-auth`` endpoint).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox

from .graphdir import GraphFile, read_manifest

#: N-Triples is a subset of Turtle: every Graph Store server takes it as text/turtle.
CONTENT_TYPE = "text/turtle"


class PushError(Exception):
    """The server refused or failed a request; carries what it said."""


@dataclass
class PushReport:
    sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    triples: int = 0

    def summary(self, endpoint: str) -> str:
        return (f"pushed {len(self.sent)} graph(s) ({self.triples} triples) to {endpoint}; "
                f"{len(self.unchanged)} unchanged, {len(self.deleted)} deleted")


def ntriples(path: Path) -> bytes:
    """The triples of one graph file of graph/ (N-Quads) as N-Triples."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS)]
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""


def _state_path(root: Path, endpoint: str) -> Path:
    return root / ".cache" / "push" / (hashlib.sha256(endpoint.encode()).hexdigest()[:32] + ".json")


def _auth() -> httpx.Auth | None:
    """Credentials from the environment: basic authentication, or digest with DOSSIER_PUSH_AUTH=digest (Virtuoso)."""
    user = os.environ.get("DOSSIER_PUSH_USER")
    if not user:
        return None
    password = os.environ.get("DOSSIER_PUSH_PASSWORD", "")
    scheme = os.environ.get("DOSSIER_PUSH_AUTH", "basic").lower()
    if scheme not in ("basic", "digest"):
        raise PushError(f"DOSSIER_PUSH_AUTH is {scheme!r}: write basic or digest")
    return httpx.DigestAuth(user, password) if scheme == "digest" else httpx.BasicAuth(user, password)


RETRIES = 4  # a PUT refused for a passing reason is sent again, after 0.5, 1, 2 and 4 s


def _transient(r: httpx.Response) -> bool:
    """A refusal worth one more try: 503, or a transaction the store rolled back (SQLSTATE 40001:
    Virtuoso's answer when parallel PUTs deadlock on its quad table)."""
    return r.status_code == 503 or (r.status_code == 500 and "40001" in r.text)


def _check(r: httpx.Response, what: str) -> None:
    if r.status_code not in (200, 201, 204) and not (r.request.method == "DELETE" and r.status_code == 404):
        raise PushError(f"{what}: HTTP {r.status_code} {r.reason_phrase}: {r.text[:300]}")


def push(root: Path, endpoint: str, everything: bool = False, jobs: int = 4, timeout: float = 600,
         say: Callable[[str], None] = lambda _: None) -> PushReport:
    """Send graph/ to ``endpoint`` (the Graph Store Protocol URL); raises PushError or FileNotFoundError."""
    files = read_manifest(root / "graph")  # FileNotFoundError when graph/ was never built
    state_file = _state_path(root, endpoint)
    try:
        pushed: dict[str, str] = {} if everything else json.loads(state_file.read_text())["graphs"]
    except (FileNotFoundError, ValueError, KeyError):
        pushed = {}
    report = PushReport()
    now: dict[str, str] = {}
    try:
        _send(endpoint, root / "graph", files, pushed, now, report, jobs, timeout)
    except httpx.HTTPError as exc:
        raise PushError(f"{endpoint}: {type(exc).__name__}: {exc}") from exc
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps({"endpoint": endpoint, "graphs": now}, indent=0, sort_keys=True))
    say(report.summary(endpoint))
    return report


def _send(endpoint: str, graph_dir: Path, files: list[GraphFile], pushed: dict, now: dict, report: PushReport,
          jobs: int, timeout: float) -> None:
    def put(client: httpx.Client, name: str, path: Path) -> None:
        body = ntriples(path)
        for attempt in range(RETRIES + 1):
            r = client.put(endpoint, params={"graph": name}, content=body, headers={"Content-Type": CONTENT_TYPE})
            if attempt == RETRIES or not _transient(r):
                break
            time.sleep(0.5 * 2**attempt)
        _check(r, f"PUT {name}")

    with httpx.Client(auth=_auth(), timeout=timeout) as client, ThreadPoolExecutor(max(1, jobs)) as pool:
        pending = []
        for f in files:
            name = f.graph
            now[name] = f.sha256
            if pushed.get(name) == f.sha256:
                report.unchanged.append(name)
                continue
            pending.append(pool.submit(put, client, name, graph_dir / f.file))
            report.sent.append(name)
            report.triples += f.triples
            if len(pending) >= 4 * max(1, jobs):  # bound the graphs held in memory
                for f in pending:
                    f.result()
                pending = []
        for f in pending:
            f.result()
        for name in sorted(set(pushed) - set(now)):
            _check(client.delete(endpoint, params={"graph": name}), f"DELETE {name}")
            report.deleted.append(name)
