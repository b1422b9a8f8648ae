"""End-to-end tests of "one decision, one fact" (SPEC.md §2): the same decision imported from two
sources (a court's own file and the platform's copy of it) is counted once by every criterion,
cited once as evidence, and never lists a subject twice."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, SAMPLES, TODAY, ToolTestCase  # noqa: E402

# A black list of two serious penalties within a year, with repair after 6 months.
TEST_RULES = """domain: market
title: Market
title_zh: 市场
version: "t1"
attributes:
  severity: text
lists:
  - id: market.black.serious
    kind: black
    title: Serious violators
    title_zh: 严重违法失信名单
    basis: 测试依据
    authority: 测试局
    criteria:
      count: { kind: penalty, within: 1y, where: "severity == 'serious'" }
      at_least: 2
    validity: 2y
    procedure: { notice_days: 5, appeal_days: 5 }
    repair: { allowed: true, after: 6m }
"""

BLACK = "market.black.serious"
HEADER = "record_id,subject_id,subject_name,domain,kind,date,severity\n"


def entries_of(case):
    """Every entry as (list, subject, status, evidence record ids), in a stable order."""
    evidence = case.evidence_ids()
    return [row[1:] + (evidence.get(row[0]),)
            for row in case.sql(
                "SELECT e.entry_id, e.list_id, e.subject_id, e.status, e.decided_on, "
                "e.explanation FROM entries e ORDER BY e.list_id, e.subject_id, e.entry_id")]


class SamplesFromTwoSources(ToolTestCase):
    """The shipped court findings, once from one source and once from two."""

    def import_courts(self, source):
        result = self.run_tool("rbl-import", "--json", "--source", source,
                               SAMPLES / "records/courts.csv", check=0)
        return json.loads(result.stdout)

    def test_a_second_source_lists_no_one_twice(self):
        self.import_courts("court")
        self.run_tool("rbl-adjudicate", "-q", check=0)
        one_source = entries_of(self)
        self.assertGreater(len(one_source), 0)

        self.remove_database()
        first = self.import_courts("court")
        second = self.import_courts("platform")
        self.assertEqual(first["cross_source_duplicates"], 0)
        self.assertEqual(second["cross_source_duplicates"], second["rows"])
        self.assertEqual(second["inserted"], second["rows"])  # both versions are kept
        self.run_tool("rbl-adjudicate", "-q", check=0)
        self.assertEqual(entries_of(self), one_source)

    def test_the_import_warns_of_each_copy_naming_the_other_source(self):
        self.import_courts("court")
        result = self.run_tool("rbl-import", "--source", "platform",
                               SAMPLES / "records/courts.csv", check=0)
        self.assertIn("also held from source 'court'", result.stderr)
        self.assertIn("counted once", result.stderr)


class TwoSources(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": TEST_RULES})

    def load(self, rows, source, today="2026-09-20", name=None):
        path = self.write(name or f"{source}.csv", HEADER + "".join(",".join(r) + "\n" for r in rows))
        result = self.run_tool("rbl-import", "--json", "--source", source, path,
                               env={"RBL_TODAY": today}, check=0)
        return json.loads(result.stdout)

    def adjudicate(self, as_of):
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", as_of,
                               env={"RBL_TODAY": as_of}, check=0)
        return json.loads(result.stdout)

    def two_penalties(self, severity="serious"):
        return [["P1", uscc(1), "甲公司", "market", "penalty", "2026-09-01", severity],
                ["P2", uscc(1), "甲公司", "market", "penalty", "2026-09-02", severity]]

    def test_one_penalty_from_two_sources_is_one_penalty(self):
        # Each source holds one of the two penalties once, and a copy of the same one: one fact.
        self.load([self.two_penalties()[0]], "court")
        self.load([self.two_penalties()[0]], "platform")
        self.assertEqual(self.adjudicate("2026-09-24")["created"], 0)
        self.load([self.two_penalties()[1]], "platform", name="second.csv")
        self.assertEqual(self.adjudicate("2026-09-25")["created"], 1)

    def test_the_version_imported_last_counts(self):
        self.load(self.two_penalties("serious"), "court")
        # The platform's later copy corrects the severity: the corrected version counts.
        self.load(self.two_penalties("minor"), "platform")
        self.assertEqual(self.adjudicate("2026-09-24")["created"], 0)

    def test_evidence_cites_one_version_of_each_decision(self):
        self.load(self.two_penalties(), "court")
        self.load(self.two_penalties(), "platform")
        self.assertEqual(self.adjudicate("2026-09-24")["created"], 1)
        evidence = self.sql("SELECT r.source, v.record_id FROM entry_evidence v "
                            "JOIN records r ON r.rec = v.rec ORDER BY v.record_id")
        self.assertEqual(evidence, [("platform", "P1"), ("platform", "P2")])
        explanation = self.scalar("SELECT explanation FROM entries")
        self.assertIn("2 ", explanation)
        self.assertNotIn("4 ", explanation)

    def test_a_repaired_subject_is_not_listed_again_by_a_copy_of_its_facts(self):
        self.load(self.two_penalties(), "court")
        self.adjudicate("2026-09-24")
        entry = self.scalar("SELECT entry_id FROM entries")
        self.adjudicate("2026-10-12")
        self.assertEqual(self.scalar("SELECT status FROM entries"), "effective")
        repair = json.loads(self.run_tool("rbl-appeal", "--json", "repair", entry, "--reason",
                                          "已履行并作出信用承诺",
                                          env={"RBL_TODAY": "2027-04-20"}, check=0).stdout)
        self.run_tool("rbl-appeal", "decide", repair["appeal_id"], "--outcome", "upheld",
                      "--note", "准予修复", env={"RBL_TODAY": "2027-04-21"}, check=0)
        self.assertEqual(self.scalar("SELECT status FROM entries"), "repaired")
        # The platform's copy of the same two decisions arrives afterwards.
        copy = self.load(self.two_penalties(), "platform", today="2027-04-22")
        self.assertEqual(copy["cross_source_duplicates"], 2)
        # Still within the criteria's year if the dates were new facts; they are not.
        self.assertEqual(self.adjudicate("2027-04-22")["created"], 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM entries"), 1)

    def test_reverting_the_copy_keeps_the_fact_the_other_source_holds(self):
        self.load(self.two_penalties(), "court")
        copy = self.load(self.two_penalties(), "platform")
        self.run_tool("rbl-import", "--revert", copy["batch_id"], check=0)
        self.assertEqual(self.adjudicate("2026-09-24")["created"], 1)
        evidence = self.sql("SELECT DISTINCT r.source FROM entry_evidence v "
                            "JOIN records r ON r.rec = v.rec")
        self.assertEqual(evidence, [("court",)])

    def test_a_withdrawal_imported_last_withdraws_the_fact(self):
        self.load(self.two_penalties(), "platform")
        withdrawn = [row + ["withdrawn"] for row in self.two_penalties()]
        path = self.write("court.csv", HEADER.rstrip("\n") + ",status\n" +
                          "".join(",".join(r) + "\n" for r in withdrawn))
        self.run_tool("rbl-import", "--source", "court", path, check=0)
        self.assertEqual(self.adjudicate("2026-09-24")["created"], 0)


if __name__ == "__main__":
    rbltest.main()
