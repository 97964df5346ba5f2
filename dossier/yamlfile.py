"""Strict YAML reading: every scalar is text, duplicate keys are errors, every value knows its line.

PyYAML's default loaders follow YAML 1.1 implicit typing (``NO`` -> False, ``012`` -> 10,
``2012-06-11`` -> date) and let a repeated key silently win. We compose the node tree with the
BaseLoader resolver (no implicit types) and build our own containers, keeping line numbers.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .problems import Problems


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


def _build(node: yaml.Node, file: str, problems: Problems):
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode):
        s = YStr(node.value)
        s.line = line
        return s
    if isinstance(node, yaml.SequenceNode):
        out = YList(_build(n, file, problems) for n in node.value)
        out.line = line
        return out
    if isinstance(node, yaml.MappingNode):
        out = YMap()
        out.line = line
        out.key_lines = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                problems.add(file, knode.start_mark.line + 1, "", "a mapping key must be plain text")
                continue
            key = knode.value
            kline = knode.start_mark.line + 1
            if key in out:
                problems.add(
                    file, kline, "",
                    f"duplicate key '{key}' (first given on line {out.key_lines[key]}); "
                    "YAML would silently keep the last one: remove one of them",
                )
                continue
            out[key] = _build(vnode, file, problems)
            out.key_lines[key] = kline
        return out
    raise TypeError(f"unexpected YAML node {node!r}")


def load_yaml(path: Path, display: str, problems: Problems):
    """Read one YAML file strictly; syntax errors and duplicate keys go to ``problems``."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(display, 0, "", f"not valid UTF-8 ({exc.reason} at byte {exc.start})")
        return None
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problems.add(display, (mark.line + 1) if mark else 0, "", f"YAML syntax error: {exc.problem}")
        return None
    if node is None:
        problems.add(display, 1, "", "the file is empty")
        return None
    return _build(node, display, problems)
