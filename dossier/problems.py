"""Errors found while reading inputs, collected so one run reports all of them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in an input file: where it is, which record, what is wrong (and how to fix it)."""

    file: str
    line: int
    record: str
    message: str

    def human(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        rec = f" {self.record}:" if self.record else ""
        return f"{where}:{rec} {self.message}"

    def as_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass
class Problems:
    """An accumulator of Problems; raise it (as InputError) once reading is done."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, record: str, message: str) -> None:
        self.items.append(Problem(file, line or 0, record or "", message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)


class InputError(Exception):
    """Raised when inputs have defects; carries every Problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.human() for p in problems))


@contextmanager
def reading(file: str) -> Iterator[None]:
    """Mark any unexpected exception raised inside with the input ``file`` being read (the innermost wins),
    so the command line can say which file an internal error came from."""
    try:
        yield
    except InputError:
        raise
    except Exception as exc:
        if getattr(exc, "dossier_file", None) is None:
            exc.dossier_file = file
        raise
