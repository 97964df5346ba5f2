"""Shared checks for record fields: unknown/missing keys, slugs, entity references with suggestions."""

from __future__ import annotations

import difflib

from .namespace import SLUG
from .problems import Problems
from .yamlfile import YList, YMap, YStr


class Reader:
    """Reads one YAML record, reporting each defect with the file, line and record name."""

    def __init__(self, rec: YMap, file: str, name: str, problems: Problems):
        self.rec, self.file, self.name, self.problems = rec, file, name, problems

    def err(self, key: str | None, message: str) -> None:
        line = self.rec.line_of(key) if key else self.rec.line
        self.problems.add(self.file, line, self.name, message)

    def check_keys(self, allowed: set[str], required: set[str]) -> None:
        for key in self.rec:
            if key not in allowed:
                hint = difflib.get_close_matches(key, sorted(allowed), n=1)
                extra = f" (did you mean '{hint[0]}'?)" if hint else f"; allowed: {', '.join(sorted(allowed))}"
                self.err(key, f"unknown key '{key}'{extra}")
        for key in sorted(required - set(self.rec)):
            self.err(None, f"missing required key '{key}'")

    def text(self, key: str) -> str | None:
        v = self.rec.get(key)
        if v is None:
            return None
        if not isinstance(v, str):
            self.err(key, f"'{key}' must be a single text value")
            return None
        if not v.strip():
            self.err(key, f"'{key}' is empty")
            return None
        return str(v)

    def texts(self, key: str) -> list[str]:
        """A text or list of texts."""
        v = self.rec.get(key)
        if v is None:
            return []
        if isinstance(v, str):
            v = [v]
        if not isinstance(v, YList | list) or not all(isinstance(x, str) for x in v):
            self.err(key, f"'{key}' must be a text or a list of texts")
            return []
        return [str(x) for x in v]

    def slug(self, key: str) -> str | None:
        v = self.text(key)
        if v is not None and not SLUG.match(v):
            self.err(key, f"'{v}' is not a slug: use lowercase letters, digits and single hyphens, starting with a letter")
            return None
        return v

    def line(self, key: str) -> int:
        v = self.rec.get(key)
        return v.line if isinstance(v, YStr | YList | YMap) else self.rec.line_of(key)


def suggest(name: str, known) -> str:
    hint = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    return f" (did you mean '{hint[0]}'?)" if hint else ""
