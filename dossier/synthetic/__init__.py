"""A synthetic corpus shaped like the real one, deterministic from (N, seed).

    python -m dossier.synthetic OUT --n 1000 [--seed 0]

OUT becomes a project folder the real pipeline builds unchanged (`dossier --root OUT build`):
the repository's ontology, shapes, queries and entity registry, plus a synthetic registry that
grows with N, and N documents, each a text and a mapping file like the hand-written ones:
~20 facts (mentions, event values, participations, designations, statements), each with a
verbatim quote located by offset; typographic quotes, dashes and line breaks in the text that
the quotes write plainly; aliases; `occurrence`, `claimed_by`, `quotes:` lists, `reports` and
`in_response_to`; and event dates, places and death tolls on which documents disagree.

Document i depends only on (seed, i) and the registry, so a corpus of N documents is the same
whatever machine or hash seed produced it.

Modules, one job each: ``registry`` (the entities documents name), ``document`` (one document's
text and mapping), ``project`` (a whole project folder); ``python -m dossier.synthetic`` runs
``__main__``.
"""

from .project import add_copy, generate

__all__ = ["add_copy", "generate"]
