"""Strict YAML reading: every scalar is text, duplicate keys are errors, every value knows its line.

PyYAML's default loaders follow YAML 1.1 implicit typing (``NO`` -> False, ``012`` -> 10,
``2012-06-11`` -> date) and let a repeated key silently win. We compose the node tree with the
BaseLoader resolver (no implicit types) and build our own containers, keeping line numbers.
Explicit tags (``!!int 012``) and aliases (``*name``, which would repeat a value under the
line of its anchor) are refused: every value is written out, as text, where it applies.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .problems import Problems

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
    """How error messages name a record, before any reader sees it (as the readers in mapping.py do).

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
           record: str = "", seen: frozenset[int] = frozenset()):
    """Our containers for ``node``, under mapping key ``key`` (in a list under it if ``in_list``), in ``record``."""
    line = node.start_mark.line + 1
    if id(node) in seen:  # an alias inside its own anchor (already reported): do not recurse forever
        s = YStr("")
        s.line = line
        return s
    seen = seen | {id(node)}
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.add(file, line, record, f"explicit YAML tag '{tag}' is not allowed: values are plain text, "
                                     "and the field's type decides how it is read")
    if isinstance(node, yaml.ScalarNode):
        s = YStr(node.value)
        s.line = line
        return s
    if isinstance(node, yaml.SequenceNode):
        out = YList(_build(n, file, problems, key, True, record, seen) for n in node.value)
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
            out[k] = _build(vnode, file, problems, k, record=name, seen=seen)
            out.key_lines[k] = kline
        return out
    raise TypeError(f"unexpected YAML node {node!r}")


#: libyaml's parser when PyYAML has it: the same events, several times faster. On a syntax error
#: the pure-Python parser reads the text again, for its message.
_LOADER = yaml.CBaseLoader if getattr(yaml, "__with_libyaml__", False) else yaml.BaseLoader


def _aliases(text: str, display: str, problems: Problems) -> None:
    """Report every alias (``*name``)."""
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            problems.add(display, event.start_mark.line + 1, "",
                         f"alias '*{event.anchor}' is not allowed: write the value out where it applies")


def load_yaml(path: Path, display: str, problems: Problems):
    """Read one YAML file strictly; syntax errors, duplicate keys, tags and aliases go to ``problems``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(display, 0, "", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return None
    try:
        try:
            node = yaml.compose(text, Loader=_LOADER)
        except yaml.MarkedYAMLError:
            node = yaml.compose(text, Loader=yaml.BaseLoader)
        if node is not None:
            _aliases(text, display, problems)  # reported; reading goes on to find the other defects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add(display, (mark.line + 1) if mark else 0, "", f"YAML syntax error: {exc.problem}")
        return None
    if node is None:
        problems.add(display, 1, "", "the file is empty")
        return None
    return _build(node, display, problems)
