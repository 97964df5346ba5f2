"""Turn one document mapping (mappings/<slug>.yaml) into the triples of its named graph.

Each record is checked against records.SECTIONS; each quote is located in the document text
and becomes a Web Annotation (oa:TextQuoteSelector + oa:TextPositionSelector) on the fact.
Every defect is reported with file and line; nothing is emitted for a defective record.

Modules, one job each: ``context`` (what a mapping is read against, what it yields), ``read``
(one mapping file, top to bottom), ``mapper`` (the source and the fact sections), ``values``
(a field's RDF objects), ``evidence`` (quotes as Web Annotations), ``expect`` (the expect: block).
"""

from .context import Context, MappedDocument
from .read import read_document

__all__ = ["Context", "MappedDocument", "read_document"]
