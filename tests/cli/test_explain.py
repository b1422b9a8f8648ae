"""End-to-end tests of rbl-adjudicate --explain (SPEC.md §4): the records each selection
considered, each figure against its threshold with the margin, the nearest miss first for a
subject on no list, --list for one list."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402

RULES = """domain: labour
title: Labour
title_zh: 劳动
version: "t1"
attributes:
  workers: number
  months_unpaid: number
  ordered_to_pay: bool
lists:
  - id: labour.black.arrears
    kind: black
    title: Wage arrears
    title_zh: 欠薪名单
    basis: 测试依据
    authority: 测试局
    criteria:
      exists:
        kind: wage_arrears
        within: 3y
        where: "ordered_to_pay == true and months_unpaid >= 3 and amount >= workers * 10000"
    validity: 3y
    procedure: { notice_days: 5, appeal_days: 5 }
  - id: labour.black.repeat
    kind: black
    title: Repeated penalties
    title_zh: 多次处罚名单
    basis: 测试依据
    authority: 测试局
    criteria:
      count: { kind: penalty, within: 1y }
      at_least: 4
    validity: 1y
    procedure: { notice_days: 5, appeal_days: 5 }
  - id: labour.red.people
    kind: red
    title: Good employers (people only)
    title_zh: 守信个人
    basis: 测试依据
    authority: 测试局
    subjects: [natural_person]
    criteria:
      exists: { kind: award }
    validity: 1y
    procedure: { publicity_days: 3 }
"""

AS_OF = "2026-11-28"
LISTED, NEAR = uscc(1), uscc(2)


def record(record_id, subject, name, kind, date, **attrs):
    row = {"record_id": record_id, "subject_id": subject, "subject_name": name,
           "domain": "labour", "kind": kind, "date": date}
    if "amount" in attrs:
        row["amount"] = attrs.pop("amount")
    if attrs:
        row["attrs"] = attrs
    return json.dumps(row, ensure_ascii=False)


class Explain(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"labour": RULES})
        rows = [
            record("WA-1", LISTED, "甲公司", "wage_arrears", "2026-05-01", amount=40000,
                   workers=1, months_unpaid=4, ordered_to_pay=True),
            record("WA-2", NEAR, "乙公司", "wage_arrears", "2026-06-18", amount=36500,
                   workers=1, months_unpaid=2, ordered_to_pay=True),
            record("WA-0", NEAR, "乙公司", "wage_arrears", "2022-01-10", amount=90000,
                   workers=1, months_unpaid=9, ordered_to_pay=True),
            record("P-1", NEAR, "乙公司", "penalty", "2026-03-02"),
        ]
        path = self.write("labour.jsonl", "".join(row + "\n" for row in rows))
        self.run_tool("rbl-import", "--source", "labour-bureau", path, check=0)
        self.run_tool("rbl-adjudicate", "--as-of", AS_OF, check=0)

    def explain(self, subject, *args, check=0):
        return self.run_tool("rbl-adjudicate", "--as-of", AS_OF, "--explain", subject, *args,
                             check=check)

    def explain_json(self, subject, *args):
        result = self.explain(subject, "--json", *args)
        self.assertEqual(len(result.stdout.splitlines()), 1, result.stdout)
        return json.loads(result.stdout)

    def test_a_listed_subject_shows_its_entry_the_records_and_the_margins(self):
        lines = self.explain(LISTED).stdout.splitlines()
        self.assertEqual(lines[1], "on: labour.black.arrears (entry 1, notice)")
        # Its list comes first, with the record and each part of `where` against its bound.
        self.assertEqual(lines[3], "labour.black.arrears 欠薪名单 — meets the criteria")
        text = "\n".join(lines)
        self.assertIn("labour-bureau:WA-1  2026-05-01  wage_arrears  — taken", text)
        self.assertIn("[yes] months_unpaid >= 3: months_unpaid = 4, needs ≥ 3, margin 1", text)
        self.assertIn("[yes] amount >= workers * 10000: amount = 40000, workers = 1", text)
        self.assertIn("entry 1: notice", text)
        explained = self.explain_json(LISTED)
        self.assertEqual(explained["listed_on"], ["labour.black.arrears"])
        self.assertIsNone(explained["nearest_miss"])
        first = explained["lists"][0]
        self.assertEqual((first["list_id"], first["listed"], first["meets"], first["closeness"]),
                         ("labour.black.arrears", True, True, 1.0))
        self.assertEqual(first["entries"], [{"entry_id": 1, "status": "notice"}])

    def test_an_unlisted_subject_shows_the_nearest_miss_first_and_by_how_much(self):
        lines = self.explain(NEAR).stdout.splitlines()
        self.assertEqual(lines[0], f"{NEAR} 乙公司 (legal_person), as of {AS_OF}: 3 active records")
        # One of the record's three conditions fails: two thirds of the way; the count list
        # (1 penalty of 4) a quarter; the list for people only is last.
        self.assertEqual(lines[1], "on no list; nearest miss: labour.black.arrears 欠薪名单 "
                                   "(closeness 67%)")
        blocks = [line.split(" ")[0] for line in lines if line.startswith("labour.")]
        self.assertEqual(blocks, ["labour.black.arrears", "labour.black.repeat",
                                  "labour.red.people"])
        text = "\n".join(lines)
        self.assertIn("labour-bureau:WA-2  2026-06-18  wage_arrears  — not taken: where fails",
                      text)
        self.assertIn("[no]  months_unpaid >= 3: months_unpaid = 2, needs ≥ 3, short by 1", text)
        self.assertIn("[yes] ordered_to_pay == true: ordered_to_pay = true, needs = true", text)
        self.assertIn("[yes] amount >= workers * 10000: amount = 36500, workers = 1", text)
        # The old record, which would qualify, is outside the window.
        self.assertIn("labour-bureau:WA-0  2022-01-10  wage_arrears  amount = 90000, "
                      "workers = 1, months_unpaid = 9, ordered_to_pay = true  — not taken: "
                      "outside the window of 3y (from 2023-11-28)", text)
        self.assertIn("[no]  1 penalty record within 1y (needs ≥ 4, short by 3)", text)
        self.assertIn("labour.black.repeat 多次处罚名单 — does not meet the criteria "
                      "(closeness 25%)", text)
        self.assertIn("labour.red.people 守信个人 — not admitted (legal_person may not be listed)",
                      text)

        explained = self.explain_json(NEAR)
        self.assertEqual(explained["listed_on"], [])
        self.assertEqual(explained["nearest_miss"], "labour.black.arrears")
        self.assertEqual([entry["list_id"] for entry in explained["lists"]],
                         ["labour.black.arrears", "labour.black.repeat", "labour.red.people"])
        arrears = explained["lists"][0]
        self.assertAlmostEqual(arrears["closeness"], 2 / 3)
        node = arrears["criteria"][0]
        self.assertEqual((node["type"], node["holds"], node["figure"], node["threshold"],
                          node["margin"]), ("exists", False, "0", "needs ≥ 1", "short by 1"))
        considered = {r["record_id"]: r for r in node["records"]}
        self.assertEqual(set(considered), {"WA-0", "WA-2"})
        near = considered["WA-2"]
        self.assertEqual((near["source"], near["date"], near["kind"], near["taken"]),
                         ("labour-bureau", "2026-06-18", "wage_arrears", False))
        self.assertEqual(near["attributes"], {"amount": "36500", "workers": "1",
                                              "months_unpaid": "2", "ordered_to_pay": "true"})
        self.assertEqual([(c["test"], c["holds"]) for c in near["checks"]],
                         [("ordered_to_pay == true", True), ("months_unpaid >= 3", False),
                          ("amount >= workers * 10000", True)])
        self.assertEqual(near["checks"][1]["margin"], "needs ≥ 3, short by 1")
        repeat = explained["lists"][1]["criteria"][0]
        self.assertEqual((repeat["figure"], repeat["threshold"], repeat["margin"]),
                         ("1", "needs ≥ 4", "short by 3"))

    def test_list_focuses_on_one_list(self):
        lines = self.explain(NEAR, "--list", "labour.black.repeat").stdout.splitlines()
        blocks = [line.split(" ")[0] for line in lines if line.startswith("labour.")]
        self.assertEqual(blocks, ["labour.black.repeat"])
        self.assertEqual(lines[1], "on no list; nearest miss: labour.black.repeat 多次处罚名单 "
                                   "(closeness 25%)")
        explained = self.explain_json(NEAR, "--list", "labour.black.repeat")
        self.assertEqual([entry["list_id"] for entry in explained["lists"]],
                         ["labour.black.repeat"])

    def test_an_unknown_list_is_refused_naming_the_lists(self):
        result = self.explain(NEAR, "--list", "labour.black.nope", check=2)
        self.assertEqual(result.stdout, "")
        self.assertIn("unknown list 'labour.black.nope'; the lists are: labour.black.arrears, "
                      "labour.black.repeat, labour.red.people", result.stderr)
        failed = json.loads(self.explain(NEAR, "--list", "labour.black.nope", "--json",
                                         check=2).stdout)
        self.assertEqual(failed["exit"], 2)
        self.assertIn("labour.black.repeat", failed["error"])
        # --list belongs to --explain.
        self.run_tool("rbl-adjudicate", "--as-of", AS_OF, "--list", "labour.black.repeat",
                      check=2)
        self.explain(uscc(9), check=2)


if __name__ == "__main__":
    rbltest.main()
