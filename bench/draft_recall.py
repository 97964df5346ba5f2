"""Recall of `dossier draft` against the curated mappings: how much of a person's reading it finds.

    .venv/bin/python bench/draft_recall.py [--root .]

For each document with a curated mapping (mappings/<slug>.yaml), the drafter runs on
documents/<slug>.txt and is compared with the mapping:

- entities: curated mention entity ids that the draft also found / curated mention entity ids;
- mention spans: curated mention records whose quote span overlaps a drafted occurrence of the
  same entity / curated mention records;
- quotes: curated statements of type `quote`, or whose quote contains quotation marks, that
  overlap a drafted quoted passage (or the sentence drafted as its evidence) / those statements;
  "+ short listed" also counts the one-to-three-word quoted phrases the draft lists in comments.

"extra" counts entities the draft found that the curated mapping does not mention (not all
are wrong: a curator mentions what matters, the drafter every name it knows).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dossier.draft import draft, load_project  # noqa: E402
from dossier.problems import Problems  # noqa: E402
from dossier.quotes import DocumentText  # noqa: E402
from dossier.yamlfile import YList, YMap, load_yaml  # noqa: E402

QUOTE_MARKS = set('"“”«»')


def spans_of(doc: DocumentText, rec: YMap) -> list[tuple[int, int]]:
    """Where a curated record's quote(s) sit in the text (empty if not found)."""
    quotes = rec.get("quotes") if "quotes" in rec else rec.get("quote")
    if quotes is None:
        return []
    quotes = [quotes] if isinstance(quotes, str) else list(quotes)
    occ = int(rec["occurrence"]) if str(rec.get("occurrence", "")).isdigit() else None
    out = []
    for q in quotes:
        found = doc.find_all(str(q))
        if occ and len(found) >= occ:
            found = [found[occ - 1]]
        out.extend(found[:1])
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def measure(root: Path, slug: str, project) -> dict:
    mapping = load_yaml(root / "mappings" / f"{slug}.yaml", slug, Problems())
    raw = (root / "documents" / f"{slug}.txt").read_bytes()
    doc = DocumentText(raw.decode("utf-8"))
    d = draft(raw, slug, project.registry)
    drafted = {m.entity for m in d.mentions}
    mentions = [m for m in (mapping.get("mentions") or YList()) if isinstance(m, YMap) and "entity" in m]
    curated = {str(m["entity"]) for m in mentions}
    span_hits = 0
    for m in mentions:
        spans = spans_of(doc, m)
        if any(x.entity == m["entity"] and overlaps((x.start, x.end), s) for x in d.mentions for s in spans):
            span_hits += 1
    statements = [s for s in (mapping.get("statements") or YList()) if isinstance(s, YMap)]
    quoted = []
    for s in statements:
        spans = spans_of(doc, s)
        if s.get("type") == "quote" or any(QUOTE_MARKS & set(doc.text[a:b]) for a, b in spans):
            quoted.append(spans)
    drafted_spans = [(q.start, q.end) for q in d.quoted] + [(q.evidence[0], q.evidence[1]) for q in d.quoted]
    quote_hits = sum(1 for spans in quoted if any(overlaps(s, x) for s in spans for x in drafted_spans))
    listed = drafted_spans + d.short_quoted
    listed_hits = sum(1 for spans in quoted if any(overlaps(s, x) for s in spans for x in listed))
    return {
        "doc": slug,
        "entities": (len(curated & drafted), len(curated)),
        "spans": (span_hits, len(mentions)),
        "quotes": (quote_hits, len(quoted)),
        "listed": (listed_hits, len(quoted)),
        "extra": len(drafted - curated),
        "missed": sorted(curated - drafted),
        "drafted_quotes": len(d.quoted),
    }


def pct(pair: tuple[int, int]) -> str:
    hit, total = pair
    return f"{hit}/{total} ({100 * hit / total:.0f}%)" if total else "0/0 (-)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--missed", action="store_true", help="list the curated entities the draft missed")
    args = ap.parse_args(argv)
    root = Path(args.root).resolve()
    project = load_project(root)
    slugs = sorted(p.stem for p in (root / "mappings").glob("*.yaml") if (root / "documents" / f"{p.stem}.txt").exists())
    rows = [measure(root, slug, project) for slug in slugs]
    head = (f"{'document':<40} {'entities (by id)':>18} {'mention spans':>16} {'quotes drafted':>16} "
            f"{'+ short listed':>16} {'extra':>6}")
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['doc']:<40} {pct(r['entities']):>18} {pct(r['spans']):>16} {pct(r['quotes']):>16} "
              f"{pct(r['listed']):>16} {r['extra']:>6}")
    total = {k: (sum(r[k][0] for r in rows), sum(r[k][1] for r in rows)) for k in ("entities", "spans", "quotes", "listed")}
    print("-" * len(head))
    print(f"{'overall':<40} {pct(total['entities']):>18} {pct(total['spans']):>16} {pct(total['quotes']):>16} "
          f"{pct(total['listed']):>16} {sum(r['extra'] for r in rows):>6}")
    if args.missed:
        for r in rows:
            if r["missed"]:
                print(f"{r['doc']}: missed {', '.join(r['missed'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
