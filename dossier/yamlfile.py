"""Strict YAML reading: every scalar is text, duplicate keys are errors, every value knows its line.

PyYAML's default loaders follow YAML 1.1 implicit typing (``NO`` -> False, ``012`` -> 10,
``2012-06-11`` -> date) and let a repeated key silently win. We compose the node tree with the
BaseLoader resolver (no implicit types) and build our own containers, keeping line numbers.
Explicit tags (``!!int 012``), anchors and aliases (``*name``, which would repeat a value under
the line of its anchor) are refused: every value is written out, as text, where it applies.
Before anything is composed the text and the parser's events are checked against the bounds of
dossier.limits and the characters of dossier.characters, so no input can cost unbounded time.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .characters import describe, first_refused, refused, why
from .limits import Limits, current
from .problems import Problems, reading

_PLAIN_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}


class YStr(str):
    """A string scalar with the 1-based line it came from."""

    line: int = 0


class YMap(dict):
    """A mapping that remembers its own line and each key's line."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YList(list):
    """A sequence with the line it started on."""

    line: int = 0


def record_name(node: yaml.MappingNode, parent_key: str | None) -> str:
    """How error messages name a record, before any reader sees it (as the readers in mapping/ do).

    A record under ``statements:`` with ``id: x`` is "statement x"; a mention of ``mek`` is
    "mention of mek"; a registry entity is its id; a mapping under a key is that key.
    """
    scalars = {k.value: v.value for k, v in node.value
               if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)}
    kind = parent_key[:-1] if parent_key and parent_key.endswith("s") else (parent_key or "")
    if "id" in scalars:
        return f"{kind} {scalars['id']}".strip()
    if "entity" in scalars and kind:
        return f"{kind} of {scalars['entity']}"
    return kind


def _build(node: yaml.Node, file: str, problems: Problems, key: str | None = None, in_list: bool = False,
           record: str = ""):
    """Our containers for ``node``, under mapping key ``key`` (in a list under it if ``in_list``), in ``record``.

    The node tree has no aliases and a bounded depth (both checked on the parser's events first).
    """
    line = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.add(file, line, record, f"explicit YAML tag '{tag}' is not allowed: values are plain text, "
                                     "and the field's type decides how it is read")
    if isinstance(node, yaml.ScalarNode):
        s = YStr(node.value)
        s.line = line
        return s
    if isinstance(node, yaml.SequenceNode):
        out = YList(_build(n, file, problems, key, True, record) for n in node.value)
        out.line = line
        return out
    if isinstance(node, yaml.MappingNode):
        out = YMap()
        out.line = line
        out.key_lines = {}
        name = record_name(node, key) if in_list or key is None else (record or key)
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                problems.add(file, knode.start_mark.line + 1, name, "a mapping key must be plain text")
                continue
            k = knode.value
            kline = knode.start_mark.line + 1
            if k in out:
                problems.add(
                    file, kline, name,
                    f"duplicate key '{k}' (first given on line {out.key_lines[k]}); "
                    "YAML would silently keep the last one: remove one of them",
                )
                continue
            out[k] = _build(vnode, file, problems, k, record=name)
            out.key_lines[k] = kline
        return out
    raise TypeError(f"unexpected YAML node {node!r}")


#: libyaml's parser when PyYAML has it: the same events, several times faster. On a syntax error
#: the pure-Python parser reads the text again, for its message.
_LOADER = yaml.CBaseLoader if getattr(yaml, "__with_libyaml__", False) else yaml.BaseLoader

#: How many refused characters one file reports before it says how many more there are.
_SHOWN = 10
#: How many problems the event scan reports in one file before it stops reading it.
_MOST = 50


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of character ``index`` of ``text``."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def read_utf8(path: Path, display: str, problems: Problems, limit: int, hidden: bool = True) -> str | None:
    """The text of ``path``, or None after reporting why it cannot be read.

    Refused when larger than ``limit`` bytes (checked before reading it whole), when not UTF-8
    (with the line, column and byte offset of the first bad byte), or when it holds a character of
    dossier.characters (each, with its line and column; hidden ones only if ``hidden``).
    """
    try:
        with path.open("rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        problems.add(display, 0, "", f"cannot be read: {exc.strerror or exc}")
        return None
    if len(raw) > limit:
        problems.add(display, 0, "", f"is larger than {limit:,} bytes, the limit for such a file: "
                                     "split it, or raise the limit (docs/security.md)")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1
        problems.add(display, line, "", f"not valid UTF-8: {exc.reason} (byte 0x{raw[exc.start]:02x}) at column "
                                        f"{column}, byte offset {exc.start}: save the file as UTF-8")
        return None
    found = sorted(refused(text, hidden, start=1 if text.startswith("\ufeff") else 0))
    for index, ch in found[:_SHOWN]:
        line, column = line_and_column(text, index)
        problems.add(display, line, "", f"character {describe(ch)} at column {column} is not allowed: "
                                        f"it is {why(ch)}; remove it")
    if len(found) > _SHOWN:
        problems.add(display, line_and_column(text, found[_SHOWN][0])[0], "",
                     f"and {len(found) - _SHOWN} more refused character(s) from here on")
    return None if found else text


class _Refused(Exception):
    """Raised by the event scan at the first defect after which reading on would cost without bound."""


def _scan(text: str, display: str, problems: Problems, limits: Limits, loader=_LOADER) -> bool:
    """Check the parser's events before anything is composed: no anchors or aliases, one document,
    nesting and value length within ``limits``, no refused character written as an escape.

    An alias is refused here, as an event, so a file of a few hundred bytes cannot expand into
    gigabytes; nesting is bounded before any recursive step sees it. False if anything is refused.
    """
    ok = True
    depth = documents = 0
    for event in yaml.parse(text, Loader=loader):
        line = event.start_mark.line + 1
        if len(problems) >= _MOST and len(set(problems.items)) >= _MOST:  # the same one on a line counts once
            problems.add(display, line, "", f"reading stopped here after {_MOST} problems: fix those first")
            raise _Refused
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                problems.add(display, line, "", "a second YAML document ('---'): a file holds exactly one")
                raise _Refused
        elif isinstance(event, yaml.AliasEvent):
            problems.add(display, line, "", f"alias '*{event.anchor}' is not allowed: write the value out where it applies")
            ok = False
            continue
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            problems.add(display, line, "", f"anchor '&{event.anchor}' is not allowed: aliases are refused, "
                                            "so write each value out where it applies")
            ok = False
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limits.depth:
                problems.add(display, line, "", f"nested more than {limits.depth} levels deep: "
                                                "a mapping never needs that many (docs/security.md)")
                raise _Refused
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent):
            if len(event.value) > limits.scalar_chars:
                problems.add(display, line, "", f"a value of {len(event.value):,} characters, over the limit of "
                                                f"{limits.scalar_chars:,}: shorten it (docs/security.md)")
                ok = False
                continue
            bad = first_refused(event.value)
            if bad is not None:  # written as an escape (\0, \e, \u202e): the text itself was checked
                problems.add(display, line, "", f"a value holds character {describe(bad[1])} (written as an escape): "
                                                f"it is {why(bad[1])}; remove it")
                ok = False
    return ok


def _syntax_error(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The line and message of a YAML error, from either parser."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        return (mark.line + 1) if mark else 0, f"YAML syntax error: {exc.problem}"
    if isinstance(exc, yaml.reader.ReaderError):
        return line_and_column(text, min(exc.position, len(text)))[0], f"YAML cannot read it: {exc.reason}"
    return 0, f"YAML syntax error: {exc}"


def load_yaml(path: Path, display: str, problems: Problems, limits: Limits | None = None):
    """Read one YAML file strictly; any defect goes to ``problems`` (None when nothing can be read).

    The text is checked (size, UTF-8, characters), then the parser's events (aliases, depth,
    value length), and only then composed: syntax errors, duplicate keys and tags are reported
    from the composed nodes.
    """
    with reading(display):
        return _load(path, display, problems, limits or current())


def _load(path: Path, display: str, problems: Problems, limits: Limits):
    text = read_utf8(path, display, problems, limits.file_bytes)
    if text is None:
        return None
    found = Problems()
    try:
        try:
            ok = _scan(text, display, found, limits)
        except yaml.YAMLError:  # read again by the pure-Python parser, whose message is better
            found = Problems()
            ok = _scan(text, display, found, limits, yaml.BaseLoader)
        if ok:
            try:
                node = yaml.compose(text, Loader=_LOADER)
            except yaml.YAMLError:
                node = yaml.compose(text, Loader=yaml.BaseLoader)
    except _Refused:
        ok = False
    except yaml.YAMLError as exc:
        line, message = _syntax_error(exc, text)
        found.add(display, line, "", message)
        ok = False
    for p in found.items:
        problems.add(p.file, p.line, p.record, p.message)
    if not ok:
        return None
    if node is None:
        problems.add(display, 1, "", "the file is empty")
        return None
    return _build(node, display, problems)
