"""Dates at the precision the text gives: YYYY, YYYY-MM or YYYY-MM-DD, never a made-up day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD

# ASCII digits only (\d would also take Arabic-Indic or full-width digits, making ill-typed literals).
_PATTERN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, a month or a day, with the interval of days it may denote."""

    text: str
    first: date
    last: date
    datatype: str

    def literal(self) -> Literal:
        return Literal(self.text, datatype=getattr(XSD, self.datatype))


class DateError(ValueError):
    pass


def parse_date(text: str) -> PartialDate:
    """Parse and check a YYYY, YYYY-MM or YYYY-MM-DD string; raises DateError saying what is wrong."""
    m = _PATTERN.fullmatch(text.strip())
    if not m:
        raise DateError(f"'{text}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if y == 0:
        raise DateError(f"'{text}' has year 0000, which XML Schema dates do not have: years run from 0001")
    if mo is None:
        return PartialDate(m.group(0), date(y, 1, 1), date(y, 12, 31), "gYear")
    month = int(mo)
    if not 1 <= month <= 12:
        raise DateError(f"'{text}' has month {mo}: months run 01 to 12")
    last_day = calendar.monthrange(y, month)[1]
    if d is None:
        return PartialDate(m.group(0), date(y, month, 1), date(y, month, last_day), "gYearMonth")
    day = int(d)
    if not 1 <= day <= last_day:
        raise DateError(f"'{text}' has day {d}: {y}-{mo} has {last_day} days")
    return PartialDate(m.group(0), date(y, month, day), date(y, month, day), "date")


def definitely_before(end: PartialDate, start: PartialDate) -> bool:
    """True when every day ``end`` may denote lies before every day ``start`` may denote.

    Mixed precisions compare as intervals: an end of 2012 is not before a start of 2012-06-11.
    """
    return end.last < start.first
