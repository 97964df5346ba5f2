"""The one check that needs several documents at once: values of a shared node that a shape bounds.

Each document is validated with the registry alone (document.py). Where two documents give the
same registry entity values of a property a shape bounds from above (sh:maxCount, sh:not,
sh:closed: validate.cross_document_paths), each could pass alone and the two fail together, so
those documents are validated together here.
"""

from __future__ import annotations

from rdflib.namespace import RDF

from ..mapping import read_document
from ..problems import Problem, Problems
from ..validate import locate
from .document import DocResult
from .plan import Shared


def check_across_documents(shared: Shared, results: list[DocResult]) -> list[Problem]:
    """Validate together the documents that give one shared node values a shape bounds."""
    givers: dict = {}
    for i, r in enumerate(results):
        for s, p, _ in r.shared_asserted + r.shared_inferred:
            givers.setdefault((s, p), set()).add(i)
    types: dict = {}
    for s, p, o in list(shared.registry) + list(shared.registry_inferred):
        if p == RDF.type:
            types.setdefault(s, set()).add(o)

    def bounded(s, p) -> bool:
        return any((bp is None or bp == p) and (classes is None or classes & types.get(s, set()))
                   for bp, classes in shared.bounded)

    joint_nodes: dict = {}
    for (s, p), docs in givers.items():
        if len(docs) > 1 and bounded(s, p):
            joint_nodes.setdefault(s, set()).update(docs)
    joint = {i for docs in joint_nodes.values() for i in docs}
    if not joint:
        return []
    problems = Problems()
    data: list = list(shared.registry) + sorted(shared.registry_inferred)
    locations = dict(shared.registry_locations)
    for i in sorted(joint):
        doc = read_document(shared.root, shared.root / results[i].file, shared.ctx, problems)
        if doc is None:
            continue
        data += list(doc.graph)
        data += sorted(shared.reasoner.infer_document(doc.graph, shared.registry, shared.registry_inferred))
        locations.update(doc.locations)
    return sorted(set(problems.items) | set(locate(shared.validator.validate(data, set(joint_nodes)), locations)))
