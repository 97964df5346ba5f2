"""Dated event phrases and listing sentences, proposed as event and designation records.

An event phrase is a sentence that gives a date (written out or relative) and an action verb
other than a speech verb: "Albanian police on Tuesday searched the camp". A listing sentence
names a listing or sanctions; its designation is filled where the sentence says it: the
designee (the agent after the listing verb), the authority (the agent before it, a country
standing for its government), the type, the status (ended for "removed", proposed for "is
reviewing whether to", in force for "listed"), the dates ("since" a start, "removed in" an end),
the list's name and the law it is made under.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..registry import Registry
from .dates import FoundDate
from .names import AGENT_TYPES, Mention
from .speech import SPEECH

DESIGNATION = re.compile(r"\b(terror\w*|sanction\w*|designat\w*|proscri\w*)\b", re.I)
LISTING = re.compile(r"\b(list|listed|listing|lists|designat\w*|sanction\w*|proscri\w*|added)\b", re.I)
LISTING_VERB = re.compile(r"\b(listed|lists|list|listing|designated|designates|designate|designating|added|adds|"
                          r"sanctioned|sanctions|imposed sanctions on|proscribed|removed|delisted|lifted)\b", re.I)
ENDED = re.compile(r"\b(removed|delisted|lifted|revoked|rescinded|ended|no longer)\b", re.I)
PROPOSED = re.compile(r"\b(reviewing|considering|whether to|calls? (?:on|for)|called (?:on|for)|urged?|should|"
                      r"would|proposed|motion|bill|plans? to|demand\w*)\b", re.I)
IN_FORCE = re.compile(r"\b(listed|designated|added|has been|have been|sanctioned|imposed|proscribed)\b", re.I)
LIST_NAME = re.compile(r"\b(?:the\s+)?list of ([A-Z][\w’' -]+?)(?=\s+(?:in|on|since|under|by)\b|[,.;]|$)"
                       r"|\bas an? ([a-zA-Z][\w -]*?(?:entity|organi[sz]ation|group))\b")
ACTION = re.compile(r"\b(\w{3,}ed|held|met|spoke|began|begins|opened|opens|ends|ended|shot|took|fell|left|won|"
                    r"lost|fled|went|came|died|killed|ran|broke|struck|sent|made|cut|set|led|meet|meets)\b", re.I)
NOT_ACTION = {"based", "called", "concerned", "interested", "related", "united", "limited", "red", "need",
              "proceed", "exceed", "feed", "speed", "seed", "indeed", "hundred", "sacred", "shed", "bed", "used"}


@dataclass
class EventPhrase:
    start: int
    end: int
    date: FoundDate
    events: list[str]        # registry Events named in the sentence
    places: list[str]


@dataclass
class Listing:
    start: int
    end: int
    named: list[str]
    fields: dict[str, str | list[str]] = field(default_factory=dict)


def _date_for(dates: list[FoundDate], a: int, b: int, skip: set[int]) -> FoundDate | None:
    inside = [d for d in dates if a <= d.start < b and d.start not in skip and not d.value.startswith("--")]
    return inside[0] if inside else None


def find_events(text: str, sents: list[tuple[int, int]], mentions: list[Mention], dates: list[FoundDate],
                reg: Registry, skip_dates: set[int]) -> list[EventPhrase]:
    """Sentences with a date and an action verb that is not a speech verb (see the module doc)."""
    out = []
    for a, b in sents:
        d = _date_for(dates, a, b, skip_dates)
        if d is None:
            continue
        speech = {v.start() for v in SPEECH.finditer(text, a, b)}
        actions = [m for m in ACTION.finditer(text, a, b)
                   if m.start() not in speech and m.group(0).lower() not in NOT_ACTION and m.group(0)[0].islower()]
        if not actions:
            continue
        named = [m.entity for m in mentions if a <= m.start and m.end <= b]
        events = list(dict.fromkeys(e for e in named if reg.entities[e].type == "Event"))
        places = list(dict.fromkeys(e for e in named if reg.entities[e].type == "Place"))
        out.append(EventPhrase(a, b, d, events, places))
    return out


def find_listings(text: str, sents: list[tuple[int, int]], mentions: list[Mention], dates: list[FoundDate],
                  reg: Registry, skip_dates: set[int]) -> list[Listing]:
    """Sentences that may state a designation, with the fields the sentence gives."""
    out = []
    for a, b in sents:
        sentence = text[a:b]
        if not (DESIGNATION.search(sentence) and LISTING.search(sentence)):
            continue
        inside = [m for m in mentions if a <= m.start and m.end <= b]
        named = list(dict.fromkeys(m.entity for m in inside))
        listing = Listing(a, b, named)
        f = listing.fields
        verb = LISTING_VERB.search(text, a, b)
        agents = [m for m in inside if reg.entities[m.entity].type in AGENT_TYPES + ("Place",)]
        if verb:
            after = [m for m in agents if m.start >= verb.end() and reg.entities[m.entity].type in AGENT_TYPES]
            before = [m for m in agents if m.end <= verb.start()]
            if after:
                f["designee"] = after[0].entity
            elif before and re.search(r"\b(was|were|has been|have been|is|are)\s+(\w+\s+)?$",
                                      text[before[-1].end:verb.start()]):
                f["designee"] = before[-1].entity  # passive: "X was removed from the list"
                before = []  # and only a "by" phrase names who acted ("The IRGC's Quds Force was listed")
            by = re.search(r"\bby\s+(?:the\s+)?", text[verb.end():b])
            by_agents = [m for m in agents if by and m.start >= verb.end() + by.end() and m.entity != f.get("designee")]
            authority = by_agents[0] if by_agents else (before[-1] if before else None)
            if authority:
                f["authority"] = authority.entity
        f["type"] = "sanctions" if re.search(r"sanction", sentence, re.I) and not re.search(r"terror", sentence, re.I) \
            else "terrorist-listing"
        f["status"] = ("ended" if ENDED.search(sentence) else "proposed" if PROPOSED.search(sentence)
                       else "in-force" if IN_FORCE.search(sentence) else "unknown")
        d = _date_for(dates, a, b, skip_dates)
        if d:
            pre = text[max(a, d.start - 8):d.start].lower()
            key = "start" if "since" in pre else "end" if f["status"] == "ended" else "listed"
            f[key] = d.value
            if d.note:
                f["date_note"] = d.note
        name = LIST_NAME.search(sentence)
        if name:
            f["list_name"] = (name.group(1) or name.group(2)).strip()
        laws = [m.entity for m in inside if reg.entities[m.entity].type == "Legislation"]
        if laws:
            f["legal_basis"] = laws
        out.append(listing)
    return out
