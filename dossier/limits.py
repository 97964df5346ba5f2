"""The reader's bounds on the size and shape of input files, each changeable by an environment variable.

Mappings arrive in pull requests, so nothing in them may make the build spend unbounded time or
memory: these bounds are checked before a file is parsed or composed (docs/security.md).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

from .problems import InputError, Problem


@dataclass(frozen=True)
class Limits:
    """Each bound with its default; the metadata names the environment variable that changes it."""

    file_bytes: int = 1 << 20  # one YAML file or the link table
    document_bytes: int = 4 << 20  # one document text, documents/<slug>.txt
    depth: int = 16  # nested mappings and lists in a YAML file
    scalar_chars: int = 10_000  # one YAML value (a quote, a description)
    digits: int = 15  # a whole number (a death toll, an occurrence)


ENVIRONMENT = {
    "file_bytes": "DOSSIER_MAX_FILE_BYTES",
    "document_bytes": "DOSSIER_MAX_DOCUMENT_BYTES",
    "depth": "DOSSIER_MAX_DEPTH",
    "scalar_chars": "DOSSIER_MAX_SCALAR_CHARS",
    "digits": "DOSSIER_MAX_DIGITS",
}

#: A bound above which Python itself refuses to convert a number (its int-string limit is 4,300 digits).
_MAX_DIGITS = 4000


def current() -> Limits:
    """The bounds in force: the defaults, changed by any DOSSIER_MAX_* variable set in the environment."""
    values, bad = {}, []
    for f in fields(Limits):
        name = ENVIRONMENT[f.name]
        raw = os.environ.get(name, "").strip()
        if not raw:
            continue
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 12 and int(raw) > 0):
            bad.append(Problem(name, 0, "", f"'{raw[:40]}' is not a positive whole number: set it to digits only, "
                                            f"or unset it for the default {f.default}"))
            continue
        values[f.name] = int(raw)
    if values.get("digits", 0) > _MAX_DIGITS:
        bad.append(Problem(ENVIRONMENT["digits"], 0, "", f"at most {_MAX_DIGITS}: Python cannot read longer numbers"))
    if bad:
        raise InputError(bad)
    return Limits(**values)
