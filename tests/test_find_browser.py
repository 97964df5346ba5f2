"""Search, autocomplete, citation and reconciliation pages in a real headless Chromium, network cut off."""

from __future__ import annotations

from serve_support import HTTP
from test_serve_browser import browser, page, pytestmark  # noqa: F401  (the same browser fixtures and skip rule)


def test_autocomplete_in_the_header_opens_the_entity(served, page):
    page.goto(served.url + "/id/")
    box = page.locator("header form.search-box input[name=q]")
    box.press_sequentially("mujahed", delay=30)
    first = page.locator("header ul.suggestions li").first
    first.wait_for(timeout=10_000)
    assert "People's Mojahedin Organization of Iran" in first.inner_text()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url(served.url + "/id/mek")
    assert "People's Mojahedin" in page.locator("h1").inner_text()
    assert page.outside == [] and page.errors == []


def test_a_click_anywhere_on_a_suggestion_row_opens_it(served, page):
    """A person clicks the row, not necessarily its name: the row's empty right-hand part opens it too."""
    page.goto(served.url + "/id/")
    box = page.locator("header form.search-box input[name=q]")
    box.press_sequentially("MEK", delay=30)
    row = page.locator("header ul.suggestions li", has_text="People's Mojahedin Organization of Iran").first
    row.wait_for(timeout=10_000)
    box_of_row, box_of_name = row.bounding_box(), row.locator("a").bounding_box()
    assert box_of_row["x"] + box_of_row["width"] - 5 > box_of_name["x"] + box_of_name["width"]  # room beside the name
    row.click(position={"x": box_of_row["width"] - 5, "y": box_of_row["height"] / 2})
    page.wait_for_url(served.url + "/id/mek")
    assert page.outside == [] and page.errors == []


def test_search_page_from_the_box_with_a_typo_and_a_type_filter(served, page):
    page.goto(served.url + "/id/mek")
    box = page.locator("header form.search-box input[name=q]")
    box.fill("harpr")
    box.press("Enter")
    page.wait_for_url("**/search?q=harpr")
    first = page.locator("ol.results li.result a.label").first
    assert first.inner_text() == "Stephen Harper"
    assert "harper" in page.locator(".corrected").inner_text()
    page.locator("p.types a", has_text="Participation").click()
    page.wait_for_url("**type=Participation")
    badges = page.locator("ol.results .badge").all_inner_texts()
    assert badges and set(badges) == {"Participation"}
    assert page.outside == [] and page.errors == []


def test_cite_a_fact_from_its_source_page(served, page):
    page.goto(served.url + "/source/cbc-opinion-harper-mek-2018")
    entry = page.locator("section.facts ol.evidence li").first
    quote = entry.locator("a.to-text").inner_text().strip("“”…")
    entry.locator("a.cite").click()
    page.wait_for_url("**?format=cite")
    assert page.locator("h1").inner_text() == "Cite this fact"
    text = page.locator("#citation-text").inner_text()
    permalink = page.locator("a.permalink").inner_text()
    assert permalink.startswith("https://w3id.org/dossier/fact/cbc-opinion-harper-mek-2018/")
    assert permalink in text and quote[:40] in text and "CBC/Radio-Canada" in text
    assert page.locator("#citation-bibtex").inner_text().startswith("@misc{dossier-cbc-opinion-harper-mek-2018-")
    assert permalink in page.locator("#citation-csl").inner_text()
    assert page.outside == [] and page.errors == []


RECONCILE_ROUND_TRIP = """async () => {
  const form = (name, value) => ({ method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" },
                                   body: name + "=" + encodeURIComponent(JSON.stringify(value)) });
  const manifest = await (await fetch("/reconcile")).json();
  const found = await (await fetch("/reconcile", form("queries", { q0: { query: "Mujahedin-e Khalq", type: "Organization" } }))).json();
  const id = found.q0.result[0].id;
  const extended = await (await fetch("/reconcile", form("extend", { ids: [id], properties: [{ id: "designation_status" }, { id: "designation_quote" }] }))).json();
  return { preview: manifest.preview.url.replace("{{id}}", id), id, match: found.q0.result[0].match, row: extended.rows[id] };
}"""


def test_reconciliation_round_trip_from_a_browser(served, page):
    """What OpenRefine does from its page: manifest, a query, data extension, then the preview it shows."""
    page.goto(served.url + "/id/")
    result = page.evaluate(RECONCILE_ROUND_TRIP)
    assert result["id"] == "mek" and result["match"] is True
    assert {"str": "ended"} in result["row"]["designation_status"]
    assert all(q["str"] for q in result["row"]["designation_quote"])
    page.goto(result["preview"])
    assert "People's Mojahedin Organization of Iran" in page.locator("h1").inner_text()
    assert page.outside == [] and page.errors == []


def test_download_page_lists_the_graph_files_and_the_csv(served, page):
    page.goto(served.url + "/")
    page.locator("header nav a", has_text="Download").click()
    page.wait_for_url("**/download")
    listed = HTTP.get(served.url + "/download", params={"format": "json"}).json()["graphs"]
    assert page.locator("table.downloads tbody tr").count() == len(listed)
    assert page.locator("a[href='/download/facts.csv']").count() == 1
    assert page.outside == [] and page.errors == []


def test_a_mistyped_entity_address_leads_to_the_entity(served, page):
    """/id/harper is no entity: the 404 page offers Stephen Harper (did you mean), a link to the search and a box."""
    response = page.goto(served.url + "/id/harper")
    assert response.status == 404
    assert page.locator("main .search-link").get_attribute("href") == "/search?q=harper"
    page.locator("main ul.did-you-mean a[href='/id/stephen-harper']").click()
    page.wait_for_url(served.url + "/id/stephen-harper")
    assert page.locator("h1").inner_text().startswith("Stephen Harper")
    page.goto(served.url + "/nothing/here")
    box = page.locator("main form.search-page input[name=q]")
    box.fill("mojahedin")
    box.press("Enter")
    page.wait_for_url("**/search?q=mojahedin")
    assert "People's Mojahedin Organization of Iran" in page.locator("ol.results li.result a.label").first.inner_text()
    assert page.outside == [] and page.errors == []
