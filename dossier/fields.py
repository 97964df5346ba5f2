"""Shared checks for record fields: unknown/missing keys, slugs, entity references with suggestions."""

from __future__ import annotations

import difflib
import re
from urllib.parse import urlsplit

from .limits import current
from .namespace import SLUG
from .problems import Problems
from .yamlfile import YList, YMap, YStr

WHOLE = re.compile(r"^(0|[1-9][0-9]*)$")  # ASCII digits, no leading zero
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|\\^`]')  # characters RFC 3987 does not allow in an IRI


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
        """A text or list of texts; an empty list, an empty item or an item given twice is reported."""
        v = self.rec.get(key)
        if v is None:
            return []
        if isinstance(v, str):
            return [str(v)] if self.text(key) is not None else []
        if not isinstance(v, YList | list) or not all(isinstance(x, str) for x in v):
            self.err(key, f"'{key}' must be a text or a list of texts")
            return []
        if not v:
            self.err(key, f"'{key}' is an empty list: name at least one, or remove the key")
            return []
        out: list[str] = []
        for x in v:
            if not x.strip():
                self.err(key, f"'{key}' has an empty item")
            elif x in out:
                self.err(key, f"'{x}' is given twice in '{key}'")
            else:
                out.append(str(x))
        return out

    def whole(self, key: str) -> int | None:
        """A whole number written in ASCII digits without a leading zero (YAML 1.1 would read 012 as 10),
        of at most dossier.limits' ``digits`` digits: every count the mappings give is far below it."""
        v = self.text(key)
        if v is None:
            return None
        v = v.strip()
        digits = current().digits
        if len(v) > digits:
            shown = v if len(v) <= 40 else f"{v[:20]}…{v[-8:]}"
            self.err(key, f"'{shown}' is {len(v):,} characters long: a whole number here has at most {digits} digits "
                          "(docs/security.md)")
            return None
        if not WHOLE.fullmatch(v):
            if v.isascii() and v.isdigit():
                octal = (f"YAML 1.1 would read it as octal {int(v, 8)}" if set(v) <= set("01234567")
                         else "YAML 1.1 reads a leading zero as octal")
                self.err(key, f"'{v}' has a leading zero ({octal}): write {int(v)}")
            else:
                self.err(key, f"'{v}' is not a whole number: write digits 0-9 only, as in 176")
            return None
        return int(v)

    def iri(self, key: str) -> str | None:
        """An absolute http(s) IRI; a relative one would be resolved against whatever folder the build runs in."""
        v = self.text(key)
        if v is None:
            return None
        v = v.strip()
        bad = _IRI_FORBIDDEN.search(v)
        if bad:
            self.err(key, f"'{v}' is not an IRI: it contains {bad.group(0)!r}; percent-encode it")
            return None
        parts = urlsplit(v)
        if not parts.scheme:
            self.err(key, f"'{v}' is a relative IRI: RDF tools would resolve it against the folder the build "
                          "runs in; write an absolute http(s) IRI such as https://example.org/page")
            return None
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.err(key, f"'{v}' is not an absolute http(s) IRI: write it as https://host/path")
            return None
        return v

    def slug(self, key: str) -> str | None:
        v = self.text(key)
        if v is not None and not SLUG.fullmatch(v):
            self.err(key, f"'{v}' is not a slug: use lowercase letters, digits and single hyphens, starting with a letter")
            return None
        return v

    def line(self, key: str) -> int:
        v = self.rec.get(key)
        return v.line if isinstance(v, YStr | YList | YMap) else self.rec.line_of(key)


def suggest(name: str, known) -> str:
    hint = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.5)
    return f" (did you mean '{hint[0]}'?)" if hint else ""
