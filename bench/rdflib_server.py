"""The baseline server: rdflib-endpoint over an rdflib Dataset (Memory store) holding graph/.

    python -m bench.rdflib_server GRAPH_DIR PORT READY_FILE

Loads graph/'s N-Quads files (the union of its named graphs is the default graph, as in Dossier's server),
then serves /sparql on 127.0.0.1:PORT from a forked child process until killed, and writes
{"load_seconds": ...} to READY_FILE. rdflib cannot stop a query it has started, so a query the
benchmark gave up on would slow down the next ones: SIGUSR1 makes this process kill the child and
fork a fresh one from the loaded graph, which takes a second instead of loading it again.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import sys
import time
from pathlib import Path

import uvicorn
from rdflib import Dataset
from rdflib_endpoint import SparqlEndpoint

from dossier.graphdir import quad_files


def main(argv: list[str]) -> int:
    graph_dir, port, ready = Path(argv[0]), int(argv[1]), Path(argv[2])
    t0 = time.perf_counter()
    ds = Dataset(store="Memory", default_union=True)
    for path in quad_files(graph_dir):
        ds.parse(path, format="nquads")
    load = time.perf_counter() - t0
    app = SparqlEndpoint(graph=ds, path="/sparql", title="rdflib baseline", description="benchmark baseline",
                         cors_enabled=False)
    gc.freeze()  # keep the loaded graph's pages shared with the children
    ready.write_text(json.dumps({"load_seconds": load, "quads": len(ds), "pid": os.getpid()}))
    restart = False

    def on_usr1(*_):
        nonlocal restart
        restart = True

    signal.signal(signal.SIGUSR1, on_usr1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    child = 0
    try:
        while True:
            child = os.fork()
            if child == 0:
                signal.signal(signal.SIGUSR1, signal.SIG_DFL)
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
                os._exit(0)
            while True:
                try:
                    pid, _ = os.waitpid(child, os.WNOHANG)
                except ChildProcessError:
                    return 0
                if pid:
                    return 0
                if restart:
                    restart = False
                    os.kill(child, signal.SIGKILL)
                    os.waitpid(child, 0)
                    break
                time.sleep(0.05)
    finally:
        if child:
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
