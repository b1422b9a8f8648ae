"""End-to-end tests of record credit repair (SPEC.md §11, rbl-appeal repair --record): refused
before the class's minimum period and allowed on its first day, refused where the record is not
published at all or its class is not repairable; granted, the record leaves the next records
delta as `removed`, the entries resting on it alone end as `credit_repair` while an entry with
other evidence stays, and neither an incremental nor a full run lists the subject again on it;
both kinds of repair in `rbl-appeal list` and `show`; and the records section of
`rbl-publish report`."""

import csv
import io
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import RULES, ToolTestCase, uscc  # noqa: E402

HEADER = ["record_id", "subject_id", "subject_name", "domain", "kind", "date", "status", "amount",
          "severity", "category", "aggravated", "field", "serious_nature"]
# A: one general penalty, a ¥1.2m fine set by heavier punishment in a food case found serious
#    (lists A on market.black.serious_violation: a heavier penalty, Order 44 Art. 2)
# B: such a ¥1.5m fine and a revoked licence, both found serious (each lists B on its own)
# C: a general penalty that lists nobody; D: a general penalty whose publication ends by itself
#    on 2026-07-06 (公示截止期 2026-07-05); E: a minor one, a withdrawn one, an award.
ROWS = [
    ["P-A1", uscc(1), "甲公司", "market", "penalty", "2026-04-10", "", "1200000", "general", "罚款",
     "true", "food", "true"],
    ["P-B1", uscc(2), "乙公司", "market", "penalty", "2026-04-10", "", "1500000", "general", "罚款",
     "true", "food", "true"],
    ["P-B2", uscc(2), "乙公司", "market", "penalty", "2026-05-20", "", "", "", "吊销许可证", "",
     "food", "true"],
    ["P-C1", uscc(3), "丙公司", "market", "penalty", "2026-03-01", "", "5000", "general", "罚款",
     "", "", ""],
    ["P-D1", uscc(4), "丁公司", "market", "penalty", "2025-07-05", "", "3000", "general", "罚款",
     "", "", ""],
    ["P-E1", uscc(5), "戊公司", "market", "penalty", "2026-04-01", "", "", "minor", "警告", "", "",
     ""],
    ["P-E2", uscc(5), "戊公司", "market", "penalty", "2026-04-01", "withdrawn", "9000", "general",
     "罚款", "", "", ""],
    ["A-E3", uscc(5), "戊公司", "market", "award", "2026-04-01", "", "", "", "", "", "", ""],
]
BLACK = "market.black.serious_violation"


class RecordRepairCase(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.env["RBL_TODAY"] = "2026-08-31"
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(ROWS)
        self.run_tool("rbl-import", "-q", "--source", "mkt", self.write("p.csv", out.getvalue()),
                      check=0)
        self.adjudicate("2026-06-01", "--full")
        self.adjudicate("2026-06-15")  # the entries' notice ended: in force

    def adjudicate(self, as_of, *args):
        return json.loads(self.run_tool("rbl-adjudicate", "-q", "--json", "--as-of", as_of, *args,
                                        check=0).stdout)

    def apply(self, record, received, *args, check=0):
        return self.run_tool("rbl-appeal", "repair", "--record", f"mkt:{record}", "--reason",
                             "fine paid", "--commitment", "守法经营承诺", "--received", received,
                             *args, check=check)

    def decide(self, appeal_id, outcome, date, check=0):
        return self.run_tool("rbl-appeal", "decide", appeal_id, "--outcome", outcome, "--note",
                             "checked", "--date", date, "--json", check=check)

    def entries(self, subject):
        return self.sql("SELECT entry_id, list_id, status, ended_on, end_reason FROM entries "
                        "WHERE subject_id = ? ORDER BY entry_id", (subject,))

    def public_records(self, as_of, *args):
        out = self.dir / f"r-{as_of}-{len(list(self.dir.iterdir()))}.csv"
        self.run_tool("rbl-publish", "records", "--as-of", as_of, "--out", out, *args, check=0)
        with open(out, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))


class Filing(RecordRepairCase):
    def test_refused_the_day_before_the_minimum_and_allowed_on_it(self):
        # General: minimum 3 months from 2026-04-10, so from 2026-07-10 on.
        result = self.apply("P-A1", "2026-07-09", check=2)
        self.assertIn("not allowed yet", result.stderr)
        self.assertIn("2026-07-10", result.stderr)
        self.assertEqual(self.scalar("SELECT count(*) FROM record_repairs"), 0)
        result = self.apply("P-A1", "2026-07-10", "--json")
        filed = json.loads(result.stdout)
        self.assertEqual(filed["type"], "record_repair")
        self.assertEqual(filed["record"], "mkt:P-A1")
        self.assertEqual(filed["commitment"], "守法经营承诺")
        self.assertIsNone(filed["outcome"])
        # Ten working days from Friday 2026-07-10.
        self.assertEqual(filed["due_on"], "2026-07-24")
        # A second application while one is open is refused.
        self.assertIn("already has an open", self.apply("P-A1", "2026-07-11", check=2).stderr)

    def test_records_not_published_at_all_are_refused(self):
        cases = {
            "P-E1": "class minor",           # minor: not published
            "P-E2": "withdrawn",             # withdrawn at source
            "A-E3": "kind 'award'",          # a kind the domain does not publish
            "NOPE": "there is no record",
        }
        for record, words in cases.items():
            with self.subTest(record=record):
                self.assertIn(words, self.apply(record, "2026-07-20", check=2).stderr)
        # Past its maximum: P-D1's publication ended by itself after 2026-07-05.
        self.assertIn("ended by itself", self.apply("P-D1", "2026-07-06", check=2).stderr)
        self.assertIn("not allowed yet", self.apply("P-D1", "2025-10-04", check=2).stderr)
        self.apply("P-D1", "2026-07-05")  # its last public day
        # Malformed keys, and ENTRY_ID with --record.
        result = self.run_tool("rbl-appeal", "repair", "--record", "P-A1", "--reason", "x",
                               check=2)
        self.assertIn("SOURCE:RECORD_ID", result.stderr)
        result = self.run_tool("rbl-appeal", "repair", "1", "--record", "mkt:P-A1", "--reason",
                               "x", check=2)
        self.assertIn("one of the two", result.stderr)
        self.assertEqual(self.scalar("SELECT count(*) FROM record_repairs"), 1)

    def test_a_class_declared_not_repairable_is_refused(self):
        text = (RULES / "market.yaml").read_text(encoding="utf-8")
        changed = text.replace("general: { minimum: 3m, maximum: 1y }",
                               "general: { minimum: 3m, maximum: 1y, repairable: false }")
        self.assertNotEqual(text, changed)
        self.use_rules({"market": changed})
        result = self.apply("P-A1", "2026-07-20", check=2)
        self.assertIn("not repairable", result.stderr)
        self.assertIn("2027-04-10", result.stderr)  # it runs until its 公示截止期


class Granted(RecordRepairCase):
    def test_granted_repair_ends_publication_entries_and_stays_ended(self):
        [(entry_a, list_a, status, _, _)] = self.entries(uscc(1))
        self.assertEqual((list_a, status), (BLACK, "effective"))
        [(entry_b, _, _, _, _)] = self.entries(uscc(2))
        self.assertEqual(self.sql("SELECT record_id FROM entry_evidence WHERE entry_id = ? "
                                  "ORDER BY record_id", (entry_b,)), [("P-B1",), ("P-B2",)])

        first = self.dir / "d1.csv"
        self.run_tool("rbl-publish", "records", "--as-of", "2026-07-09", "--channel", "web",
                      "--delta", "--out", first, check=0)
        appeal_a = self.apply("P-A1", "2026-07-10").stdout.strip()
        appeal_b = self.apply("P-B1", "2026-07-10").stdout.strip()
        marks_before = self.scalar("SELECT count(*) FROM subject_marks")

        decision = json.loads(self.decide(appeal_a, "upheld", "2026-07-15").stdout)
        self.assertEqual(decision["publication_ended"], "2026-07-15")
        self.assertEqual([(e["entry_id"], e["status"], e["end_reason"], e["ended_on"])
                          for e in decision["ended_entries"]],
                         [(entry_a, "repaired", "credit_repair", "2026-07-15")])
        decision = json.loads(self.decide(appeal_b, "upheld", "2026-07-15").stdout)
        self.assertEqual(decision["ended_entries"], [])
        self.assertEqual(decision["kept_entries"], [entry_b])
        self.assertEqual(self.entries(uscc(1)),
                         [(entry_a, BLACK, "repaired", "2026-07-15", "credit_repair")])
        self.assertEqual(self.entries(uscc(2))[0][2], "effective")
        # The decisions marked both subjects for the next incremental run.
        self.assertGreater(self.scalar("SELECT count(*) FROM subject_marks"), marks_before)
        # A decided application cannot be decided again.
        self.assertIn("already decided", self.decide(appeal_a, "rejected", "2026-07-16",
                                                     check=2).stderr)

        # Published the day before the decision, not from it on; the next delta says removed.
        documents = lambda as_of: {row["record_id"] for row in self.public_records(as_of)}
        self.assertIn("P-A1", documents("2026-07-14"))
        self.assertNotIn("P-A1", documents("2026-07-15"))
        self.assertNotIn("P-B1", documents("2026-07-15"))
        self.assertIn("P-B2", documents("2026-07-15"))
        second = self.dir / "d2.csv"
        self.run_tool("rbl-publish", "records", "--as-of", "2026-07-15", "--channel", "web",
                      "--delta", "--out", second, check=0)
        with open(second, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(sorted((row["change"], row["record_id"]) for row in rows),
                         [("removed", "P-A1"), ("removed", "P-B1")])
        # The record stays in the database, active.
        self.assertEqual(self.sql("SELECT status FROM records WHERE record_id = 'P-A1'"),
                         [("active",)])

        # Neither an incremental nor a full run lists A again on the repaired record.
        self.adjudicate("2026-07-20")  # incremental: the marked subjects
        self.assertEqual(self.scalar("SELECT mode FROM run_scope ORDER BY run_id DESC LIMIT 1"),
                         "incremental")
        self.assertEqual(self.entries(uscc(1)),
                         [(entry_a, BLACK, "repaired", "2026-07-15", "credit_repair")])
        self.adjudicate("2026-07-21", "--full")
        self.assertEqual(self.entries(uscc(1)),
                         [(entry_a, BLACK, "repaired", "2026-07-15", "credit_repair")])
        # B stays listed on its revoked licence.
        self.assertEqual([row[2] for row in self.entries(uscc(2))], ["effective"])
        # Audited, and the chain holds.
        actions = [row[0] for row in self.sql(
            "SELECT action FROM audit_log WHERE object IN (?, 'record:mkt/P-A1', ?) "
            "AND action NOT IN ('entry.created', 'entry.advanced') ORDER BY seq",
            (f"appeal:{appeal_a}", f"entry:{entry_a}"))]
        self.assertEqual(actions, ["appeal.filed", "appeal.decided", "record.repaired",
                                   "entry.repaired"])
        self.run_tool("rbl-audit", "verify", check=0)

    def test_a_refused_repair_changes_nothing(self):
        appeal = self.apply("P-A1", "2026-07-10").stdout.strip()
        decision = json.loads(self.decide(appeal, "rejected", "2026-07-12").stdout)
        self.assertIsNone(decision["publication_ended"])
        self.assertEqual(self.entries(uscc(1))[0][2], "effective")
        self.assertIn("P-A1", {row["record_id"] for row in self.public_records("2026-07-20")})
        # Refused, it may be asked again.
        self.apply("P-A1", "2026-07-13")

    def test_list_and_show_hold_both_kinds_of_repair(self):
        [(entry_a, _, _, _, _)] = self.entries(uscc(1))
        record_appeal = self.apply("P-A1", "2026-07-10").stdout.strip()
        entry_appeal = self.run_tool("rbl-appeal", "repair", entry_a, "--reason", "paid",
                                     "--received", "2026-07-11", check=None)
        listing = json.loads(self.run_tool("rbl-appeal", "list", "--json", "--as-of",
                                           "2026-07-31", check=0).stdout)
        types = {str(item["appeal_id"]): item["type"] for item in listing["appeals"]}
        self.assertEqual(types[record_appeal], "record_repair")
        # The record repair is open past its due date (2026-07-24) on 2026-07-31.
        self.assertGreaterEqual(listing["overdue"], 1)
        ids = [item["appeal_id"] for item in listing["appeals"]]
        self.assertEqual(ids, sorted(ids))
        table = self.run_tool("rbl-appeal", "list", "--as-of", "2026-07-31", check=0).stdout
        self.assertIn("record_repair", table)
        self.assertIn("mkt:P-A1", table)
        if entry_appeal.returncode == 0:
            self.assertNotEqual(entry_appeal.stdout.strip(), record_appeal)  # one numbering
            self.assertIn("repair", {item["type"] for item in listing["appeals"]})
        story = self.run_tool("rbl-appeal", "show", record_appeal, check=0).stdout
        self.assertIn("record_repair of record mkt:P-A1", story)
        self.assertIn("class general", story)
        self.assertIn(f"entry {entry_a}", story)
        # --withdraw-records belongs to objections.
        result = self.run_tool("rbl-appeal", "decide", record_appeal, "--outcome", "upheld",
                               "--withdraw-records", "--note", "x", "--date", "2026-07-20",
                               check=2)
        self.assertIn("objections", result.stderr)


class Report(RecordRepairCase):
    def test_the_report_counts_records_public_repairs_and_ends(self):
        granted = self.apply("P-A1", "2026-07-10").stdout.strip()
        refused = self.apply("P-C1", "2026-07-10").stdout.strip()
        self.decide(granted, "upheld", "2026-07-15")
        self.decide(refused, "rejected", "2026-07-16")
        self.adjudicate("2026-08-01")  # the report shows days up to the last run's
        out = self.dir / "report.html"
        result = self.run_tool("rbl-publish", "report", "--as-of", "2026-07-31", "--out", out,
                               "--json", check=0)
        records = json.loads(result.stdout)["records"]
        self.assertEqual(records["period_from"], "2026-07-01")
        # Public on 2026-07-31: B's two (general, serious) and C's; not A's (repaired), nor D's
        # (ended 2026-07-06), nor E's.
        self.assertEqual(records["public"], [{"domain": "market", "class": "general", "count": 2},
                                             {"domain": "market", "class": "serious", "count": 1}])
        self.assertEqual(records["repairs"], [{"domain": "market", "granted": 1, "refused": 1}])
        self.assertEqual(records["ended"], [{"domain": "market", "class": "general", "count": 1}])
        html = out.read_text(encoding="utf-8")
        self.assertIn('<section id="records">', html)
        section = html[html.index('<section id="records">'):]
        self.assertRegex(section, r"<td>market</td><td>1</td><td>1</td>")
        self.assertRegex(section, r"<td>market</td><td>general 一般</td><td>2</td>")
        # In August the July repairs and ends are out of the period; A is still not public.
        records = json.loads(self.run_tool("rbl-publish", "report", "--as-of", "2026-08-01",
                                           "--out", out, "--json", check=0).stdout)["records"]
        self.assertEqual(records["repairs"], [])
        self.assertEqual(records["ended"], [])
        self.assertEqual(records["public"][0]["count"], 2)
        # Before the repair, A was public.
        records = json.loads(self.run_tool("rbl-publish", "report", "--as-of", "2026-07-14",
                                           "--out", out, "--json", check=0).stdout)["records"]
        self.assertEqual(records["public"][0], {"domain": "market", "class": "general",
                                                "count": 3})


if __name__ == "__main__":
    rbltest.main()
