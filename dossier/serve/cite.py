"""Cite this fact: a citation of one fact in plain text, CSL-JSON and BibTeX, and a page showing all three.

A fact's IRI (https://w3id.org/dossier/fact/<source>/<fact>) is its permalink. Its citation
names the quote(s) it rests on, who within the source claims each, the speaker (statements), the
source with its author, publisher, date and URL, and the dataset version (dataset.version), so
a reader can find the exact words again. Asked for by ``Accept`` (text/plain,
application/vnd.citationstyles.csl+json, application/x-bibtex) or ``?format=`` (text, csl,
bibtex; ``cite`` for the HTML page).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from rdflib import URIRef

from . import dataset, formats, pages
from .backend import QueryFailed, select
from .bound import bound
from .search import href_of
from .site import Site

#: Media types of a citation, and the format each is.
CITATION_TYPES = {
    "text/plain": "text",
    "application/vnd.citationstyles.csl+json": "csl",
    "application/x-bibtex": "bibtex",
    "text/x-bibtex": "bibtex",
}
MEDIA = {"text": "text/plain", "csl": "application/vnd.citationstyles.csl+json", "bibtex": "application/x-bibtex"}
FORMAT_PARAM = {"text": "text", "citation": "text", "csl": "csl", "csl-json": "csl", "bibtex": "bibtex", "cite": "page"}
BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$",
                  "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def asked(request: Request, resource_types) -> str | None:
    """'text', 'csl', 'bibtex' or 'page' when the request asks for a citation; None for the resource itself."""
    chosen = request.query_params.get("format")
    if chosen:
        return FORMAT_PARAM.get(chosen)
    media = formats.negotiate(request.headers.get("accept"), [*resource_types, *CITATION_TYPES])
    return CITATION_TYPES.get(media)


@dataclass
class Quote:
    exact: str
    start: int
    claimants: list[str] = field(default_factory=list)


@dataclass
class Citation:
    """Everything a citation of one fact names."""

    iri: str
    kind: str
    label: str
    source: str
    title: str
    version: str
    content: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    speakers: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "dossier-" + self.iri.rsplit("/fact/", 1)[-1].replace("/", "-")

    @property
    def claimants(self) -> list[str]:
        return sorted({c for q in self.quotes for c in q.claimants})

    @property
    def year(self) -> str | None:
        return self.published[:4] if self.published else None

    def source_reference(self) -> str:
        """'Author, "Title", Publisher, date, URL' with whatever parts are known."""
        parts = [", ".join(self.authors)] if self.authors else []
        parts.append(f"“{self.title}”")
        parts += [p for p in (self.publisher, self.published, self.url or self.source) if p]
        return ", ".join(parts)


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


async def citation(site: Site, iri: str) -> Citation | None:
    """The citation of the fact ``iri``, or None when the graph holds no such fact."""
    rows = await select(site.backend, bound("fact-citation", fact=URIRef(iri)), site.timeout)
    if not rows:
        return None

    def get(row: dict, name: str) -> str | None:
        return row[name]["value"] if name in row else None

    first = rows[0]
    c = Citation(
        iri=iri,
        kind=get(first, "class").rsplit("#", 1)[-1],
        label=get(first, "label"),
        source=get(first, "source"),
        title=get(first, "title"),
        version=dataset.version(site.settings.graph_dir),
        content=get(first, "content"),
        publisher=get(first, "publisher"),
        published=get(first, "published"),
        url=get(first, "url"),
    )
    quotes: dict[tuple[str, int], Quote] = {}
    for row in rows:
        _add(c.speakers, get(row, "speaker"))
        _add(c.authors, get(row, "author"))
        if "exact" in row:
            quote = quotes.setdefault((row["exact"]["value"], int(row["start"]["value"])), Quote(row["exact"]["value"], int(row["start"]["value"])))
            _add(quote.claimants, get(row, "claimant"))
    c.quotes = sorted(quotes.values(), key=lambda q: q.start)
    c.speakers.sort()
    c.authors.sort()
    return c


def as_text(c: Citation) -> str:
    """The citation as a paragraph of plain text."""
    lines = [" / ".join(f"“{q.exact}”" for q in c.quotes)] if c.quotes else []
    about = [f"{c.label} ({c.kind})"]
    if c.speakers:
        about.append("speaker: " + ", ".join(c.speakers))
    if c.claimants:
        about.append("claimed by " + ", ".join(c.claimants))
    lines.append("— " + "; ".join(about) + ".")
    lines.append(f"Source: {c.source_reference()}.")
    lines.append(f"{dataset.TITLE}, version {c.version}, {c.iri}")
    return "\n".join(lines) + "\n"


def as_csl(c: Citation) -> list[dict]:
    """The citation as CSL-JSON: one item of type dataset; the source document in the original-* fields."""
    item: dict = {
        "id": c.key,
        "type": "dataset",
        "title": c.label,
        "author": [{"literal": dataset.PUBLISHER}],
        "container-title": dataset.TITLE,
        "publisher": dataset.PUBLISHER,
        "version": c.version,
        "URL": c.iri,
        "original-title": c.title,
        "note": as_text(c).strip(),
        "custom": {
            "quotes": [{"exact": q.exact, "claimed_by": q.claimants} for q in c.quotes],
            "speaker": c.speakers,
            "claimant": c.claimants,
            "source": c.source,
            "fact_type": c.kind,
        },
    }
    if c.content:
        item["abstract"] = c.content
    if c.authors:
        item["original-author"] = [{"literal": a} for a in c.authors]
    if c.publisher:
        item["original-publisher"] = c.publisher
    if c.published:
        item["original-date"] = {"date-parts": [[int(p) for p in c.published.split("-")]]}
    if c.url:
        item["archive_location"] = c.url
    return [item]


def bibtex_escape(text: str) -> str:
    return "".join(BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def as_bibtex(c: Citation) -> str:
    """The citation as one BibTeX @misc entry."""
    quotes = "; ".join(f"``{q.exact}''" + (f" (claimed by {', '.join(q.claimants)})" if q.claimants else "") for q in c.quotes)
    note = [f"Quote: {quotes}"] if quotes else []
    if c.speakers:
        note.append("speaker: " + ", ".join(c.speakers))
    note.append("source: " + c.source_reference())
    fields = [
        ("title", bibtex_escape(c.label)),
        ("author", "{" + bibtex_escape(dataset.PUBLISHER) + "}"),
        ("howpublished", bibtex_escape(f"{dataset.TITLE} dataset, version {c.version}")),
        ("version", bibtex_escape(c.version)),
        ("url", c.iri),
        ("note", bibtex_escape(". ".join(note))),
    ]
    if c.year:
        fields.append(("year", c.year))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}\n"


async def answer(site: Site, request: Request, iri: str, kind: str) -> Response:
    """The citation of the fact ``iri`` in ``kind`` ('text', 'csl', 'bibtex' or 'page')."""
    try:
        c = await citation(site, iri)
    except QueryFailed as failed:
        return site.failed_page(request, failed)
    if c is None:
        return site.error_page(request, 404, "not-found", f"the graph holds no fact {iri}")
    text, csl, bib = as_text(c), json.dumps(as_csl(c), ensure_ascii=False, indent=1) + "\n", as_bibtex(c)
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="cite-as"'}
    if kind == "page":
        html = pages.render("cite.html", c=c, text=text, csl=csl, bibtex=bib, page=href_of(iri), source_page=href_of(c.source))
        return HTMLResponse(html, headers=headers)
    body = {"text": text, "csl": csl, "bibtex": bib}[kind]
    media = MEDIA[kind]
    return Response(body, media_type=media + "; charset=utf-8" if kind == "bibtex" else formats.with_charset(media), headers=headers)
