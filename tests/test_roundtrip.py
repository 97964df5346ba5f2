"""A new document from text to query: draft its mapping, complete it as a contributor would,
validate, build, and find its designation (with its quote) by SPARQL.

The document, tests/data/roundtrip/canada-lists-irgc-2024.txt, is not in the corpus; its
sources are listed in tests/data/roundtrip/README.md. It is added to a scratch copy of the
project, beside the corpus (whose documents name every registry entity, as `dossier validate` requires).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT, run_dossier
from dossier.draft import load_project
from dossier.serve.engine import load_store

SLUG = "canada-lists-irgc-2024"
TEXT = ROOT / "tests" / "data" / "roundtrip" / f"{SLUG}.txt"
MAPPING = f"mappings/{SLUG}.yaml"

NEW_ENTITIES = {  # file -> (id, records), added unless the registry already has the id
    "people.yaml": ("dominic-leblanc", """
- id: dominic-leblanc
  type: Person
  label: Dominic LeBlanc
  description: Canadian politician, Minister of Public Safety from 2023.
  country: canada
  member_of: [liberal-party-of-canada]
"""),
    "organizations.yaml": ("dossier-project", """
- id: dossier-project
  type: Organization
  label: Dossier project
  description: The project that maintains this knowledge graph; author of its test documents.
"""),
}


def commented_designations(draft: str) -> list[dict]:
    """The draft's commented `designations:` suggestions, uncommented as a person would."""
    block = draft.split("# designations:\n", 1)[1]
    lines = []
    for line in block.splitlines():
        if not line.startswith("#  "):
            break
        lines.append(line[2:])
    return yaml.safe_load("\n".join(lines))


def complete(draft: str) -> dict:
    """Fill in what only a reader can decide: metadata, which listings are real, their dates and status."""
    m = yaml.safe_load(draft)
    src = m["source"]
    src.update(genre="news", author=["dossier-project"], publisher="dossier-project", published="2026",
               date_inferred="Written in 2026 for the round-trip test; no dateline.", language="en")
    assert "TODO" not in str(src)
    m["mentions"] = [x for x in m["mentions"] if x["entity"] not in {"dominic-leblanc", "commons-motion-irgc-2018"}]
    m["mentions"].append({"entity": "dominic-leblanc", "quote": "Public Safety Minister Dominic LeBlanc"})
    m["mentions"].append({"entity": "commons-motion-irgc-2018", "quote": "The House of Commons adopted a motion"})

    for s in m.get("statements") or []:  # the drafted reported speech: LeBlanc announcing the listing
        if s["speaker"] == "TODO":
            s["speaker"] = "dominic-leblanc"
        s["content"] = "Announces the listing of the IRGC."

    hints = {h["quote"]: h for h in commented_designations(draft)}
    listed = hints["The Government of Canada has listed the Islamic Revolutionary Guard Corps (IRGC) as a terrorist "
                   "entity under the Criminal Code."]
    listed.update(id="irgc-listed-2024", authority="government-of-canada", designee="irgc", status="in-force",
                  listed="2024-06-19", list_name="terrorist entity under the Criminal Code")
    listed["quotes"] = [listed.pop("quote"), "Dominic LeBlanc announced the listing on June 19, 2024."]
    quds = next(h for q, h in hints.items() if q.startswith("Its Quds Force"))
    quds.update(id="quds-force-listed-2012", authority="canada", designee="quds-force", status="in-force", start="2012")
    m["designations"] = [listed, quds]

    m["events"] = [{"id": "commons-motion-date", "event": "commons-motion-irgc-2018", "date": "2018-06-11",
                    "quote": "The House of Commons adopted a motion on June 11, 2018"}]
    m["participations"] = [{"id": "irgc-ps752", "participant": "irgc", "event": "ps752-shootdown", "role": "perpetrator",
                            "quote": "the passenger aircraft that the IRGC shot down near Tehran"}]
    m["expect"] = {"min_designations": "2", "entities": ["irgc", "government-of-canada", "dominic-leblanc"]}
    return m


def test_round_trip_from_text_to_query(project: Path):
    (project / "documents" / f"{SLUG}.txt").write_bytes(TEXT.read_bytes())

    # 1. draft
    proc = run_dossier("draft", f"documents/{SLUG}.txt", cwd=project)
    assert proc.returncode == 0, proc.stderr
    draft = (project / MAPPING).read_text(encoding="utf-8")
    known = load_project(project).registry.entities
    if "dominic-leblanc" not in known:
        assert "Dominic LeBlanc" in draft.split("# Names that match no registry entity", 1)[1]
    for entity in ("irgc", "government-of-canada", "quds-force", "ps752-shootdown"):
        assert f"{{entity: {entity}, quote: " in draft

    # 2. validation names what is still missing, with file and line
    proc = run_dossier("validate", cwd=project)
    assert proc.returncode == 1
    assert re.search(rf"^{MAPPING}:\d+: source: genre 'TODO' is not one of", proc.stderr, re.M), proc.stderr
    assert re.search(rf"^{MAPPING}:\d+: source: missing required key 'date_inferred'", proc.stderr, re.M)
    assert re.search(rf"^{MAPPING}:\d+: source: unknown entity id 'TODO'", proc.stderr, re.M)

    # 3. complete it as a contributor would: register the new names, fill in and confirm the draft
    for name, (eid, records) in NEW_ENTITIES.items():
        if eid not in known:
            with open(project / "mappings" / "entities" / name, "a", encoding="utf-8") as fh:
                fh.write(records)
            label = records.split("label: ", 1)[1].split("\n", 1)[0]
            with open(project / "mappings" / "wikidata.sssom.tsv", "a", encoding="utf-8") as fh:  # a row per entity
                fh.write(f"dossier:{eid}\t{label}\tskos:exactMatch\tsssom:NoTermFound\t\tsemapv:ManualMappingCuration\t"
                         "dossier:curators\t2026-11-29\tno QID confirmed with evidence yet; awaiting an online check\n")
    completed = complete(draft)
    (project / MAPPING).write_text(yaml.safe_dump(completed, sort_keys=False, allow_unicode=True, width=120),
                                   encoding="utf-8")

    # 4. validate and build
    proc = run_dossier("validate", cwd=project)
    assert proc.returncode == 0, proc.stderr
    proc = run_dossier("build", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert f"{len(list((project / 'mappings').glob('*.yaml')))} documents" in proc.stdout

    # 5. query: the new designation, its date and its verbatim quotes
    store = load_store(project / "graph")
    rows = list(store.query(f"""
        PREFIX dos: <https://w3id.org/dossier/ontology#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX id: <https://w3id.org/dossier/id/>
        SELECT ?date ?status ?exact ?start WHERE {{
          GRAPH <https://w3id.org/dossier/graph/{SLUG}> {{
            ?d a dos:Designation ; dos:designee id:irgc ; dos:authority id:government-of-canada ;
               dos:listingDate ?date ; dos:status ?status .
            ?ann oa:hasBody ?d ; oa:hasTarget ?t .
            ?t oa:hasSelector ?q , ?p .
            ?q oa:exact ?exact . ?p oa:start ?start .
          }}
        }} ORDER BY ?start"""))
    assert [r["date"].value for r in rows] == ["2024-06-19", "2024-06-19"]
    assert rows[0]["status"].value.endswith("/in-force")
    text = TEXT.read_text(encoding="utf-8")
    exacts = [r["exact"].value for r in rows]
    assert exacts == ["The Government of Canada has listed the Islamic Revolutionary Guard Corps (IRGC) as a "
                      "terrorist entity under the Criminal Code.",
                      "Dominic LeBlanc announced the listing on June 19, 2024."]
    assert all(text[int(r["start"].value):int(r["start"].value) + len(r["exact"].value)] == r["exact"].value
               for r in rows)
