"""Wikidata link candidates and checks: `dossier link` proposes, a person confirms.

Confirmed links live in mappings/wikidata.sssom.tsv and nothing here ever writes to it.
For every registry entity without a confirmed QID, `propose` asks Wikidata's
``wbsearchentities`` API for items matching the entity's label (then its aliases), fetches each
candidate's English label, description and "instance of" (P31) with ``wbgetentities``, and
writes the candidates to a separate SSSOM review file. `check` compares each confirmed link's
recorded ``object_label`` with the item's current label.

Every response is kept as a JSON file in a cache folder, keyed by the request, so the same
commands work offline from the cache. When Wikidata cannot be reached the client says so once
("cannot reach Wikidata (...); using cache only") and carries on with what the cache holds.

Modules, one job each: ``client`` (the API and its response cache), ``items`` (reading an
item's label, aliases, description and P31; the type check), ``propose`` (candidates and the
review file), ``check`` (confirmed links against the items), ``command`` (`dossier link`).
"""

from .client import WikidataClient, cache_key, endpoint_from_env
from .command import DEFAULT_CACHE, DEFAULT_REVIEW, run
from .items import type_check

__all__ = ["DEFAULT_CACHE", "DEFAULT_REVIEW", "WikidataClient", "cache_key", "endpoint_from_env", "run", "type_check"]
