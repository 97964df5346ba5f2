"""`dossier draft` reading real sentences: near-miss names, relative dates, speakers, events, listings.

Every test here builds its own small registry, so nothing depends on what the project's registry
happens to hold; the texts are short passages written for these tests.
"""

from __future__ import annotations

import pytest

from dossier.draft import draft, find_dates, render
from dossier.draft.dates import publication_date
from dossier.registry import Entity, Registry
from dossier.yamlfile import load_yaml
from dossier.problems import Problems

RECORDS = [
    ("irgc", "Organization", "Islamic Revolutionary Guard Corps", ["IRGC"]),
    ("quds-force", "Organization", "Quds Force", []),
    ("conservatives", "Organization", "Conservative Party of Canada", ["Conservatives"]),
    ("state-department", "Organization", "United States Department of State", ["State Department"]),
    ("joe-lieberman", "Person", "Joe Lieberman", []),
    ("stephen-harper", "Person", "Stephen Harper", ["Harper"]),
    ("amnesty", "Organization", "Amnesty International", []),
    ("fars", "Organization", "Fars News Agency", ["Fars News"]),
    ("ministry-of-health", "Organization", "Ministry of Health", []),
    ("canada", "Place", "Canada", []),
    ("government-of-canada", "Organization", "Government of Canada", []),
    ("iran", "Place", "Iran", []),
    ("tirana", "Place", "Tirana", []),
    ("criminal-code", "Legislation", "Criminal Code", []),
    ("mek", "Organization", "People's Mojahedin Organization of Iran", ["MEK"]),
]


def registry() -> Registry:
    reg = Registry()
    for eid, kind, label, aliases in RECORDS:
        reg.entities[eid] = Entity(eid, kind, label, list(aliases), "A test record.", None, None, [], "test.yaml", 1,
                                   government_of="canada" if eid == "government-of-canada" else None)
    reg.governments["canada"] = "government-of-canada"
    return reg


REG = registry()


def drafted(text: str, published: str | None = "2024-06-20"):
    return draft(text.encode("utf-8"), "test-doc", REG, published=published)


# ---------------------------------------------------------------------- names

@pytest.mark.parametrize("spelling, entity", [
    ("Islamic Revolutionary Guards Corps", "irgc"),      # plural
    ("Islamic Revolutionary Guard's Corps", "irgc"),     # a stray possessive
    ("Revolutionary Guards", "irgc"),                    # most of the name
    ("Qods Force", "quds-force"),                        # transliteration
    ("Department of State", "state-department"),         # word order / part of the name
    ("Conservative", "conservatives"),                   # singular of an alias
])
def test_near_misses_are_proposed_as_aliases_never_added(spelling, entity):
    before = {e.id: list(e.aliases) for e in REG.entities.values()}
    d = drafted(f"Officials said on Monday that the {spelling} had been warned twice.")
    assert [(n.entity, n.name) for n in d.near] == [(entity, spelling)]
    assert entity in {m.entity for m in d.mentions}
    assert {e.id: list(e.aliases) for e in REG.entities.values()} == before
    yaml_text = render(d, REG)
    assert f'add alias "{spelling}" to {entity}' in yaml_text
    assert "near miss of" in yaml_text


def test_a_surname_is_the_person_the_text_names_in_full():
    d = drafted("Joe Lieberman spoke first. Later, Lieberman said the vote would be close.")
    assert [(n.entity, n.name) for n in d.near] == [("joe-lieberman", "Lieberman")]


@pytest.mark.parametrize("name", ["Health Canada", "Ministry of Defence", "Revolutionary Road", "Quebec"])
def test_names_that_only_share_a_word_are_not_near_misses(name):
    d = drafted(f"Officials said that {name} had been warned twice.")
    assert d.near == []


def test_unresolved_names_are_grouped_by_likely_type_with_their_sentence():
    text = ("Public Safety Minister Dominic LeBlanc said the decision was final. "
            "The Kurdish Human Rights Society objected. Protesters gathered in Kelowna. "
            "Ottawa acted under the Special Economic Measures Act.")
    d = drafted(text)
    kinds = {n.name: n.kind for n in d.new_names}
    assert kinds["Dominic LeBlanc"] == "person"
    assert kinds["Kurdish Human Rights Society"] == "organization"
    assert kinds["Kelowna"] == "place"
    assert kinds["Special Economic Measures Act"] == "legislation"
    out = render(d, REG)
    people = out.index("#  people:")
    assert out.rindex('"Dominic LeBlanc"') > people
    assert "in: \"Public Safety Minister Dominic LeBlanc said the decision was final.\"" in out


# ---------------------------------------------------------------------- dates

@pytest.mark.parametrize("phrase, value", [
    ("on Wednesday", "2024-06-19"),        # published on a Thursday
    ("yesterday", "2024-06-19"),
    ("today", "2024-06-20"),
    ("last Thursday", "2024-06-13"),
    ("last month", "2024-05"),
    ("earlier this month", "2024-06"),
    ("earlier this year", "2024"),
    ("last year", "2023"),
    ("in September", "2023-09"),           # the last September before publication
    ("in March", "2024-03"),
    ("on March 3", "2024-03-03"),
])
def test_relative_dates_resolve_against_the_publication_date_with_a_note(phrase, value):
    text = f"The committee met {phrase} to discuss the file."
    found = [f for f in find_dates(text, "2024-06-20") if f.text.lower() in phrase.lower()]
    assert [f.value for f in found] == [value]
    assert f"'{found[0].text}' in a text dated Thursday 20 June 2024" in found[0].note


def test_future_tense_looks_forward():
    found = find_dates("The committee will meet on Monday.", "2024-06-20")
    assert [f.value for f in found] == ["2024-06-24"]


def test_relative_dates_stay_unresolved_without_a_publication_date():
    assert [f.value for f in find_dates("They met on Wednesday and last month.", None)] == []
    assert [f.value for f in find_dates("They met on March 3.", None)] == ["--03-03"]


@pytest.mark.parametrize("head, value", [
    ("OTTAWA, June 20, 2024\n\nThe minister spoke.", "2024-06-20"),
    ("A title\nPublished Friday, October 7, 2022\n\nText.", "2022-10-07"),
    ("Subject: a note\nDate: 8 November 2023\n\nIn 2012 it began.", "2023-11-08"),
    ("HALIFAX, May 2, 2021 (Wire) - Dockworkers on Friday voted to end a strike that had lasted weeks.", "2021-05-02"),
])
def test_the_publication_date_is_read_from_the_head_of_the_text(head, value):
    assert publication_date(head, find_dates(head)).value == value


def test_a_date_deep_in_a_line_of_prose_is_no_publication_date():
    text = "The ministers of the seven countries who met in the capital agreed to meet again on 19 June 2024."
    assert publication_date(text, find_dates(text)) is None


def test_a_drafted_statement_carries_its_date_note():
    text = "OTTAWA, June 20, 2024\n\nStephen Harper said on Wednesday that the talks had failed.\n"
    d = draft(text.encode(), "test-doc", REG)
    out = render(d, REG)
    assert 'date: "2024-06-19"' in out
    assert "date_note: \"'on Wednesday' in a text dated Thursday 20 June 2024\"" in out


# ---------------------------------------------------------------------- speech

def speakers(text: str) -> list[tuple]:
    return [(s.speaker or s.speaker_name or s.speaker_described, s.quoted, s.second_hand)
            for s in drafted(text).speech]


def test_a_quotation_across_a_line_break_is_one_statement_with_its_speaker():
    text = 'Stephen Harper said the listing "sends a clear message to every\ngovernment in the region."\n'
    d = drafted(text)
    assert len(d.speech) == 1
    s = d.speech[0]
    assert s.speaker == "stephen-harper" and text[s.start:s.end].endswith('region."')
    assert d.text[s.evidence[0]:s.evidence[1]] == text.strip()


@pytest.mark.parametrize("text, expected", [
    ('"We have waited four years for this day," said a spokesperson for the families.',
     [("a spokesperson for the families", True, False)]),
    ("Stephen Harper's spokesperson said the remarks were taken out of context.",
     [("Stephen Harper's spokesperson", False, False)]),
    ("Amnesty International said last week that security forces had fired on protesters.",
     [("amnesty", False, False)]),
    ("According to Fars News, the foreign ministry condemned the decision.",
     [("fars", False, True)]),
    ("Canada said the decision was final.", [("government-of-canada", False, False)]),
    ("Fars News reported that the ministry had denied any role.", [("fars", False, True)]),
    ("Stephen Harper said that the group had alleged abuses.", [("stephen-harper", False, True)]),
    ('The interior ministry called the raid "a lawful search of the premises."',
     [("The interior ministry", True, False)]),
    ("Public Safety Minister Dominic LeBlanc said the listing was overdue. He told reporters more would follow.",
     [("Dominic LeBlanc", False, False), ("Dominic LeBlanc", False, False)]),
])
def test_speakers_of_quoted_and_reported_speech(text, expected):
    assert speakers(text) == expected


@pytest.mark.parametrize("text", [
    "The committee met in Tirana on Monday and adopted its report.",
    "Office of the Spokesperson\nUnited States Department of State\n",   # "States" is no verb here
])
def test_a_sentence_without_speech_is_no_statement(text):
    assert speakers(text) == []


# ---------------------------------------------------------------------- events and designations

def test_dated_event_phrases_are_proposed_with_their_resolved_date():
    d = drafted("Police on Tuesday searched the camp near Tirana. Stephen Harper said on Monday it was wrong.")
    assert [(d.text[e.start:e.end][:20], e.date.value, e.places) for e in d.events] == [
        ("Police on Tuesday se", "2024-06-18", ["tirana"])]
    assert "'on Tuesday' in a text dated" in d.events[0].date.note


@pytest.mark.parametrize("sentence, fields", [
    ("Canada listed the Islamic Revolutionary Guard Corps as a terrorist entity on 19 June 2024 under the Criminal Code.",
     {"authority": "canada", "designee": "irgc", "type": "terrorist-listing", "status": "in-force",
      "listed": "2024-06-19", "legal_basis": ["criminal-code"], "list_name": "terrorist entity"}),
    ("The MEK was removed from the list of Foreign Terrorist Organizations in September 2012.",
     {"designee": "mek", "status": "ended", "end": "2012-09", "list_name": "Foreign Terrorist Organizations"}),
    ("The State Department is reviewing whether to designate the IRGC as a terrorist organization.",
     {"authority": "state-department", "designee": "irgc", "status": "proposed"}),
    ("The IRGC's Quds Force has been designated by Canada as a terrorist entity since 2012.",
     {"authority": "canada", "designee": "quds-force", "status": "in-force", "start": "2012"}),
    ("The IRGC's Quds Force has been designated as a terrorist entity since 2012.",
     {"authority": None, "designee": "quds-force"}),
    ("Canada has listed the Quds Force as a terrorist entity since 2012.",
     {"authority": "canada", "designee": "quds-force", "status": "in-force", "start": "2012"}),
])
def test_listing_sentences_are_filled_where_the_sentence_says(sentence, fields):
    d = drafted(sentence)
    assert len(d.listings) == 1
    got = d.listings[0].fields
    assert {k: got.get(k) for k in fields} == fields


def test_the_rendered_draft_reads_strictly(tmp_path):
    text = ("OTTAWA, June 20, 2024\n\nCanada on Wednesday listed the Revolutionary Guards as a terrorist entity.\n"
            'Stephen Harper said the decision "came six years too late for the families."\n'
            "According to Fars News, the foreign ministry condemned it yesterday.\n")
    d = draft(text.encode(), "test-doc", REG)
    out = tmp_path / "test-doc.yaml"
    out.write_text(render(d, REG), encoding="utf-8")
    problems = Problems()
    data = load_yaml(out, out.name, problems)
    assert not problems, [p.human() for p in problems.items]
    assert data["source"]["published"] == "2024-06-20"
    assert [str(s.get("speaker")) for s in data["statements"]] == ["stephen-harper", "fars"]
