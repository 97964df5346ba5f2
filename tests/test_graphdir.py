"""graph/manifest.json: written row by row, it is the JSON the manifest's readers parse, byte for byte."""

from __future__ import annotations

import json

import pytest

from dossier.graphdir import GraphFile, manifest_text


def _json_manifest(files, search=None) -> str:
    ordered = sorted(files, key=lambda f: f.file)
    body = {"files": [{"file": f.file, "graph": f.graph, "triples": f.triples, "sha256": f.sha256} for f in ordered],
            "triples": sum(f.triples for f in ordered)}
    if search is not None:
        body["search"] = {"file": search.file, "records": search.triples, "sha256": search.sha256}
    return json.dumps(body, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


FILES = [GraphFile("zeta.nq", "https://w3id.org/dossier/graph/zeta", 12, "ab" * 32),
         GraphFile('inferred/quo"te\\é.nq', "https://w3id.org/dossier/graph/inferred/x\u2028y", 0, "cd" * 32),
         GraphFile("alpha.nq", "https://w3id.org/dossier/graph/alpha", 7, "ef" * 32)]
SEARCH = GraphFile("search.jsonl", "", 41, "01" * 32)


@pytest.mark.parametrize("files", [FILES, FILES[:1], []])
@pytest.mark.parametrize("search", [SEARCH, None])
def test_manifest_is_json_dumps_indented_and_sorted(files, search):
    assert manifest_text(files, search) == _json_manifest(files, search)
