"""The W3C Reconciliation Service API (version 0.2) at /reconcile, for OpenRefine and similar clients.

- GET /reconcile: the service manifest (JSONP with ``callback=``, as older OpenRefine asks);
- GET or POST /reconcile with ``queries=``: batch reconciliation of names to registry entities,
  with a type and property conditions (``wikidata`` takes a QID, ``country`` a name or entity id);
- /reconcile/suggest/{entity,type,property}?prefix=: suggest services;
- /reconcile/preview?id=: a small HTML card;
- /reconcile/extend/propose?type= and ``extend=``: data extension. Besides labels and Wikidata,
  it returns an entity's designations (authority, status, list, dates) with their evidence
  columns: the quote, the source and who in the source claims it, one value per designation in
  every designation column so that rows line up.

Candidates come from the search index (search.py), so reconciliation folds and tolerates typos
exactly as search does.

Modules, one job each: ``entities`` (what is compared besides names), ``manifest``, ``query``
(candidates for a query), ``suggest``, ``extend`` (data extension), ``routes`` (the HTTP
endpoints, the preview card among them).
"""

from .routes import router

__all__ = ["router"]
