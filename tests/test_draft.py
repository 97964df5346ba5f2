"""`dossier draft`: name matching, dates, quoted passages, and quotes that are exact spans of the text."""

from __future__ import annotations

import hashlib
import re

import pytest

from conftest import ROOT, run_dossier
from dossier.draft import NameIndex, draft, find_dates, find_mentions, fold, load_project, render
from dossier.draft.text import unique_quote
from dossier.problems import Problems
from dossier.quotes import DocumentText
from dossier.yamlfile import YMap, load_yaml

PROJECT = load_project(ROOT)
REG = PROJECT.registry
INDEX = NameIndex.of(REG)
TYPES = {e.id: e.type for e in REG.entities.values()}
CORPUS = sorted(p for p in (ROOT / "documents").glob("*.txt"))
ROUNDTRIP = ROOT / "tests" / "data" / "roundtrip" / "canada-lists-irgc-2024.txt"


def hits(text: str) -> list[tuple[str, str]]:
    return [(m.entity, m.text) for m in find_mentions(text, INDEX, TYPES)]


# ---------------------------------------------------------------------- names

@pytest.mark.parametrize("spelling", [
    "Mujahedin-e Khalj", "Mojahedin e-Khalq", "MEK", "Mujahedin e Khalq", "MUJAHEDIN-E KHALQ",
    "Mujāhedin-e Khalq", "Mujahedin-e-Khalq", "People’s Mojahedin Organization of Iran", "MeK",
])
def test_every_spelling_of_the_mek_hits_the_mek(spelling):
    text = f"Members of the {spelling}, who met in Paris, spoke."
    found = hits(text)
    assert ("mek", spelling) in found, found


@pytest.mark.parametrize("text", [
    "The Mekong delta.", "A smek of it.", "Remember the mek.", "Mek is a word here.", "KEMEK",
])
def test_mek_never_fires_inside_other_words_or_in_lower_case(text):
    assert "mek" not in [e for e, _ in hits(text)]


def test_possessive_and_offsets_map_back_to_the_original_characters():
    text = "The MEK’s leader and the  Mujahedin‑e\u00a0Khalq (MEK) met."
    for m in find_mentions(text, INDEX, TYPES):
        assert text[m.start:m.end] == m.text
    assert [t for _, t in hits(text)] == ["MEK", "Mujahedin‑e\u00a0Khalq", "MEK"]


def test_longest_name_wins():
    assert hits("the Islamic Republic Police Chief Commander said") == [
        ("iran-law-enforcement-command", "Islamic Republic Police")]
    assert hits("Stephen Harper and Harper") == [("stephen-harper", "Stephen Harper"), ("stephen-harper", "Harper")]


def test_short_and_capitalized_names_need_their_capitals():
    assert hits("Let us go to the US and the U.S.") == [("united-states", "US"), ("united-states", "U.S.")]
    assert hits("a trump card; Trump said") == [("donald-trump", "Trump")]


def test_an_agent_named_inside_an_event_name_is_a_mention_too():
    found = hits("during the Mahsa Amini protests")
    assert ("mahsa-amini-protests", "Mahsa Amini protests") in found
    if "mahsa-amini" in REG.entities:
        assert ("mahsa-amini", "Mahsa Amini") in found


def test_fold_is_unicode_aware():
    assert fold("Michèle Flournoy")[0] == "michele flournoy"
    assert fold("People’s Mujahedin-e\u00adKhalq")[0] == "people s mujahedin ekhalq"


# ---------------------------------------------------------------------- dates and quotations

def test_dates_at_the_precision_the_text_gives():
    text = ("On June 11, 2018, the House acted; on the 11th of July 2023 a letter; in October 2017 a law; "
            "in 2012 a listing; on October 1 a letter; February 30, 2020 is no date; 2018-06-11 again.")
    assert [d.value for d in find_dates(text)] == [
        "2018-06-11", "2023-07-11", "2017-10", "2012", "--10-01", "2020", "2018-06-11"]


def test_quoted_passage_gets_its_likely_speaker_and_evidence_sentence():
    text = ("Opening line.\nStephen Harper said the group was “a voice for democracy in Iran and beyond.” "
            "Another sentence follows.\nAccording to Reuters, officials called it “a matter for the courts to decide.”\n")
    d = draft(text.encode(), "sample-doc", REG)
    assert [(q.speaker, text[q.evidence[0]:q.evidence[1]]) for q in d.quoted] == [
        ("stephen-harper", "Stephen Harper said the group was “a voice for democracy in Iran and beyond.”"),
        ("reuters", "According to Reuters, officials called it “a matter for the courts to decide.”"),
    ]
    assert d.quoted[0].about == ["iran"]


def test_unresolved_capitalized_names_are_listed_not_sentence_openers():
    d = draft(ROUNDTRIP.read_bytes(), ROUNDTRIP.stem, REG)
    names = [n.name for n in d.new_names]
    assert "Dominic LeBlanc" in names and "Criminal Code" in names
    assert not {"The", "Its", "Once", "Families"} & set(names)
    assert not any(n.name in {m.text for m in d.mentions} for n in d.new_names)


# ---------------------------------------------------------------------- every quote is an exact span

def _resolves(doc: DocumentText, start: int, end: int, occurrence: int | None) -> bool:
    spans = doc.find_all(doc.text[start:end])
    if occurrence is None:
        return spans == [(start, end)]
    return len(spans) >= occurrence and spans[occurrence - 1] == (start, end)


@pytest.mark.parametrize("path", CORPUS + [ROUNDTRIP], ids=lambda p: p.stem)
def test_every_drafted_quote_is_an_exact_span_at_its_offsets(path):
    raw = path.read_bytes()
    d = draft(raw, path.stem, REG)
    doc = DocumentText(d.text)
    assert d.sha256 == hashlib.sha256(raw).hexdigest()
    for m in d.mentions:
        assert d.text[m.start:m.end] == m.text
    spans = [s.evidence for s in d.speech] + [(e.start, e.end) for e in d.events] + [(x.start, x.end) for x in d.listings]
    evidence = [ev for _, ev in d.first_mentions] + [unique_quote(doc, a, b, (a, b)) for a, b in spans]
    for start, end, occ in evidence:
        assert d.text[start:end] == d.text[start:end].strip() and end > start
        assert _resolves(doc, start, end, occ), f"{path.name}: '{d.text[start:end]}' does not resolve to {start}-{end}"


@pytest.mark.parametrize("path", CORPUS + [ROUNDTRIP], ids=lambda p: p.stem)
def test_rendered_draft_reads_strictly_and_its_quotes_are_the_texts_own(path, tmp_path):
    raw = path.read_bytes()
    d = draft(raw, path.stem, REG)
    text = render(d, REG, PROJECT.genres, PROJECT.statement_types)
    out = tmp_path / f"{path.stem}.yaml"
    out.write_text(text, encoding="utf-8")
    problems = Problems()
    data = load_yaml(out, out.name, problems)
    assert not problems, [p.human() for p in problems.items]
    assert isinstance(data, YMap) and data["source"]["sha256"] == d.sha256
    doc = DocumentText(d.text)
    lines = text.splitlines()
    for rec in list(data.get("mentions", [])) + list(data.get("statements", [])):
        quote = rec["quote"]
        offsets = re.search(r"# chars (\d+)-(\d+)", lines[rec.line - 1] + lines[rec["quote"].line - 1])
        start, end = int(offsets.group(1)), int(offsets.group(2))
        assert quote == d.text[start:end]
        occ = int(rec["occurrence"]) if "occurrence" in rec else None
        assert _resolves(doc, start, end, occ)


# ---------------------------------------------------------------------- the command

def test_draft_command_writes_the_mapping_and_refuses_to_overwrite(project):
    (project / "documents" / "canada-lists-irgc-2024.txt").write_bytes(ROUNDTRIP.read_bytes())
    proc = run_dossier("draft", "documents/canada-lists-irgc-2024.txt", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "wrote mappings/canada-lists-irgc-2024.yaml:" in proc.stderr
    assert (project / "mappings" / "canada-lists-irgc-2024.yaml").exists()
    again = run_dossier("draft", "documents/canada-lists-irgc-2024.txt", cwd=project)
    assert again.returncode == 1 and "exists: not overwritten" in again.stderr


def test_draft_command_rejects_a_file_name_that_is_not_a_slug(project):
    bad = project / "documents" / "My Article.txt"
    bad.write_text("Some text.", encoding="utf-8")
    proc = run_dossier("draft", str(bad), cwd=project)
    assert proc.returncode == 1 and "rename it to my-article.txt" in proc.stderr


def test_update_keeps_every_line_the_contributor_wrote_and_adds_only_new_suggestions(project):
    text = project / "documents" / "canada-lists-irgc-2024.txt"
    text.write_bytes(ROUNDTRIP.read_bytes())
    mapping = project / "mappings" / "canada-lists-irgc-2024.yaml"
    assert run_dossier("draft", "documents/canada-lists-irgc-2024.txt", cwd=project).returncode == 0
    # the contributor edits: fills fields, drops a drafted statement, adds notes in odd spacing
    lines = mapping.read_text(encoding="utf-8").split("\n")
    lines = [ln.replace("genre: TODO", "genre: news   ") for ln in lines]
    first = next(i for i, ln in enumerate(lines) if ln.startswith("  - id: statement-"))
    end = next(i for i in range(first + 1, len(lines)) if not lines[i].startswith("    "))
    del lines[first:end]
    lines.insert(first, "  # dropped a drafted statement here — not a quotation\t")
    edited = ("\n".join(lines) + "\n# my own note, kept as written \u00a0\n").encode("utf-8")
    mapping.write_bytes(edited)
    # the registry learns a name after the draft was written
    with (project / "mappings" / "entities" / "people.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- id: dominic-leblanc\n  type: Person\n  label: Dominic LeBlanc\n"
                "  description: Canadian politician.\n")
    proc = run_dossier("draft", "documents/canada-lists-irgc-2024.txt", "--update",
                       "mappings/canada-lists-irgc-2024.yaml", cwd=project)
    assert proc.returncode == 0, proc.stderr
    merged = mapping.read_bytes()
    assert merged.startswith(edited), "the contributor's bytes were changed"
    added = merged[len(edited):].decode("utf-8").splitlines()
    assert all(ln.startswith("#") or not ln for ln in added)
    assert any("entity: dominic-leblanc" in ln for ln in added)
    assert any("- id: new-statement-" in ln for ln in added)  # the dropped one, offered again
    assert not any("entity: irgc" in ln for ln in added)      # already mentioned above
    again = run_dossier("draft", "documents/canada-lists-irgc-2024.txt", "--update",
                        "mappings/canada-lists-irgc-2024.yaml", cwd=project)
    assert again.returncode == 0 and "nothing new" in again.stderr
    assert mapping.read_bytes() == merged


def test_refusing_to_overwrite_names_the_update_option(project):
    (project / "documents" / "canada-lists-irgc-2024.txt").write_bytes(ROUNDTRIP.read_bytes())
    run_dossier("draft", "documents/canada-lists-irgc-2024.txt", cwd=project, check=True)
    again = run_dossier("draft", "documents/canada-lists-irgc-2024.txt", cwd=project)
    assert again.returncode == 1 and "--update mappings/canada-lists-irgc-2024.yaml" in again.stderr
    bad = run_dossier("draft", "documents/canada-lists-irgc-2024.txt", "--stdout", "--published", "2024-06", cwd=project)
    assert bad.returncode == 1 and "not a full date" in bad.stderr
