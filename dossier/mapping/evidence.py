"""A record's quotes located in the document text and written as Web Annotations on the fact."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..fields import Reader
from ..namespace import DOS, OA
from ..records import Field

CONTEXT = 32  # characters of oa:prefix / oa:suffix kept around each quote

# The terms of an annotation, looked up once: rdflib's namespace attributes are slow, and one
# term object for all gives dictionaries the identity match that skips rdflib's __eq__.
_TYPE, _EVIDENCE, _ANNOTATION, _SPECIFIC = RDF.type, DOS.Evidence, OA.Annotation, OA.SpecificResource
_BODY, _MOTIVATED, _TARGET, _SOURCE, _SELECTOR = OA.hasBody, OA.motivatedBy, OA.hasTarget, OA.hasSource, OA.hasSelector
_CLAIMED, _NOTE, _PROPERTY, _VALUE = DOS.claimedBy, DOS.dateNote, DOS.supportsProperty, DOS.supportsValue
_QUOTE, _EXACT, _PREFIX, _SUFFIX = OA.TextQuoteSelector, OA.exact, OA.prefix, OA.suffix
_POSITION, _START, _END, _OFFSET = OA.TextPositionSelector, OA.start, OA.end, XSD.nonNegativeInteger


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
        g.add((ann, _TYPE, _EVIDENCE))
        g.add((ann, _TYPE, _ANNOTATION))
        g.add((ann, _BODY, body))
        g.add((ann, _MOTIVATED, motivation))
        g.add((ann, _TARGET, target))
        for c in claimants:
            g.add((ann, _CLAIMED, c))
        if note:
            g.add((ann, _NOTE, Literal(note)))
        if prop is not None:
            g.add((ann, _PROPERTY, prop))
            g.add((ann, _VALUE, value))
        g.add((target, _TYPE, _SPECIFIC))
        g.add((target, _SOURCE, self.src))
        g.add((target, _SELECTOR, qsel))
        g.add((target, _SELECTOR, psel))
        g.add((qsel, _TYPE, _QUOTE))
        g.add((qsel, _EXACT, Literal(text[start:end])))
        g.add((qsel, _PREFIX, Literal(text[max(0, start - CONTEXT):start])))
        g.add((qsel, _SUFFIX, Literal(text[end:end + CONTEXT])))
        g.add((psel, _TYPE, _POSITION))
        g.add((psel, _START, Literal(start, datatype=_OFFSET)))
        g.add((psel, _END, Literal(end, datatype=_OFFSET)))


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
