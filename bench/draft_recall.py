"""Recall and precision of `dossier draft`: how much of a person's reading it finds, per kind.

    .venv/bin/python bench/draft_recall.py [--root .] [--missed]

Two sets are measured and reported apart:

- the corpus: each document with a curated mapping (mappings/<slug>.yaml). Its aliases were
  collected from these same texts, so its entity figures flatter the drafter;
- the holdout (tests/data/holdout/): short documents written for the purpose and mapped by
  hand before the drafter ever ran on them (see its README).

Per kind, a hit is:

- entities: a registry id the hand mapping mentions that the draft mentions too (precision: of
  the ids the draft mentions, those the hand mapping has);
- dates: a date phrase of the hand mapping that the draft finds (overlapping) with the same
  value, relative dates resolved against the publication date the draft reads from the text;
  for the corpus, whose mappings list dates only on records, a record date the draft found;
- statements: a hand-mapped statement whose quote the draft's statement overlaps, with the same
  speaker (registry id, named person, or a described speaker with words in common);
- events: a hand-mapped event whose quote a drafted event phrase overlaps, with the same date;
- designations (holdout): a listing sentence found, and of its hand-filled fields (authority,
  designee, type, status, dates) the share the draft fills alike.

Precision is over what the draft proposes of that kind. No answers of the holdout are read by
the drafter; this script alone reads them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dossier.draft import draft, fold, load_project  # noqa: E402
from dossier.problems import Problems  # noqa: E402
from dossier.quotes import DocumentText  # noqa: E402
from dossier.yamlfile import YList, YMap, load_yaml  # noqa: E402

KINDS = ("entities", "dates", "statements", "events")
FIELDS = ("authority", "designee", "type", "status", "listed", "start", "end")


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def span(doc: DocumentText, quote: str, occurrence: int | None = None) -> tuple[int, int] | None:
    found = doc.find_all(str(quote))
    if occurrence and len(found) >= occurrence:
        return found[occurrence - 1]
    return found[0] if found else None


def _words(s: str) -> set[str]:
    return {w for w in fold(s)[0].split() if len(w) > 3}


def same_speaker(expected: dict, s) -> bool:
    if expected.get("speaker"):
        return s.speaker == expected["speaker"]
    if expected.get("speaker_name"):
        return bool(s.speaker_name) and fold(s.speaker_name)[0].endswith(fold(expected["speaker_name"])[0].split()[-1])
    if expected.get("speaker_described"):
        return bool(s.speaker_described) and bool(_words(s.speaker_described) & _words(expected["speaker_described"]))
    return False


def score(hits: int, total: int, right: int, proposed: int) -> dict:
    return {"hit": hits, "total": total, "right": right, "proposed": proposed}


def measure_holdout(path: Path, project) -> dict:
    """One holdout document against its frozen hand mapping."""
    exp = yaml.safe_load(path.read_text(encoding="utf-8"))
    text_path = path.with_name(path.name.replace(".expected.yaml", ".txt"))
    d = draft(text_path.read_bytes(), text_path.stem, project.registry)
    doc = DocumentText(d.text)
    row: dict = {"doc": text_path.stem, "missed": []}

    ents, drafted = set(exp.get("entities") or []), {m.entity for m in d.mentions}
    row["entities"] = score(len(ents & drafted), len(ents), len(ents & drafted), len(drafted))
    row["missed"] += [f"entity {e}" for e in sorted(ents - drafted)]

    exp_dates = [(span(doc, x["phrase"]), str(x["value"])) for x in exp.get("dates") or []]
    date_ok = lambda e, f: e[0] and overlaps(e[0], (f.start, f.end)) and f.value == e[1]  # noqa: E731
    row["dates"] = score(sum(any(date_ok(e, f) for f in d.dates) for e in exp_dates), len(exp_dates),
                         sum(any(date_ok(e, f) for e in exp_dates) for f in d.dates), len(d.dates))
    row["missed"] += [f"date {e[1]}" for e in exp_dates if not any(date_ok(e, f) for f in d.dates)]

    exp_st = [(span(doc, x["quote"]), x) for x in exp.get("statements") or []]
    st_ok = lambda e, s: e[0] and (overlaps(e[0], (s.start, s.end)) or overlaps(e[0], s.evidence)) \
        and same_speaker(e[1], s)  # noqa: E731
    row["statements"] = score(sum(any(st_ok(e, s) for s in d.speech) for e in exp_st), len(exp_st),
                              sum(any(st_ok(e, s) for e in exp_st) for s in d.speech), len(d.speech))
    row["missed"] += [f"statement {e[1]['quote'][:40]!r}" for e in exp_st if not any(st_ok(e, s) for s in d.speech)]

    exp_ev = [(span(doc, x["quote"]), str(x.get("date", ""))) for x in exp.get("events") or []]
    ev_ok = lambda e, p: e[0] and overlaps(e[0], (p.start, p.end)) and (not e[1] or p.date.value == e[1])  # noqa: E731
    row["events"] = score(sum(any(ev_ok(e, p) for p in d.events) for e in exp_ev), len(exp_ev),
                          sum(any(ev_ok(e, p) for e in exp_ev) for p in d.events), len(d.events))

    found = filled = asked = 0
    for x in exp.get("designations") or []:
        where = span(doc, x["quote"])
        listing = next((li for li in d.listings if where and overlaps(where, (li.start, li.end))), None)
        keys = [k for k in FIELDS if k in x]
        asked += len(keys)
        if listing:
            found += 1
            filled += sum(str(listing.fields.get(k, "")) == str(x[k]) for k in keys)
    row["designations"] = (found, len(exp.get("designations") or []), filled, asked)
    return row


def measure_corpus(root: Path, slug: str, project) -> dict:
    """One corpus document against its curated mapping (dates by value: the mapping lists no phrases)."""
    mapping = load_yaml(root / "mappings" / f"{slug}.yaml", slug, Problems())
    raw = (root / "documents" / f"{slug}.txt").read_bytes()
    doc = DocumentText(raw.decode("utf-8"))
    src = mapping.get("source") or YMap()
    published = str(src.get("published", ""))
    d = draft(raw, slug, project.registry, published=published if len(published) == 10 else None)

    def records(key: str) -> list[YMap]:
        return [r for r in (mapping.get(key) or YList()) if isinstance(r, YMap)]

    def where(rec: YMap) -> tuple[int, int] | None:
        quotes = rec.get("quotes") if "quotes" in rec else [rec.get("quote")]
        occ = int(rec["occurrence"]) if str(rec.get("occurrence", "")).isdigit() else None
        return next((s for s in (span(doc, q, occ) for q in quotes or [] if q) if s), None)

    row: dict = {"doc": slug, "missed": []}
    ents = {str(m["entity"]) for m in records("mentions") if "entity" in m}
    drafted = {m.entity for m in d.mentions}
    row["entities"] = score(len(ents & drafted), len(ents), len(ents & drafted), len(drafted))
    row["missed"] += [f"entity {e}" for e in sorted(ents - drafted)]

    values = {str(r[k]) for key in ("events", "designations", "statements") for r in records(key)
              for k in ("date", "end_date", "listed", "start", "end") if k in r}
    found_values = {f.value for f in d.dates}
    row["dates"] = score(len(values & found_values), len(values), len(values & found_values), len(d.dates))

    exp_st = [(where(r), {"speaker": str(r["speaker"])} if "speaker" in r else
               {"speaker_described": str(r.get("speaker_described", ""))}) for r in records("statements")]
    st_ok = lambda e, s: e[0] and (overlaps(e[0], (s.start, s.end)) or overlaps(e[0], s.evidence)) \
        and same_speaker(e[1], s)  # noqa: E731
    row["statements"] = score(sum(any(st_ok(e, s) for s in d.speech) for e in exp_st), len(exp_st),
                              sum(any(st_ok(e, s) for e in exp_st) for s in d.speech), len(d.speech))
    exp_ev = [(where(r), str(r.get("date", ""))) for r in records("events")]
    ev_ok = lambda e, p: e[0] and overlaps(e[0], (p.start, p.end)) and (not e[1] or p.date.value == e[1])  # noqa: E731
    row["events"] = score(sum(any(ev_ok(e, p) for p in d.events) for e in exp_ev), len(exp_ev),
                          sum(any(ev_ok(e, p) for e in exp_ev) for p in d.events), len(d.events))
    return row


def pct(hit: int, total: int) -> str:
    return f"{hit}/{total} ({100 * hit / total:.0f}%)" if total else "-"


def table(title: str, rows: list[dict], missed: bool) -> None:
    head = f"{'document':<40}" + "".join(f" {k + ' recall':>20} {'precision':>15}" for k in KINDS)
    print(f"\n{title}\n{head}\n{'-' * len(head)}")
    totals = {k: [0, 0, 0, 0] for k in KINDS}
    for r in rows:
        line = f"{r['doc']:<40}"
        for k in KINDS:
            s = r[k]
            line += f" {pct(s['hit'], s['total']):>20} {pct(s['right'], s['proposed']):>15}"
            for i, key in enumerate(("hit", "total", "right", "proposed")):
                totals[k][i] += s[key]
        print(line)
    print("-" * len(head))
    print(f"{'overall':<40}" + "".join(f" {pct(t[0], t[1]):>20} {pct(t[2], t[3]):>15}" for t in totals.values()))
    des = [r["designations"] for r in rows if "designations" in r]
    if des and sum(x[1] for x in des):
        f, n, ok, asked = (sum(x[i] for x in des) for i in range(4))
        print(f"designations: listing sentences found {pct(f, n)}; fields filled as by hand {pct(ok, asked)}")
    if missed:
        for r in rows:
            if r["missed"]:
                print(f"{r['doc']}: missed {'; '.join(r['missed'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--missed", action="store_true", help="list what the draft missed (reading it is tuning on it)")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    project = load_project(root)
    slugs = sorted(p.stem for p in (root / "mappings").glob("*.yaml") if (root / "documents" / f"{p.stem}.txt").exists())
    table("corpus (aliases collected from these texts)", [measure_corpus(root, s, project) for s in slugs], args.missed)
    holdout = sorted((root / "tests" / "data" / "holdout").glob("*.expected.yaml"))
    table("holdout (mapped by hand before drafting)", [measure_holdout(p, project) for p in holdout], args.missed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
