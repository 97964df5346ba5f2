"""The build's fast path against the reference engines (owlrl, pyshacl) on the benchmark corpus.

    python -m bench.equivalence --n 1000 [--every K] [--jobs J] [--reuse]

For each document (or every K-th), the inferences of the Reasoner's templates are compared with
owlrl's closure of the document, the registry and the ontology, and the violations the Validator
finds with plain pyshacl's over the same triples (dossier/build/fastpath.py); each document is
also checked with a defect planted, so that there are violations to compare. Prints one JSON
line and exits 1 on any difference. The reference engines take about a second a document.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from pathlib import Path

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, XSD

from dossier.build.fastpath import compare_document
from dossier.build.plan import load_shared, mapping_files
from dossier.cache import Cache
from dossier.namespace import DOS, OA

from .run import REPO, corpus

_SHARED = None


def _plant(g) -> None:
    """Three defects the shapes catch: a fact without a label, a selector start that is not an
    integer, a date that is not one."""
    facts = {s for c in (DOS.Statement, DOS.Designation, DOS.Participation) for s in g.subjects(RDF.type, c)}
    for fact in sorted(facts, key=str)[:1]:
        g.remove((fact, RDFS.label, None))
    for sel in sorted(set(g.subjects(RDF.type, OA.TextPositionSelector)), key=str)[:1]:
        g.set((sel, OA.start, Literal("-1", datatype=XSD.nonNegativeInteger)))
    for src in sorted(set(g.subjects(RDF.type, DOS.Source)), key=str)[:1]:
        g.add((src, DOS.dateInference, Literal("and again")))


def _one(path: str) -> dict:
    out = {"file": Path(path).name}
    for label, change in (("as is", None), ("defects planted", _plant)):
        c = compare_document(_SHARED, Path(path), change)
        out[label] = {"inferences": len(c.reference_inferences), "violations": len(c.reference_violations),
                      "same": c.inferences == c.reference_inferences and c.violations == c.reference_violations}
    return out


def main(argv: list[str] | None = None) -> int:
    global _SHARED
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=1000, help="corpus size (default: 1000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--every", type=int, default=1, help="compare every K-th document only (default: all)")
    ap.add_argument("--jobs", type=int, default=multiprocessing.cpu_count())
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    ap.add_argument("--reuse", action="store_true", help="reuse the corpus generated in OUT/corpora")
    args = ap.parse_args(argv)
    root = corpus(args.out / "corpora", args.n, args.seed, args.reuse)
    from dossier.problems import Problems

    found = Problems()
    _SHARED = load_shared(root, Cache(root), found)
    if _SHARED is None or found:
        print("\n".join(p.human() for p in found.items[:20]), file=sys.stderr)
        return 1
    paths = [str(p) for p in mapping_files(root)][::max(1, args.every)]
    t0 = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(max(1, args.jobs)) as pool:
        rows = pool.map(_one, paths, chunksize=4)
    differ = [r["file"] for r in rows if not (r["as is"]["same"] and r["defects planted"]["same"])]
    print(json.dumps({
        "n": args.n, "documents": len(rows), "differ": differ, "seconds": round(time.perf_counter() - t0, 1),
        "inferences": sum(r["as is"]["inferences"] for r in rows),
        "violations as is": sum(r["as is"]["violations"] for r in rows),
        "violations with defects planted": sum(r["defects planted"]["violations"] for r in rows),
    }))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
