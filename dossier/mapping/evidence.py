"""A record's quotes located in the document text and written as Web Annotations on the fact."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..fields import Reader
from ..namespace import DOS, OA
from ..records import Field

CONTEXT = 32  # characters of oa:prefix / oa:suffix kept around each quote


class Evidence:
    """Evidence for the Mapper: reads ``doc``, ``slug``, ``src``, ``authors`` and ``g``, fills ``locations``."""

    def _evidence(self, r: Reader, node: URIRef, body: URIRef, motivation: URIRef,
                  prop: URIRef | None = None, value=None) -> bool:
        """Locate the record's quote(s) and attach one annotation per quote to ``body``."""
        quotes = r.texts("quotes") if "quotes" in r.rec else r.texts("quote")
        if "quote" in r.rec and "quotes" in r.rec:
            r.err("quotes", "give either 'quote' or 'quotes', not both")
            return False
        if not quotes:
            if "quote" not in r.rec and "quotes" not in r.rec:
                r.err(None, "missing 'quote': every fact needs the verbatim words of the document that support it")
            return False
        occurrence = None
        if "occurrence" in r.rec:
            occurrence = r.whole("occurrence")
            if occurrence is None:
                return False
            if occurrence < 1:
                r.err("occurrence", "occurrence counts from 1 (the first time the quote occurs)")
                return False
        claimants = self.authors
        if "claimed_by" in r.rec:
            claimants = self._values(r, "claimed_by", Field("entities", types=("Organization", "Person")))
            if not claimants:
                return False
        note = r.text("date_note") if "date_note" in r.rec else None
        ok = True
        key = "quotes" if "quotes" in r.rec else "quote"
        for i, quote in enumerate(quotes, start=1):
            spans = self.doc.find_all(quote)
            if not spans:
                r.err(key, f"quote not found in documents/{self.slug}.txt: '{_short(quote)}' ({self.doc.closest_hint(quote)})")
                ok = False
                continue
            if occurrence is not None:
                if occurrence > len(spans):
                    r.err("occurrence", f"the quote occurs {len(spans)} time(s), not {occurrence}")
                    ok = False
                    continue
                spans = [spans[occurrence - 1]]
            elif len(spans) > 1:
                where = ", ".join(str(s) for s, _ in spans)
                r.err(key, f"quote occurs {len(spans)} times (at characters {where}): lengthen it or add 'occurrence: N'")
                ok = False
                continue
            start, end = spans[0]
            split = self.doc.split_cluster(start, end)
            if split:
                r.err(key, f"quote '{_short(quote)}' cuts a character of documents/{self.slug}.txt in two: {split}")
                ok = False
                continue
            ann = node if node != body or prop else URIRef(f"{node}/evidence")
            if len(quotes) > 1:
                ann = URIRef(f"{ann}-{i}")
            self._annotation(ann, body, motivation, start, end, claimants, prop, value, note)
            self.locations[ann] = (self.file, r.line(key))
        return ok

    def _annotation(self, ann, body, motivation, start, end, claimants, prop, value, note=None) -> None:
        g, text = self.g, self.doc.text
        target, qsel, psel = URIRef(f"{ann}#target"), URIRef(f"{ann}#quote"), URIRef(f"{ann}#position")
        g.add((ann, RDF.type, DOS.Evidence))
        g.add((ann, RDF.type, OA.Annotation))
        g.add((ann, OA.hasBody, body))
        g.add((ann, OA.motivatedBy, motivation))
        g.add((ann, OA.hasTarget, target))
        for c in claimants:
            g.add((ann, DOS.claimedBy, c))
        if note:
            g.add((ann, DOS.dateNote, Literal(note)))
        if prop is not None:
            g.add((ann, DOS.supportsProperty, prop))
            g.add((ann, DOS.supportsValue, value))
        g.add((target, RDF.type, OA.SpecificResource))
        g.add((target, OA.hasSource, self.src))
        g.add((target, OA.hasSelector, qsel))
        g.add((target, OA.hasSelector, psel))
        g.add((qsel, RDF.type, OA.TextQuoteSelector))
        g.add((qsel, OA.exact, Literal(text[start:end])))
        g.add((qsel, OA.prefix, Literal(text[max(0, start - CONTEXT):start])))
        g.add((qsel, OA.suffix, Literal(text[end:end + CONTEXT])))
        g.add((psel, RDF.type, OA.TextPositionSelector))
        g.add((psel, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        g.add((psel, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
