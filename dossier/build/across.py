"""The one check that needs several documents at once: values of a shared node that a shape bounds.

Each document is validated with the registry alone (document.py). Where two documents give the
same registry entity values of a property a shape bounds from above (sh:maxCount, sh:not,
sh:closed: validate.cross_document_paths), each could pass alone and the two fail together, so
those documents are validated together here.
"""

from __future__ import annotations

from rdflib.namespace import RDF

from ..cache import Cache, digest
from ..mapping import read_document
from ..problems import Problem, Problems
from ..validate import locate
from .outline import node_of
from .plan import Shared


def check_across_documents(shared: Shared, outlines: list, cache: Cache | None = None) -> tuple[list[Problem], set[str]]:
    """Validate together the documents that give one shared node values a shape bounds.

    ``outlines``: (cache key, outline.Outline) of each document. The result is cached under the
    keys of the documents validated together and their shared nodes, so a change to a document
    outside them reuses it. Returns the problems and the cache name used (what a build keeps)."""
    givers: dict = {}
    for i, (_, o) in enumerate(outlines):
        for sp in o.givers:
            givers.setdefault(sp, set()).add(i)
    types: dict = {}
    for triples in shared.by_subject.values():  # the registry's triples and inferences, by subject
        for s, p, o in triples:
            if p == RDF.type:
                types.setdefault(str(s), set()).add(str(o))
    bounds = [(None if bp is None else str(bp), None if classes is None else {str(c) for c in classes})
              for bp, classes in shared.bounded]

    def bounded(s, p) -> bool:
        return any((bp is None or bp == p) and (classes is None or classes & types.get(s, set()))
                   for bp, classes in bounds)

    joint_nodes: dict = {}
    for (s, p), docs in givers.items():
        if len(docs) > 1 and bounded(s, p):
            joint_nodes.setdefault(s, set()).update(docs)
    joint = {i for docs in joint_nodes.values() for i in docs}
    if not joint:
        return [], set()
    key = digest(shared.key, "across", *(outlines[i][0] for i in sorted(joint)), *sorted(joint_nodes))
    found = cache.load("across", key) if cache is not None else None
    if found is None:
        found = _validate_jointly(shared, [outlines[i][1].file for i in sorted(joint)], {node_of(s) for s in joint_nodes})
        if cache is not None:
            cache.store("across", key, found)
    return found, {key}


def _validate_jointly(shared: Shared, files: list[str], nodes: set) -> list[Problem]:
    problems = Problems()
    data: list = list(shared.registry) + sorted(shared.registry_inferred)
    locations = dict(shared.registry_locations)
    for file in files:
        doc = read_document(shared.root, shared.root / file, shared.ctx, problems)
        if doc is None:
            continue
        data += list(doc.graph)
        data += sorted(shared.reasoner.infer_document(doc.graph, shared.registry_triples, shared.registry_inferred))
        locations.update(doc.locations)
    return sorted(set(problems.items) | set(locate(shared.validator.validate(data, nodes), locations)))
