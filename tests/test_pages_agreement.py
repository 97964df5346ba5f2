"""Sources that disagree, values several sources state, and a series' editions, shown by the real server.

A scratch copy of the project plus the model documents (tests/data/model/: four short texts written
for the tests, giving the date of one vote as 11 March, 13 March and March 2024), with one corpus
event recorded in the registry as an edition of a series, built and served.
"""

from __future__ import annotations

import re

import pytest

from conftest import copy_project, run_dossier
from model_corpus import add_model_documents
from serve_support import HTTP, Server

HTML = {"Accept": "text/html"}
VOTE = "/id/northland-harbour-vote-2024"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("agreement-pages"))
    add_model_documents(root)
    # the registry itself records free-iran-rally-2018 as an edition of free-iran-global-summit
    registry = root / "mappings" / "entities" / "cbc-opinion-harper-mek-2018.yaml"
    assert "  series: free-iran-global-summit\n" in registry.read_text(encoding="utf-8")
    run_dossier("build", cwd=root, check=True)
    s = Server(root, "--no-build", "--workers", "1").start()
    yield s
    s.stop()


def values_table(page: str) -> list[str]:
    """The rows of the 'What sources give for it' table, as text."""
    table = page.split('id="values"')[1].split("</table>")[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split(">", 1)[1])).strip() for row in table.split("<tr")[2:]]


def test_disagreeing_dates_are_flagged_with_each_value_and_its_sources(server):
    page = HTTP.get(server.url + VOTE, headers=HTML).text
    assert "<dt>Sources disagree</dt>" in page and "on its start date" in page
    rows = values_table(page)
    dates = {row.split(" ")[2] for row in rows if row.startswith("start date")}
    assert {"2024-03-11", "2024-03-13", "2024-03"} <= dates, rows
    assert all("sources disagree" in row for row in rows if row.startswith("start date"))
    thirteenth = [row for row in rows if "2024-03-13" in row]
    assert thirteenth and all("stated by 3 sources (2 independent)" in row for row in thirteenth), thirteenth
    assert page.count('class="flag stated corroborated"') == len(thirteenth)
    eleventh = [row for row in rows if "2024-03-11" in row]
    assert eleventh and all("stated by 1 source" in row and "corroborated" not in row for row in eleventh)


def test_the_timeline_keeps_each_sources_date(server):
    items = HTTP.get(server.url + VOTE + "/views").json()["timeline"]["items"]
    for date in ("2024-03-11", "2024-03-13", "2024-03"):
        assert any(item["date"] == date for item in items), date


def test_a_page_without_disagreement_says_none(server):
    page = HTTP.get(server.url + "/id/irgc", headers=HTML).text
    assert "<dt>Sources disagree</dt>" not in page


def test_a_series_page_lists_its_editions_and_an_edition_names_its_series(server):
    series = HTTP.get(server.url + "/id/free-iran-global-summit", headers=HTML).text
    editions = series.split("<dt>Editions</dt>")[1].split("</dd>")[0]
    assert 'href="/id/free-iran-rally-2018"' in editions
    edition = HTTP.get(server.url + "/id/free-iran-rally-2018", headers=HTML).text
    assert 'href="/id/free-iran-global-summit"' in edition


def test_a_designees_page_flags_the_listing_dates_sources_disagree_on(server):
    page = HTTP.get(server.url + "/id/example-civic-association", headers=HTML).text
    assert "<dt>Sources disagree</dt>" in page and "on the listing date of a Designation" in page
    table = page.split('class="facts designations"')[1].split("</table>")[0]
    rows = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in table.split("<tr")[2:]]
    listed = {date: row for row in rows for date in ("2024-06-19", "2024-06-17", "2024-06 ") if date in row + " "}
    assert set(listed) == {"2024-06-19", "2024-06-17", "2024-06 "}, rows
    # the wire, the bulletin (naming the ministry) and the digest report one listing: its status is stated by three
    assert all("listing date: sources disagree stated by 1 source" in row for row in listed.values()), rows
    assert all("status: stated by 3 sources" in row for row in listed.values()), rows
    assert table.count('class="flag stated corroborated"') == 3


def test_an_events_page_flags_the_qualified_tolls_sources_disagree_on(server):
    page = HTTP.get(server.url + "/id/springfield-raid-2024", headers=HTML).text
    assert "on the value of a Quantity" in page
    cards = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)) for card in page.split('<div class="fact"')[1:]]
    heads = [c.split(" agreement ")[0] for c in cards]  # a card's heading and properties, before its flags and quotes
    tolls = [c for c, h in zip(cards, heads) if "people killed" in h and "residents" not in h]
    assert len(tolls) == 3 and all("value: sources disagree" in c for c in tolls), cards
    part = [c for c, h in zip(cards, heads) if "residents of Springfield" in h]
    assert len(part) == 1 and "value: stated by 1 source" in part[0] and "sources disagree" not in part[0], part
