#!/usr/bin/env python3
"""A night's import for the adjudication benchmark, made from an rbl database.

    python3 bench/gen_night.py --db DB --out FILE.jsonl [--share 0.005] [--seed 1]
                               [--date 2026-11-28]

Picks `share` of the database's subjects (at least one) with random.Random(seed) and writes,
as JSON Lines for `rbl-import` into the same source (`default`, as bench/gen_records.py's files
are imported):
- for 60% of them, a new record: a copy of one of the subject's records under a new record_id,
  dated `date` (the night's records are about the day just ended);
- for 30%, an update: one of the subject's active records again, same record_id, with changed
  content (the amount one yuan higher, or when it has none, the authority marked as corrected);
- for 10%, a withdrawal: one of the subject's active records again with status `withdrawn`, which
  is how a source withdraws a record (SPEC.md §2).
A subject with no active record gets a new record instead of an update or a withdrawal.

Only reads the database (one query per picked subject through the by-subject index), so it takes
seconds even at 10,000,000 records. The same database and arguments give byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys

SHARE_NEW, SHARE_UPDATE = 0.6, 0.3  # the rest withdraws

SUBJECT_RECORDS = """
SELECT r.record_id, s.name, r.domain, r.kind, r.date, r.amount_fen, r.authority, r.region,
       r.status, r.attrs
FROM records r JOIN subjects s ON s.subject_id = r.subject_id
WHERE r.subject_id = ? AND +r.source = 'default'
ORDER BY r.record_id
"""  # the unary + keeps SQLite on the by-subject index (else it scans the (source, record_id) key)


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _line(subject_id: str, row, **changes) -> str:
    """One JSON Lines record from a records row, with `changes` applied."""
    record_id, name, domain, kind, date, amount_fen, authority, region, status, attrs = row
    obj = {"record_id": record_id, "subject_id": subject_id, "subject_name": name,
           "domain": domain, "kind": kind, "date": date}
    if amount_fen is not None:
        obj["amount"] = _yuan(amount_fen)
    if authority is not None:
        obj["authority"] = authority
    if region is not None:
        obj["region"] = region
    obj["status"] = status
    obj.update(changes)
    parsed = json.loads(attrs)
    if parsed:
        obj["attrs"] = parsed
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _update(subject_id: str, row) -> str:
    """The record again with changed content: amount + 1 yuan, else a corrected authority."""
    amount_fen, authority = row[5], row[6]
    if amount_fen is not None:
        return _line(subject_id, row, amount=_yuan(amount_fen + 100))
    return _line(subject_id, row, authority=(authority or "") + "（更正）")


def night(db: sqlite3.Connection, share: float, seed: int, date: str) -> tuple[list[str], dict]:
    """The night's lines and how many of each change they hold."""
    rng = random.Random(seed)
    subjects = [r[0] for r in db.execute("SELECT subject_id FROM subjects ORDER BY subject_id")]
    picked = rng.sample(subjects, max(1, round(share * len(subjects))))
    lines, counts = [], {"subjects": len(picked), "new": 0, "updated": 0, "withdrawn": 0}
    for i, subject_id in enumerate(picked):
        rows = db.execute(SUBJECT_RECORDS, (subject_id,)).fetchall()
        active = [r for r in rows if r[8] == "active"]
        what = i / len(picked)
        if what >= SHARE_NEW and active:
            row = rng.choice(active)
            if what < SHARE_NEW + SHARE_UPDATE:
                lines.append(_update(subject_id, row))
                counts["updated"] += 1
            else:
                lines.append(_line(subject_id, row, status="withdrawn"))
                counts["withdrawn"] += 1
        elif rows:
            row = rng.choice(rows)
            lines.append(_line(subject_id, row, record_id=f"{row[0]}-N{seed}-{i}", date=date,
                               status="active"))
            counts["new"] += 1
    return lines, counts


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="the rbl database to read (not changed)")
    ap.add_argument("--out", required=True, help="output JSON Lines file, '-' for stdout")
    ap.add_argument("--share", type=float, default=0.005, help="share of subjects (0.005)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--date", default="2026-11-28", help="date of the new records (2026-11-28)")
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    args = ap.parse_args(argv)
    if not 0 < args.share <= 1:
        ap.error("--share must be in (0, 1]")
    db = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    lines, counts = night(db, args.share, args.seed, args.date)
    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="")
    try:
        out.write("".join(line + "\n" for line in lines))
    finally:
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        print(f"gen_night: {counts['subjects']} subjects: {counts['new']} new, "
              f"{counts['updated']} updated, {counts['withdrawn']} withdrawn -> {args.out}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
