"""Event series on an organizer's page, over HTTP: the MEK's page lists who took part in the editions of the
yearly conference it organizes, and an edition whose organizer a source states only for its series is marked
as such (tests/data/model/gazette-harbour-forum-2024, built into a project copy and served)."""

from __future__ import annotations

import html
import re

import pytest

from conftest import copy_project, run_dossier
from model_corpus import add_model_documents
from serve_support import HTTP, Server


def page(url: str) -> str:
    r = HTTP.get(url, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    return html.unescape(re.sub(r"\s+", " ", r.text))


def section(text: str, key: str) -> str:
    """The HTML of one section of an entity page (its id), up to the next section."""
    start = text.find(f'id="{key}"')
    assert start >= 0, f"no section {key!r} on the page"
    end = text.find('<section class="facts-section"', start + 1)
    return text[start:end if end > 0 else None]


def test_the_mek_page_lists_who_took_part_in_the_editions_of_its_series(served):
    at_events = section(page(served.url + "/id/mek"), "at-its-events")
    # David Kilgour at the 2019 edition of the yearly conference; Stephen Harper at the series itself
    assert "Free Iran conference 2019" in at_events and "David Kilgour" in at_events
    assert "Free Iran Global Summit" in at_events and "Stephen Harper" in at_events


@pytest.fixture(scope="module")
def model_server(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("series"))
    add_model_documents(root, ["gazette-harbour-forum-2024"])
    run_dossier("build", cwd=root, check=True)
    server = Server(root, "--no-build").start()
    yield server
    server.stop()


def test_an_edition_organised_through_its_series_is_marked_on_the_organizers_page(model_server):
    at_events = section(page(model_server.url + "/id/example-civic-association"), "at-its-events")
    assert "Ana Example" in at_events
    assert "Harbour Forum 2024 (organizer stated for its series, Harbour Forum)" in at_events
