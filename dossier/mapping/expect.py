"""Check a mapping's expect: block: what the mapping states it must yield (counts, entities)."""

from __future__ import annotations

from ..fields import Reader
from ..problems import Problems
from ..records import EXPECT_KEYS
from ..yamlfile import YMap


def check_expectations(exp, file: str, problems: Problems, counts: dict[str, int], mentioned: set[str],
                       compare: bool = True) -> None:
    """Check the expect: block's form; with ``compare``, check the mapping yields what it states."""
    if not isinstance(exp, YMap):
        problems.add(file, exp.line, "expect", "'expect' must be a mapping")
        return
    r = Reader(exp, file, "expect", problems)
    r.check_keys(EXPECT_KEYS, set())
    for key in sorted(exp):
        if key.startswith("min_") and key in EXPECT_KEYS:
            want = r.whole(key)
            if want is None or not compare:
                continue
            got = counts[key[4:]]
            if got < want:
                r.err(key, f"expected at least {want} {key[4:]}, the mapping yields {got}")
    for name in r.texts("entities"):
        if compare and name not in mentioned:
            r.err("entities", f"expected entity '{name}' is not among this document's mentions")
