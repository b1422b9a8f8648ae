"""End-to-end tests of terms counted from the facts, open-ended terms, extensions read from the
evidence and `age` (docs/RULES.md `term:`; SPEC.md §4): what rbl-adjudicate makes of them, what the
exports, rbl-check and histories show, and what rbl-rules refuses."""

import csv
import datetime
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, SOURCE_DIR, ToolTestCase  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

COURTS = """domain: courts
title: Courts
title_zh: 法院执行
version: "t1"
attributes:
  circumstance: text
  case_no: text
  extension: text
lists:
  - id: courts.black.debtor
    kind: black
    title: Dishonest judgment debtors
    title_zh: 失信被执行人名单
    basis: 法释〔2017〕7号第一条、第二条
    authority: 人民法院
    criteria:
      all:
        - any:
            - exists: { kind: court_default, where: "circumstance == 'refuse_perform'" }
            - exists: { kind: court_default, within: 5y, where: "circumstance == 'evade'" }
        - subject: "subject_type != 'natural_person' or age >= 18"
    lift:
      all:
        - exists: { kind: performed }
        - count: { kind: court_default }
          at_most: 1
    term:
      from: evidence
      length: 2y
      add: { attribute: extension, default: 0d }
      open_when: "circumstance == 'refuse_perform'"
    procedure: { appeal_days: 10 }
    repair: { allowed: true, after: 0d }
    measures:
      - { id: restrict_exit, text_zh: 依法限制出境, departments: [江苏省公安厅] }
"""

EVADER = uscc(1)        # evade 2025-01-10: 2 years from the decision
EXTENDED = uscc(2)      # evade 2024-01-10 with the court's 1-year extension
RAN_OUT = uscc(3)       # evade 2024-05-31: its term ended 2026-05-31
REFUSER = uscc(4)       # refuse_perform 2019-03-01: no fixed term
PERFORMER = uscc(5)     # refuse_perform 2025-01-10, performed 2026-07-01
BAD_EXTENSION = uscc(6)  # evade 2025-02-01, extension "about a year"
MINOR = rbl_ids.make_resident_id("320102", datetime.date(2008, 6, 1), 123)
ADULT = rbl_ids.make_resident_id("320102", datetime.date(1990, 1, 1), 123)

ROWS = [
    ("C1", EVADER, "甲公司", "", "court_default", "2025-01-10", "evade", ""),
    ("C2", EXTENDED, "乙公司", "", "court_default", "2024-01-10", "evade", "1y"),
    ("C3", RAN_OUT, "丙公司", "", "court_default", "2024-05-31", "evade", ""),
    ("C4", REFUSER, "丁公司", "", "court_default", "2019-03-01", "refuse_perform", ""),
    ("C5", PERFORMER, "戊公司", "", "court_default", "2025-01-10", "refuse_perform", ""),
    ("P5", PERFORMER, "戊公司", "", "performed", "2026-07-01", "", ""),
    ("C6", BAD_EXTENSION, "己公司", "", "court_default", "2025-02-01", "evade", "about a year"),
    ("C7", MINOR, "小明", "natural_person", "court_default", "2026-05-20", "refuse_perform", ""),
    ("C8", ADULT, "王某", "natural_person", "court_default", "2026-05-20", "evade", ""),
]


class Terms(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"courts": COURTS})

    def load(self, rows):
        text = "record_id,subject_id,subject_name,subject_type,domain,kind,date,circumstance,extension\n"
        text += "".join(f"{r[0]},{r[1]},{r[2]},{r[3]},courts,{r[4]},{r[5]},{r[6]},{r[7]}\n"
                        for r in rows)
        self.run_tool("rbl-import", "-q", self.write("courts.csv", text), check=0)

    def adjudicate(self, as_of, *args):
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", as_of, *args,
                               env={"RBL_TODAY": as_of}, check=0)
        return json.loads(result.stdout), result.stderr

    def expiry(self):
        return {subject: (status, expires_on) for subject, status, expires_on in self.sql(
            "SELECT subject_id, status, expires_on FROM entries ORDER BY entry_id")}

    def test_terms_count_from_the_decision_whatever_day_the_run_happens(self):
        self.load(ROWS)
        _, stderr = self.adjudicate("2026-06-01")
        entries = self.expiry()
        self.assertEqual(entries[EVADER], ("effective", "2027-01-10"))
        self.assertEqual(entries[EXTENDED], ("effective", "2027-01-10"))  # 2y + the court's 1y
        self.assertNotIn(RAN_OUT, entries)  # its term ran out before the office acted
        self.assertEqual(entries[REFUSER], ("effective", ""))  # no fixed term
        self.assertEqual(entries[PERFORMER], ("effective", ""))
        self.assertEqual(entries[BAD_EXTENSION], ("effective", "2027-02-01"))
        self.assertIn("record C6: extension 'about a year' is not a duration", stderr)
        self.assertNotIn(MINOR, entries)  # a minor on the 18th birthday
        self.assertEqual(entries[ADULT], ("effective", "2028-05-20"))
        explanation = self.scalar("SELECT explanation FROM entries WHERE subject_id = ?",
                                  (EXTENDED,))
        self.assertIn("term: 2y from C2 dated 2024-01-10, + extension 1y: expires 2027-01-10",
                      explanation)
        terms = json.loads(self.scalar("SELECT terms FROM entries WHERE subject_id = ?",
                                       (EVADER,)))
        self.assertIs(terms["expiry_fixed"], True)
        self.assertEqual(terms["term"], "from evidence, 2y, add extension (default 0d), open "
                                        "when circumstance == 'refuse_perform'")

        # The same records first adjudicated half a year later: the same expiry dates.
        self.use_database(self.other_database("later"))
        self.load(ROWS)
        self.adjudicate("2026-12-01")
        later = self.expiry()
        self.assertEqual(later[EVADER], ("effective", "2027-01-10"))
        self.assertEqual(later[ADULT], ("effective", "2028-05-20"))
        self.assertEqual(later[MINOR], ("effective", ""))  # of age since 2026-06-02

    def test_an_open_entry_ends_by_its_lift_and_an_anchored_one_expires_on_its_date(self):
        self.load([r for r in ROWS if r[0] != "P5"])
        self.adjudicate("2026-06-01")
        self.load([r for r in ROWS if r[0] == "P5"])
        summary, _ = self.adjudicate("2026-07-01")
        self.assertEqual(summary["lifted"], 1)
        status, ended, reason = self.sql("SELECT status, ended_on, end_reason FROM entries "
                                         "WHERE subject_id = ?", (PERFORMER,))[0]
        self.assertEqual((status, ended, reason), ("lifted", "2026-07-01", "lift_criteria_met"))
        self.adjudicate("2027-01-10")
        status, ended, reason = self.sql("SELECT status, ended_on, end_reason FROM entries "
                                         "WHERE subject_id = ?", (EVADER,))[0]
        self.assertEqual((status, ended, reason), ("expired", "2027-01-10", "validity_ended"))
        # The open-ended entry runs on: only lift, repair and revocation end it.
        self.assertEqual(self.expiry()[REFUSER], ("effective", ""))

    def test_the_minor_is_listed_by_the_incremental_run_the_day_after_the_18th_birthday(self):
        self.load(ROWS)
        self.adjudicate("2026-06-01")
        self.assertNotIn(MINOR, self.expiry())
        summary, _ = self.adjudicate("2026-06-02")
        self.assertEqual(summary.get("mode", "incremental"), "incremental")
        self.assertEqual(summary["created"], 1)
        self.assertEqual(self.expiry()[MINOR], ("effective", ""))
        self.assertIn("(age 18)", self.scalar("SELECT explanation FROM entries WHERE "
                                              "subject_id = ?", (MINOR,)))

    def test_exports_check_and_history_show_an_open_term_empty(self):
        self.load(ROWS)
        self.adjudicate("2026-06-01")
        out = self.dir / "black.csv"
        self.run_tool("rbl-publish", "--out", out, env={"RBL_TODAY": "2026-06-01"}, check=0)
        with open(out, encoding="utf-8", newline="") as f:
            rows = {r["subject_id"]: r for r in csv.DictReader(f)}
        self.assertEqual(rows[REFUSER]["expires_on"], "")
        self.assertEqual(rows[EVADER]["expires_on"], "2027-01-10")
        lines = self.run_tool("rbl-publish", "--format", "jsonl",
                              env={"RBL_TODAY": "2026-06-01"}, check=0).stdout.splitlines()
        by_subject = {o["subject_id"]: o for o in map(json.loads, lines)}
        self.assertIsNone(by_subject[REFUSER]["expires_on"])  # as ended_on: null when none
        self.assertEqual(by_subject[EVADER]["expires_on"], "2027-01-10")
        xlsx = self.dir / "black.xlsx"
        self.run_tool("rbl-publish", "--format", "xlsx", "--out", xlsx,
                      env={"RBL_TODAY": "2026-06-01"}, check=0)

        answer = json.loads(self.run_tool("rbl-check", "--json", REFUSER,
                                          env={"RBL_TODAY": "2026-06-01"}, check=0).stdout)
        self.assertIsNone(answer["subjects"][0]["entries"][0]["expires_on"])
        table = self.run_tool("rbl-check", REFUSER, env={"RBL_TODAY": "2026-06-01"},
                              check=0).stdout
        self.assertIn("effective", table)
        explain = self.run_tool("rbl-adjudicate", "--as-of", "2026-06-01", "--explain", REFUSER,
                                env={"RBL_TODAY": "2026-06-01"}, check=0).stdout
        self.assertIn("no fixed term", explain)
        for fmt in ("html", "pdf"):
            self.run_tool("rbl-publish", "subject-report", REFUSER, "--out",
                          self.dir / f"report.{fmt}", env={"RBL_TODAY": "2026-06-01"}, check=0)
        self.run_tool("rbl-publish", "report", "--out", self.dir / "report.html",
                      env={"RBL_TODAY": "2026-06-01"}, check=0)

    def test_a_repair_ends_an_open_entry_whose_history_says_no_fixed_term(self):
        self.load(ROWS)
        self.adjudicate("2026-06-01")
        entry = self.scalar("SELECT entry_id FROM entries WHERE subject_id = ?", (REFUSER,))
        repair = json.loads(self.run_tool("rbl-appeal", "repair", entry, "--reason", "已和解履行",
                                          "--received", "2026-06-01", "--json",
                                          env={"RBL_TODAY": "2026-06-01"}, check=0).stdout)
        shown = self.run_tool("rbl-appeal", "show", repair["appeal_id"],
                              env={"RBL_TODAY": "2026-06-01"}, check=0).stdout
        self.assertIn("no fixed term", shown)
        self.run_tool("rbl-appeal", "decide", repair["appeal_id"], "--outcome", "upheld",
                      "--note", "已核实", "--date", "2026-06-01",
                      env={"RBL_TODAY": "2026-06-01"}, check=0)
        self.assertEqual(self.expiry()[REFUSER], ("repaired", ""))


OLD_COURTS = COURTS.replace("""    term:
      from: evidence
      length: 2y
      add: { attribute: extension, default: 0d }
      open_when: "circumstance == 'refuse_perform'"
""", "    validity: 2y\n").replace('version: "t1"', 'version: "t0"')


class Upgrade(ToolTestCase):
    """Entries made under a `validity:` rule are not rewritten by a `term:` revision (SPEC §4):
    they run to their kept expiry; then the facts list again only where the new term still
    runs."""

    def test_old_entries_keep_their_terms_and_an_unperformed_refusal_is_listed_again(self):
        self.use_rules({"courts": OLD_COURTS})
        text = "record_id,subject_id,subject_name,domain,kind,date,circumstance\n"
        text += f"C1,{EVADER},甲公司,courts,court_default,2025-01-10,evade\n"
        text += f"C4,{REFUSER},丁公司,courts,court_default,2025-01-10,refuse_perform\n"
        self.run_tool("rbl-import", "-q", self.write("courts.csv", text), check=0)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", "2025-06-01",
                      env={"RBL_TODAY": "2025-06-01"}, check=0)
        before = self.sql("SELECT subject_id, expires_on, terms FROM entries ORDER BY entry_id")
        self.assertEqual([(r[0], r[1]) for r in before],
                         [(EVADER, "2027-06-01"), (REFUSER, "2027-06-01")])

        (self.dir / "rules" / "courts.yaml").write_text(COURTS, encoding="utf-8")
        self.run_tool("rbl-adjudicate", "-q", "--as-of", "2026-06-01",
                      env={"RBL_TODAY": "2026-06-01"}, check=0)
        # Not rewritten: the same expiry and the same kept terms.
        self.assertEqual(self.sql("SELECT subject_id, expires_on, terms FROM entries "
                                  "ORDER BY entry_id"), before)

        self.run_tool("rbl-adjudicate", "-q", "--as-of", "2027-06-01",
                      env={"RBL_TODAY": "2027-06-01"}, check=0)
        rows = self.sql("SELECT subject_id, status, decided_on, expires_on, end_reason "
                        "FROM entries ORDER BY entry_id")
        self.assertEqual(rows, [
            (EVADER, "expired", "2025-06-01", "2027-06-01", "validity_ended"),
            (REFUSER, "expired", "2025-06-01", "2027-06-01", "validity_ended"),
            # The refusal was never performed: under the new rule it has no fixed term.
            (REFUSER, "effective", "2027-06-01", "", None),
        ])  # the evasion's 2 years from 2025-01-10 ran out: not listed again


LINKED_COURTS = COURTS.replace("""    lift:
      all:
        - exists: { kind: performed }
        - count: { kind: court_default }
          at_most: 1
""", """    lift:
      linked: { kind: performed, on: case_no }
""").replace('version: "t1"', 'version: "t2"')

TWO_CASES = uscc(7)   # refuse_perform in two cases, performed one after the other
LATE_CASE = uscc(8)   # listed on one case; a second finding comes with the first one's performance


class LinkedLift(ToolTestCase):
    """`linked:` (docs/RULES.md): a lift holds when every finding of the entry is answered by a
    `performed` record of the same `case_no`; incremental runs see each new performance."""

    def setUp(self):
        super().setUp()
        self.use_rules({"courts": LINKED_COURTS})

    def load(self, name, rows):
        text = "record_id,subject_id,subject_name,domain,kind,date,circumstance,case_no\n"
        text += "".join(f"{r[0]},{r[1]},{r[2]},courts,{r[3]},{r[4]},{r[5]},{r[6]}\n"
                        for r in rows)
        self.run_tool("rbl-import", "-q", self.write(name, text), check=0)

    def adjudicate(self, as_of):
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", as_of,
                               env={"RBL_TODAY": as_of}, check=0)
        return json.loads(result.stdout)

    def entries(self, subject):
        return self.sql("SELECT status, ended_on, end_reason FROM entries WHERE subject_id = ? "
                        "ORDER BY entry_id", (subject,))

    def test_paying_one_of_two_findings_keeps_the_debtor_listed_paying_both_lifts(self):
        self.load("findings.csv", [
            ("L1", TWO_CASES, "庚公司", "court_default", "2025-01-10", "refuse_perform", "(2025)苏01执11号"),
            ("L2", TWO_CASES, "庚公司", "court_default", "2025-04-20", "refuse_perform", "(2025)苏01执37号"),
            ("L3", LATE_CASE, "辛公司", "court_default", "2025-02-01", "refuse_perform", "(2025)苏01执50号"),
        ])
        self.adjudicate("2026-06-01")
        self.assertEqual(self.entries(TWO_CASES), [("effective", None, None)])
        self.assertEqual(self.entries(LATE_CASE), [("effective", None, None)])

        # One case performed; a second finding against the other debtor, with its first case's
        # performance: both stay listed, in an incremental run.
        self.load("first.csv", [
            ("P1", TWO_CASES, "庚公司", "performed", "2026-06-10", "", "(2025)苏01执11号"),
            ("L4", LATE_CASE, "辛公司", "court_default", "2026-06-05", "refuse_perform", "(2026)苏01执7号"),
            ("P3", LATE_CASE, "辛公司", "performed", "2026-06-10", "", "(2025)苏01执50号"),
        ])
        summary = self.adjudicate("2026-06-15")
        self.assertEqual(summary.get("mode", "incremental"), "incremental")
        self.assertEqual(summary["lifted"], 0)
        self.assertEqual(summary["created"], 0)  # L4 is no new entry: the debtor is on the list
        self.assertEqual(self.entries(TWO_CASES), [("effective", None, None)])
        self.assertEqual(self.entries(LATE_CASE), [("effective", None, None)])

        # The second case performed: lifted by the next incremental run.
        self.load("second.csv", [
            ("P2", TWO_CASES, "庚公司", "performed", "2026-07-01", "", "(2025)苏01执37号"),
        ])
        summary = self.adjudicate("2026-07-01")
        self.assertEqual(summary.get("mode", "incremental"), "incremental")
        self.assertEqual(summary["lifted"], 1)
        self.assertEqual(self.entries(TWO_CASES),
                         [("lifted", "2026-07-01", "lift_criteria_met")])
        self.assertEqual(self.entries(LATE_CASE), [("effective", None, None)])
        doc = self.run_tool("rbl-rules", "doc", check=0).stdout
        self.assertIn("every finding is answered by", doc)

    def test_a_link_in_the_criteria_or_to_an_undeclared_attribute_is_refused(self):
        in_criteria = LINKED_COURTS.replace(
            "        - subject: \"subject_type != 'natural_person' or age >= 18\"\n",
            "        - linked: { kind: performed, on: case_no }\n")
        (self.dir / "rules" / "courts.yaml").write_text(in_criteria, encoding="utf-8")
        stderr = self.run_tool("rbl-rules", "check", check=2).stderr
        self.assertIn("courts.yaml:21:19: linked belongs in lift", stderr)
        (self.dir / "rules" / "courts.yaml").write_text(
            LINKED_COURTS.replace("on: case_no", "on: case"), encoding="utf-8")
        stderr = self.run_tool("rbl-rules", "check", check=2).stderr
        self.assertIn("courts.yaml:23:38: on: 'case' is not an attribute declared in domain "
                      "courts", stderr)


class BadTerms(ToolTestCase):
    def check_rules(self, text):
        if "RBL_RULES" in self.env and Path(self.env["RBL_RULES"]) == self.dir / "rules":
            (self.dir / "rules" / "courts.yaml").write_text(text, encoding="utf-8")
        else:
            self.use_rules({"courts": text})
        return self.run_tool("rbl-rules", "check", check=2).stderr

    def test_unknown_keys_and_bad_values_name_file_line_and_column(self):
        bad = COURTS.replace("      from: evidence\n", "      from: decision\n      since: 1y\n")
        stderr = self.check_rules(bad)
        self.assertIn("courts.yaml:28:13: term from 'decision' is not evidence or effective",
                      stderr)
        self.assertIn("courts.yaml:29:7: unknown key 'since'", stderr)
        stderr = self.check_rules(COURTS.replace("attribute: extension", "attribute: case_number"))
        self.assertIn("courts.yaml:30:25: add attribute 'case_number' is not a text attribute of "
                      "courts", stderr)
        stderr = self.check_rules(COURTS.replace("length: 2y", "length: two years"))
        self.assertIn("courts.yaml:29:15: term length", stderr)

    def test_an_open_term_without_lift_and_a_term_beside_validity_are_refused(self):
        no_lift = COURTS.split("    lift:\n")[0] + "    term:\n" + COURTS.split("    term:\n")[1]
        self.assertIn("an open-ended term needs lift criteria", self.check_rules(no_lift))
        both = COURTS.replace("    term:\n", "    validity: 2y\n    term:\n")
        self.assertIn("give either validity or term, not both", self.check_rules(both))


if __name__ == "__main__":
    rbltest.main()
