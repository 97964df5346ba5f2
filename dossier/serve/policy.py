"""What a query may do here: read-only, no outbound calls, no fetching; checked before it runs.

The checks read the query's parse tree, never keywords in its text, so a word inside a string,
an IRI or a comment neither trips nor hides them. Two parsers are involved and they must agree:

- Oxigraph (which runs the query) gives most syntax errors, with line and column. pyoxigraph has
  no parse-only call and contacts a SERVICE while it prepares a query, so the text is handed to
  it with a sentinel appended ("\\n\\x00") that no query can end with: it always fails. An
  error placed before the sentinel is Oxigraph's diagnosis of the text; one placed at the
  sentinel means the text is valid or Oxigraph's position is vague, and rdflib's error (if
  rdflib fails too) gives the line and column instead.
- rdflib's SPARQL parser (pyparsing, a full grammar) gives the tree that is checked: the query
  form, every SERVICE clause, the FROM and FROM NAMED graphs. A query it cannot read is refused,
  never run unchecked.

Both parsers must read the very same text, or a query could show each a different one. So the
text is made canonical once, here (``canonical``), and that text is both what is checked and
what Oxigraph runs (``Analysis.text``); nothing else reaches the engine. Canonical means:

- \\u and \\U escapes undone once, as SPARQL 1.1 section 19.2 says (rdflib undoes them before
  parsing, Oxigraph not at all); a text whose undone form still holds one is refused;
- every line ending (CR LF, or a bare CR, written or escaped as \\u000D) turned into LF. Oxigraph
  ends a comment at CR or LF, rdflib's grammar at LF only: "#<CR> SERVICE <x> {...}" would be a
  comment to the checker and a SERVICE call to the engine. After this step both end it at LF.
  (The only text changed in meaning is a raw CR inside a long string, which becomes LF; write
  "\\r" to keep one.)

This was chosen over comparing a second parse of the raw text because it makes agreement a
property of the input rather than of two lexers: whatever the checks saw is what runs. Before
either parser sees it, the nesting of brackets in the canonical text is bounded (``MAX_NESTING``,
counted outside strings, IRIs and comments): both parsers recurse per level; rdflib's runs out
of Python stack at a few dozen levels and Oxigraph's crashes its process at a few thousand.

Refusals are raised as Refusal, carrying the HTTP status and a message for the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..namespace import BASE

UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_LEFT_ESCAPE = re.compile(r"\\[uU][0-9A-Fa-f]")
_OX_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_PROLOGUE = re.compile(
    r"""\A(?:\s+|\#[^\n]*\n?|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)*""", re.I
)
_UPDATE_START = re.compile(r"(?:%s)\b" % "|".join(UPDATE_KEYWORDS), re.I)
SENTINEL = "\n\x00"

#: The base IRI every query's relative IRIs resolve against (unless the query sets its own BASE).
#: The SPARQL 1.1 Protocol leaves it to the service ("which MAY be the service endpoint"); this
#: service takes the namespace of everything it serves rather than its own URL, so that a query
#: means the same whatever host name or port it is sent to (and through a remote store too), and
#: ``<id/irgc>`` names the entity https://w3id.org/dossier/id/irgc.
QUERY_BASE = BASE

#: Deepest nesting of { ( [ a query may use. rdflib's parser (pyparsing, recursive) meets Python's
#: recursion limit at about 21 levels of "!(" and 32 of "{"; Oxigraph's crashes near 3000.
MAX_NESTING = 16
_NESTING_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'  # long strings
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs (a "<" that starts none is an operator)
    r"|\#[^\n]*"  # comments, which end at LF in canonical text
    r"|[{}()\[\]]",
    re.S,
)


class Refusal(Exception):
    """A query this endpoint will not run: HTTP status, a short code, and a message for the client."""

    def __init__(self, status: int, code: str, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.line, self.column = status, code, message, line, column


@dataclass(frozen=True)
class Analysis:
    """What the checks learnt of a query; ``text`` is what Oxigraph runs."""

    text: str
    form: str  # SELECT, ASK, CONSTRUCT or DESCRIBE
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    has_dataset: bool = False  # a FROM or FROM NAMED clause is present
    services: tuple[str, ...] = field(default=())

    @property
    def kind(self) -> str:
        """'solutions' (SELECT), 'boolean' (ASK) or 'triples' (CONSTRUCT, DESCRIBE): which formats can answer it."""
        return {"SELECT": "solutions", "ASK": "boolean"}.get(self.form, "triples")


def expand_escapes(text: str) -> str:
    r"""Undo \uXXXX and \UXXXXXXXX once (SPARQL 1.1 section 19.2); refuse a text that still holds one."""
    def undo(m: re.Match) -> str:
        code = int(m.group(1) or m.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise Refusal(400, "malformed-query", f"{m.group(0)} is not a Unicode code point")
        return chr(code)

    out = _ESCAPE.sub(undo, text)
    if _LEFT_ESCAPE.search(out):
        raise Refusal(400, "malformed-query", "the query holds a \\u escape that spells another \\u escape; write the character itself")
    return out


def canonical(query: str) -> str:
    """The one text both parsers read and Oxigraph runs: escapes undone once, every line ending LF."""
    return expand_escapes(query).replace("\r\n", "\n").replace("\r", "\n")


def check_nesting(text: str, limit: int = MAX_NESTING) -> None:
    """Refuse (400) brackets nested deeper than ``limit``, counted outside strings, IRIs and comments."""
    depth = 0
    for m in _NESTING_TOKEN.finditer(text):
        token = m.group()
        if token in "{([":
            depth += 1
            if depth > limit:
                line = text.count("\n", 0, m.start()) + 1
                raise Refusal(
                    400,
                    "too-deeply-nested",
                    f"the query nests brackets more than {limit} deep (line {line}), the limit here; write it flatter",
                    line,
                    m.start() - text.rfind("\n", 0, m.start()),
                )
        elif token in "})]":
            depth = max(0, depth - 1)


def oxigraph_syntax_error(text: str) -> Refusal | None:
    """Oxigraph's syntax error for ``text`` with line and column, or None when Oxigraph accepts it."""
    import pyoxigraph

    last_line = text.count("\n") + 2
    try:
        pyoxigraph.Store().query(text + SENTINEL, base_iri=QUERY_BASE)
    except SyntaxError as exc:
        m = _OX_POSITION.match(str(exc))
        if not m:
            return Refusal(400, "malformed-query", f"malformed query: {exc}")
        line, column, detail = int(m.group(1)), int(m.group(2)), m.group(3).strip()
        if line >= last_line:
            return None
        return Refusal(400, "malformed-query", f"malformed query at line {line}, column {column}: {detail}", line, column)
    return Refusal(400, "malformed-query", "malformed query")  # pragma: no cover - the sentinel always fails


def looks_like_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL Update: it parses as one, or its first keyword after the prologue is one."""
    if _UPDATE_START.match(text, _PROLOGUE.match(text).end()):
        return True
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except Exception:
        return False
    return True


def _walk(node):
    """Every CompValue in an rdflib parse tree, depth first, without recursion."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _parse(text: str):
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        tree = parseQuery(text)
    except ParseBaseException as exc:
        return None, exc
    except RecursionError:  # check_nesting keeps queries well below this; a last guard, not the rule
        raise Refusal(400, "too-deeply-nested", "the query is nested too deeply to be read here; write it flatter") from None
    return (translatePrologue(tree[0], QUERY_BASE), tree[1]), None


def _iri(prologue, term) -> str:
    from rdflib.term import Variable

    if isinstance(term, Variable):
        return f"?{term}"
    return str(prologue.absolutize(term))


#: Characters up to which a query's analysis is kept (256 of them, least recently used first out, in
#: each worker): what a client can make a worker hold this way is bounded by 256 x 8 Ki characters.
CACHED_UP_TO = 8 * 1024


def analyse(query: str, allow_services: tuple[str, ...] = ()) -> Analysis:
    """Check ``query`` against the policy; raises Refusal. Short queries' answers are cached."""
    if len(query) <= CACHED_UP_TO:
        return _analyse_cached(query, allow_services)
    return _analyse(query, allow_services)


@lru_cache(maxsize=256)
def _analyse_cached(query: str, allow_services: tuple[str, ...]) -> Analysis:
    return _analyse(query, allow_services)


def _analyse(query: str, allow_services: tuple[str, ...]) -> Analysis:
    text = canonical(query)
    if not text.strip():
        raise Refusal(400, "malformed-query", "the query is empty")
    check_nesting(text)
    ox_error = oxigraph_syntax_error(text)
    parsed, rdflib_error = _parse(text)
    if parsed is None:
        if looks_like_update(text):
            raise Refusal(403, "update-refused", "SPARQL Update is not allowed: this endpoint is read-only")
        if ox_error is not None:
            raise ox_error
        # Oxigraph placed its error at the sentinel: either it accepts the text (which rdflib cannot
        # read, so it is not run either) or its error position is vague; rdflib's is then the better one.
        line, column = rdflib_error.lineno, rdflib_error.col
        near = text.splitlines()[line - 1][column - 1:column + 29].strip() if line <= len(text.splitlines()) else ""
        raise Refusal(
            400,
            "malformed-query",
            f"malformed query at line {line}, column {column}" + (f", near '{near}'" if near else "") + f": {rdflib_error.msg}",
            line,
            column,
        )
    if ox_error is not None:
        raise ox_error
    prologue, body = parsed
    form = body.name.replace("Query", "").upper()
    defaults, named = [], []
    for clause in body["datasetClause"] if "datasetClause" in body else ():  # CompValue.get returns the key when absent
        if "default" in clause:
            defaults.append(_iri(prologue, clause["default"]))
        else:
            named.append(_iri(prologue, clause["named"]))
    services = tuple(_iri(prologue, node["term"]) for node in _walk(body) if node.name == "ServiceGraphPattern")
    for service in services:
        if service.startswith("?"):
            raise Refusal(403, "service-refused", f"SERVICE {service} is not allowed: a SERVICE endpoint must be an IRI the operator has allowed")
        if service not in allow_services:
            allowed = ", ".join(f"<{s}>" for s in allow_services) or "none"
            raise Refusal(
                403,
                "service-refused",
                f"SERVICE <{service}> is not allowed: this endpoint calls no other endpoint unless its operator allows it "
                f"(allowed: {allowed})",
            )
    return Analysis(text, form, tuple(defaults), tuple(named), bool(defaults or named), services)
