"""Who says what: quoted and reported speech with its speaker.

A statement is drafted for each passage in quotation marks (four words or more, or shorter when
a speech verb stands beside it: `called the sanctions "unjustified interference"`), and for
each sentence that reports speech without quoting it ("X said that", "according to X",
"X told reporters"). Quotations may run across a line break. The speaker is the subject of the
speech verb: a registry entity, a named person the registry lacks, a pronoun taken back to the
last speaker, or, failing those, the phrase itself as a described agent ("a spokesperson for
the families", "the interior ministry"), never the author. "According to X" makes X the speaker
(the document reports X's claim); when another speech verb stands in the same sentence ("according
to X, Y condemned") or in what the speaker is said to have said ("X said that Y alleged"), the
statement is marked second-hand: the mapping then writes two statements joined by `reports:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..registry import Registry
from .dates import FoundDate
from .names import AGENT_TYPES, Mention
from .newnames import TITLES

SPEECH = re.compile(
    r"\b(said|says|say|told|tells|wrote|writes|stated|states|added|adds|declared|declares|announced|announces|"
    r"argued|argues|noted|notes|claimed|claims|warned|warns|insisted|insists|explained|asked|asks|urged|urges|"
    r"called on|calls on|call on|called for|calls for|called|according to|tweeted|posted|replied|responded|"
    r"testified|remarked|concluded|promised|promises|pledged|denied|denies|alleged|alleges|accused|accuses|"
    r"acknowledged|admitted|confirmed|reported|reports|documented|condemned|condemns|welcomed|welcomes|"
    r"criticized|criticised|described|demanded|demands|ask)\b", re.I)
DEMAND = re.compile(r"\b(call(?:s|ed)? on|call(?:s|ed)? for|ask(?:s|ed)?|urg(?:e|es|ed)|demand(?:s|ed)?)\b", re.I)
QUOTE_PAIRS = [("“", "”"), ('"', '"'), ("«", "»")]
AUXILIARIES = {"has", "have", "had", "also", "later", "previously", "repeatedly", "again", "is", "was", "were",
               "would", "will", "then", "once", "publicly", "has also", "who", "which", "and", "in", "a", "statement"}
PRONOUNS = {"he", "she", "they", "it"}
FIRST_PERSON = {"we", "i"}
SPOKES = re.compile(r"\b(spokes(?:person|man|woman)|representative|aide|chair|director|officials?)\b", re.I)
NAME_AT_END = re.compile(r"((?:[A-Z][\w’'\-]+\s+){1,2}[A-Z][\w’'\-]+)\s*$")


@dataclass
class Speech:
    """A statement to draft: its passage, evidence sentence(s), speaker and what it is about."""

    start: int
    end: int
    evidence: tuple[int, int]            # the sentence(s): widened to a unique quote when rendered
    quoted: bool
    speaker: str | None = None           # registry id
    speaker_name: str | None = None      # a named speaker the registry lacks
    speaker_described: str | None = None  # an unnamed or collective speaker, in the text's words
    reason: str = ""
    second_hand: bool = False
    kind: str = "quote"
    about: list[str] = field(default_factory=list)
    dates: list[FoundDate] = field(default_factory=list)


def find_quoted(text: str, min_words: int = 4) -> list[tuple[int, int]]:
    """(start, end) of each passage of ``min_words`` words or more inside quotation marks.

    A passage may run across one line break (a wrapped line), never across a blank line.
    """
    found = []
    for left, right in QUOTE_PAIRS:
        if left == right:
            body = rf"(?:[^{re.escape(right)}\n]|\n(?![ \t]*\n))"
        else:
            body = f"[^{re.escape(right)}{re.escape(left)}]"
        for m in re.finditer(f"{re.escape(left)}({body}{{1,3000}}?){re.escape(right)}", text):
            if len(m.group(1).split()) >= min_words:
                found.append((m.start(), m.end()))
    return sorted(found)


def _outside(spans: list[tuple[int, int]], pos: int) -> bool:
    return not any(a <= pos < b for a, b in spans)


def speech_verbs(text: str, a: int, b: int, quoted: list[tuple[int, int]]) -> list[re.Match]:
    """Speech verbs outside quotations; a capitalized one is part of a name ("United States"),
    except "According to" opening a sentence."""
    return [v for v in SPEECH.finditer(text, a, b) if _outside(quoted, v.start())
            and (v.group(0)[0].islower() or v.group(0).lower() == "according to")]


class Attributor:
    """Finds the speaker of a speech verb, remembering the last one for pronouns."""

    def __init__(self, text: str, mentions: list[Mention], reg: Registry):
        self.text, self.reg = text, reg
        self.agents = [m for m in mentions if reg.entities[m.entity].type in AGENT_TYPES
                       or reg.entities[m.entity].type == "Place"]
        self.last: Speech | None = None

    def attribute(self, s: Speech, a: int, b: int, verb: re.Match, quoted: list[tuple[int, int]]) -> None:
        text = self.text
        word = verb.group(0).lower()
        if word == "according to":
            stop = re.search(r"[,.;:]", text[verb.end():b])
            phrase_span = (verb.end(), verb.end() + stop.start() if stop else b)
            how = "named after 'according to'"
        else:
            before = text[a:verb.start()]
            cut = max(before.rfind(","), before.rfind(";"), before.rfind(":"), before.rfind("”"), before.rfind('"'),
                      before.rfind(" that "), -1)
            head = before[cut + 1:]
            if not head.strip() or head.strip().lower() in AUXILIARIES:  # `"...," said X`: subject after the verb
                stop = re.search(r"[,.;:!?]|\bthat\b|$", text[verb.end():b])
                phrase_span = (verb.end(), verb.end() + stop.start())
                how = f"after '{verb.group(0)}'"
            else:
                phrase_span = (a + cut + 1, verb.start())
                how = f"before '{verb.group(0)}'"
        self._resolve(s, phrase_span, how)
        self.last = s

    def _resolve(self, s: Speech, span: tuple[int, int], how: str) -> None:
        text = self.text
        lo, hi = span
        phrase = text[lo:hi].strip()
        words = phrase.split()
        while words and words[-1].lower().strip(",") in AUXILIARIES:
            words.pop()
        phrase = " ".join(words)
        if not phrase:
            s.reason = "no subject found for the speech verb"
            return
        first = words[0].lower()
        if SPOKES.search(phrase) and len(words) <= 10:
            s.speaker_described, s.reason = phrase, f"the speaker described {how}"
            return
        if first in PRONOUNS and len(words) <= 2 and self.last:
            s.speaker, s.speaker_name, s.speaker_described = (
                self.last.speaker, self.last.speaker_name, self.last.speaker_described)
            s.reason = f"'{words[0]}' {how}: the previous speaker"
            return
        if first in FIRST_PERSON:
            s.reason = f"'{words[0]}' {how}: the author"
            return
        inside = [m for m in self.agents if lo <= m.start and m.end <= hi]
        tail = NAME_AT_END.search(text[lo:hi].rstrip())
        if tail and not any(m.start >= lo + tail.start() for m in inside):
            name = tail.group(1).strip()
            while name.split(" ", 1)[0].lower().rstrip(".") in TITLES and " " in name:
                name = name.split(" ", 1)[1]
            if not any(name.startswith(w) for w in ("The ", "A ", "An ")):
                s.speaker_name, s.reason = name, f"a name the registry lacks, {how}"
                return
        if inside:
            m = inside[-1]
            e = self.reg.entities[m.entity]
            gov = self.reg.acting_for(e.id) if e.type == "Place" else None
            s.speaker = gov or m.entity
            s.reason = f"'{m.text}' {how}" + (f" (a country speaks through {gov})" if gov else "")
            return
        if len(words) <= 10:
            s.speaker_described, s.reason = phrase, f"the speaker described {how}"
        else:
            s.reason = "no speaker found"


def find_speech(text: str, sents: list[tuple[int, int]], mentions: list[Mention], reg: Registry,
                dates: list[FoundDate]) -> list[Speech]:
    """Every statement to draft, in text order (see the module doc)."""
    long_quotes = find_quoted(text)
    short_quotes = [q for q in find_quoted(text, min_words=1) if q not in long_quotes]
    all_quotes = sorted(long_quotes + short_quotes)
    who = Attributor(text, mentions, reg)
    out: list[Speech] = []
    done: set[tuple[int, int]] = set()
    for i, (a, b) in enumerate(sents):
        # a quotation may end in a later sentence (or line): take the sentences it spans
        inside = [q for q in all_quotes if a <= q[0] < b and q not in done]
        end = max([b] + [q[1] for q in inside])
        span_end = max((sb for sa, sb in sents if sa < end), default=b)
        verbs = speech_verbs(text, a, span_end, all_quotes)
        passages = [q for q in inside if q in long_quotes or verbs]
        for q in passages:
            done.add(q)
            s = Speech(q[0], q[1], (a, max(span_end, q[1])), True)
            near = next((v for v in verbs if v.group(0).lower() == "according to"), None) or min(
                verbs, key=lambda v: min(abs(v.start() - q[1]), abs(q[0] - v.end())), default=None)
            if near is not None:
                who.attribute(s, a, max(span_end, q[1]), near, all_quotes)
            else:
                prev = out[-1] if out and out[-1].evidence[1] >= sents[i - 1][0] else None
                if prev:
                    s.speaker, s.speaker_name, s.speaker_described = prev.speaker, prev.speaker_name, prev.speaker_described
                    s.reason = "no speech verb: the speaker of the statement just before"
                else:
                    s.reason = "no speech verb near the quotation"
            _finish(s, text, verbs, mentions, dates, all_quotes)
            out.append(s)
        if not passages and verbs and not any(q[0] < b and a < q[1] for q in all_quotes):
            s = Speech(a, b, (a, b), False, kind="claim")
            verb = next((v for v in verbs if v.group(0).lower() == "according to"), verbs[0])
            who.attribute(s, a, b, verb, all_quotes)
            if s.speaker or s.speaker_name or s.speaker_described or s.reason.endswith("the author"):
                _finish(s, text, verbs, mentions, dates, all_quotes)
                out.append(s)
    return out


def _finish(s: Speech, text: str, verbs: list[re.Match], mentions: list[Mention], dates: list[FoundDate],
            quotes: list[tuple[int, int]]) -> None:
    a, b = s.evidence
    reporting = len({v.group(0).lower() for v in verbs}) >= 2 and any(
        v.group(0).lower() in ("according to", "reported", "reports") for v in verbs)
    nested = any(re.search(r"\bthat\b", text[v1.end():v2.start()]) for v1, v2 in zip(verbs, verbs[1:]))
    s.second_hand = reporting or nested  # "according to X, Y condemned"; "X said that Y alleged"
    if s.second_hand:
        s.kind = "claim"
    elif DEMAND.search(text, a, b):
        s.kind = "demand"
    s.about = list(dict.fromkeys(m.entity for m in mentions if a <= m.start and m.end <= b and m.entity != s.speaker))
    s.dates = [d for d in dates if a <= d.start < b and _outside(quotes, d.start) and not d.value.startswith("--")]
