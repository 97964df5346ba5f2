"""A first draft of a document's mapping, for a person to finish: `dossier draft`.

`dossier draft documents/<slug>.txt` writes mappings/<slug>.yaml in the mappings/README.md
format. Every drafted item carries a verbatim quote that occurs exactly once in the text (or an
``occurrence:``), with its character offsets in a comment. Nothing drafted is trusted: fields
only a reader can decide are left as TODO (or a commented REQUIRED line), guesses are marked
``# DRAFT``, and proposals that would change the registry (new aliases, new entities) are
review items, never applied. One module per job: names (registry names), nearmiss (aliases the
registry lacks), newnames (unresolved names), dates, speech, events, render, update, command.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ..quotes import DocumentText
from ..registry import Registry
from .command import Project, load_project, run
from .dates import FoundDate, find_dates, publication_date
from .events import EventPhrase, Listing, find_events, find_listings
from .names import Mention, NameIndex, find_mentions, fold
from .nearmiss import NearMiss, near_misses
from .newnames import NewName, find_new_names
from .render import render, summary
from .speech import Speech, find_quoted, find_speech
from .text import sentence_of, sentences, unique_quote

__all__ = ["Draft", "Project", "draft", "find_dates", "find_mentions", "fold", "load_project", "NameIndex",
           "render", "run", "summary"]


@dataclass
class Draft:
    slug: str
    text: str
    sha256: str
    received_as: str
    published: FoundDate | None                   # the publication date the text gives, if any
    mentions: list[Mention]                       # every occurrence found, near misses included
    first_mentions: list[tuple[Mention, tuple[int, int, int | None]]]  # one per entity, with its quote
    near: list[NearMiss]                          # "add alias X to Y?" proposals
    speech: list[Speech]
    dates: list[FoundDate]
    new_names: list[NewName]                      # unresolved, near misses taken out
    events: list[EventPhrase]
    listings: list[Listing]
    sentences: list[tuple[int, int]]
    short_quoted: list[tuple[int, int]] = field(default_factory=list)  # 1-3 words in quotation marks, not speech

    @property
    def quoted(self) -> list[Speech]:
        return [s for s in self.speech if s.quoted]


def draft(raw: bytes, slug: str, reg: Registry, received_as: str = "", published: str | None = None) -> Draft:
    """Everything `dossier draft` finds in a document's text (UTF-8 bytes, as committed).

    ``published`` (YYYY-MM-DD) resolves relative dates; without it, the date the text's first
    lines give is taken.
    """
    text = raw.decode("utf-8")
    doc = DocumentText(text)
    sents = sentences(text)
    mentions = find_mentions(text, NameIndex.of(reg), {e.id: e.type for e in reg.entities.values()})
    unresolved = find_new_names(text, mentions)
    near = near_misses(text, unresolved, mentions, reg)
    near_spans = {(n.start, n.end) for n in near}
    for n in near:
        mentions.append(Mention(n.entity, [n.entity], n.start, n.end, text[n.start:n.end]))
    mentions.sort(key=lambda m: (m.start, -m.end))
    unresolved = [nn for nn in unresolved if (nn.start, nn.end) not in near_spans]

    pub = publication_date(text, find_dates(text))
    dates = find_dates(text, published or (pub.value if pub else None))
    skip = {pub.start} if pub else set()

    first_mentions = []
    by_entity: dict[str, list[Mention]] = {}
    for m in mentions:
        by_entity.setdefault(m.entity, []).append(m)
    for occurrences in by_entity.values():  # the first occurrence that a short quote pins down
        chosen = None
        for m in occurrences:
            s = sents[sentence_of(sents, m.start)] if sents else (0, len(text))
            ev = unique_quote(doc, m.start, m.end, s)
            chosen = chosen or (m, ev)
            if ev[2] is None:
                chosen = (m, ev)
                break
        first_mentions.append(chosen)

    speech = find_speech(text, sents, mentions, reg, [d for d in dates if d.start not in skip])
    taken = {q for s in speech if s.quoted for q in [(s.start, s.end)]}
    short = [q for q in find_quoted(text, min_words=1) if q not in taken and q not in set(find_quoted(text))]
    return Draft(slug, text, hashlib.sha256(raw).hexdigest(), received_as, pub, mentions, first_mentions, near,
                 speech, dates, unresolved, find_events(text, sents, mentions, dates, reg, skip),
                 find_listings(text, sents, mentions, dates, reg, skip), sents, short)
