"""End-to-end tests of a list's repair conditions (docs/RULES.md, `repair:`): `from:` a date
attribute of the evidence, `commitment: true` and `barred_when:` - each refusal with exit 2, a
message that says why, and nothing filed; a granted repair once they are met."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402

# Arrears: in force at once, repair 6 months after payment with a commitment. Violations: a 1-year
# term, repair barred for a second listing within 5 years.
TEST_RULES = """domain: labour
title: Labour
title_zh: 劳动
version: "t1"
attributes:
  paid_on: date
lists:
  - id: labour.black.arrears
    kind: black
    title: Wage arrears
    title_zh: 拖欠工资
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: wage_arrears, within: 3y }
    term: { from: evidence, length: 3y }
    procedure: { appeal_days: 5 }
    repair: { allowed: true, after: 6m, from: paid_on, commitment: true }
  - id: labour.black.repeat
    kind: black
    title: Violations
    title_zh: 违法
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: violation, within: 1y }
    term: { from: evidence, length: 1y }
    procedure: { appeal_days: 5 }
    repair: { allowed: true, barred_when: { entries: 2, within: 5y } }
"""


class RepairConditions(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"labour": TEST_RULES})

    def load(self, today, rows, name):
        text = "record_id,subject_id,subject_name,domain,kind,date,paid_on\n"
        text += "".join(",".join(row) + "\n" for row in rows)
        self.run_tool("rbl-import", self.write(name, text), env={"RBL_TODAY": today}, check=0)

    def adjudicate(self, as_of):
        self.run_tool("rbl-adjudicate", "--as-of", as_of, "-q", env={"RBL_TODAY": as_of},
                      check=0)

    def repair(self, today, entry, *args, check):
        return self.run_tool("rbl-appeal", "repair", str(entry), "--reason", "已足额支付工资",
                             *args, env={"RBL_TODAY": today}, check=check)

    def refused(self, today, entry, *args, says):
        appeals, audit = self.scalar("SELECT count(*) FROM appeals"), \
            self.scalar("SELECT count(*) FROM audit_log")
        result = self.repair(today, entry, *args, check=2)
        self.assertIn(says, result.stderr)
        self.assertEqual(self.scalar("SELECT count(*) FROM appeals"), appeals)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log"), audit)

    def test_from_payment_with_a_commitment(self):
        subject = uscc(1)
        self.load("2026-03-02", [["R1", subject, "公司1", "labour", "wage_arrears", "2026-02-10",
                                  ""]], "a.csv")
        self.adjudicate("2026-03-02")
        entry = self.scalar("SELECT entry_id FROM entries WHERE list_id = 'labour.black.arrears'")
        self.refused("2026-04-01", entry, "--commitment", "守法诚信承诺书",
                     says="its evidence records no paid_on")
        # The bureau re-sends the order with the payment day: a later version of the decision.
        self.load("2026-05-04", [["R1", subject, "公司1", "labour", "wage_arrears", "2026-02-10",
                                  "2026-04-28"]], "b.csv")
        self.refused("2026-10-27", entry, "--commitment", "守法诚信承诺书",
                     says="it will be allowed from 2026-10-28 (6m after its paid_on 2026-04-28)")
        self.refused("2026-10-28", entry, says="--commitment")
        filed = json.loads(self.repair("2026-10-28", entry, "--commitment", "守法诚信承诺书",
                                       "--json", check=0).stdout)
        log = self.run_tool("rbl-audit", "log", "--json", "--object",
                            f"appeal:{filed['appeal_id']}", check=0)
        details = json.loads(log.stdout.splitlines()[0])["details"]
        self.assertEqual(details["commitment"], "守法诚信承诺书")
        self.run_tool("rbl-appeal", "decide", str(filed["appeal_id"]), "--outcome", "upheld",
                      "--note", "已核实", env={"RBL_TODAY": "2026-10-29"}, check=0)
        self.assertEqual(self.scalar("SELECT status FROM entries WHERE entry_id = ?", (entry,)),
                         "repaired")
        verify = self.run_tool("rbl-audit", "verify", "--json", check=0)
        self.assertTrue(json.loads(verify.stdout)["ok"])

    def test_a_second_listing_within_five_years_bars_repair(self):
        subject = uscc(2)
        self.load("2026-01-06", [["V1", subject, "公司2", "labour", "violation", "2026-01-05",
                                  ""]], "a.csv")
        self.adjudicate("2026-01-06")
        first = self.scalar("SELECT max(entry_id) FROM entries")
        self.adjudicate("2027-01-06")  # the first term ran out
        self.assertEqual(self.scalar("SELECT status FROM entries WHERE entry_id = ?", (first,)),
                         "expired")
        self.load("2027-02-02", [["V2", subject, "公司2", "labour", "violation", "2027-02-01",
                                  ""]], "b.csv")
        self.adjudicate("2027-02-02")
        second = self.scalar("SELECT max(entry_id) FROM entries")
        self.assertNotEqual(first, second)
        self.refused("2027-02-03", second,
                     says="allows no credit repair for a subject with 2 or more of its entries "
                          "decided within 5y (this subject has 2)")
        # One listing alone may be repaired.
        other = uscc(3)
        self.load("2027-02-02", [["V3", other, "公司3", "labour", "violation", "2027-02-01",
                                  ""]], "c.csv")
        self.adjudicate("2027-02-03")
        alone = self.scalar("SELECT max(entry_id) FROM entries")
        self.repair("2027-02-04", alone, check=0)


if __name__ == "__main__":
    rbltest.main()
