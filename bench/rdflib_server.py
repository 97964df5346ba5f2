"""The baseline server: rdflib-endpoint over an rdflib Dataset (Memory store) holding an N-Quads file.

    python -m bench.rdflib_server FILE.nq PORT READY_FILE

Loads the file (the union of its named graphs is the default graph, as in Dossier's server),
writes {"load_seconds": ...} to READY_FILE, then serves /sparql on 127.0.0.1:PORT until killed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint


def main(argv: list[str]) -> int:
    nquads, port, ready = Path(argv[0]), int(argv[1]), Path(argv[2])
    t0 = time.perf_counter()
    ds = Dataset(store="Memory", default_union=True)
    ds.parse(nquads, format="nquads")
    load = time.perf_counter() - t0
    app = SparqlEndpoint(graph=ds, path="/sparql", title="rdflib baseline", description="benchmark baseline",
                         cors_enabled=False)
    ready.write_text(json.dumps({"load_seconds": load, "quads": len(ds)}))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
