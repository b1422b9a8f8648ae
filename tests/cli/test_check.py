"""End-to-end tests of rbl-check (SPEC.md §9) and rbl-audit lookups: subjects in force, pending,
disputed, ended, unknown and with a bad check character; a department's measures; the file mode
with good and bad lines; exit codes; the lookup log; and that a check never waits for a writer."""

import csv
import io
import json
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402

RULES = """domain: market
title: Market
title_zh: 市场
version: "t1"
lists:
  - id: market.black.serious
    kind: black
    title: Serious violators
    title_zh: 严重违法失信名单
    basis: 测试依据
    authority: 测试局
    criteria:
      count: { kind: penalty, within: 1y }
      at_least: 2
    validity: 2y
    procedure: { appeal_days: 5 }
    measures:
      - { id: procurement, text_zh: 限制参与政府采购, departments: [省财政厅, 省发改委] }
      - { id: credit, text_zh: 从严审核信贷, departments: [金融监管局] }
  - id: market.black.courts
    kind: black
    title: Court defaulters
    title_zh: 失信被执行人
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: court_default, within: 1y }
    validity: 1y
    procedure: { notice_days: 5, publicity_days: 5, appeal_days: 5 }
    measures:
      - { id: bidding, text_zh: 限制招投标, departments: [省发改委] }
  - id: market.red.good
    kind: red
    title: Good standing
    title_zh: 守信激励名单
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: award, within: 1y }
    validity: 1y
    measures:
      - { id: fast_track, text_zh: 绿色通道, departments: [省发改委] }
"""

AS_OF = "2026-11-20"
LISTED, PENDING, DISPUTED, ENDED, RED, UNKNOWN = (uscc(n) for n in (1, 2, 3, 4, 9, 5))
# A right identifier with its check character changed.
BAD = uscc(6)[:-1] + ("0" if uscc(6)[-1] != "0" else "1")


class CheckCase(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": RULES})
        self.env["RBL_TODAY"] = AS_OF
        rows = [["P1", LISTED, "甲公司", "penalty"], ["P2", LISTED, "甲公司", "penalty"],
                ["C1", PENDING, "乙公司", "court_default"],
                ["C2", DISPUTED, "丙公司", "court_default"],
                ["P3", ENDED, "丁公司", "penalty"], ["P4", ENDED, "丁公司", "penalty"],
                ["A1", RED, "戊公司", "award"]]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["record_id", "subject_id", "subject_name", "domain", "kind", "date"])
        writer.writerows([r[:3] + ["market", r[3], "2026-10-01"] for r in rows])
        self.run_tool("rbl-import", "-q", self.write("in.csv", out.getvalue()), check=0)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", AS_OF, check=0)
        self.run_tool("rbl-appeal", "file", self.entry_of(DISPUTED), "--reason", "不是我们", check=0)
        filed = json.loads(self.run_tool("rbl-appeal", "file", self.entry_of(ENDED), "--reason",
                                         "错误", "--json", check=0).stdout)
        self.run_tool("rbl-appeal", "decide", filed["appeal_id"], "--outcome", "upheld",
                      "--note", "认定有误", check=0)

    def entry_of(self, subject):
        return self.scalar("SELECT entry_id FROM entries WHERE subject_id = ?", (subject,))

    def check(self, *args, check=0):
        return self.run_tool("rbl-check", *args, check=check)

    def check_json(self, *args, check=0):
        return json.loads(self.check("--json", *args, check=check).stdout)

    def lookups(self):
        return self.sql("SELECT operator, department, subject_id, outcome, entries FROM lookups "
                        "ORDER BY lookup_id")


class Answers(CheckCase):
    def test_every_kind_of_subject_is_answered(self):
        result = self.check_json(LISTED, PENDING, DISPUTED, ENDED, RED, UNKNOWN, BAD)
        by_id = {s["subject_id"]: s for s in result["subjects"]}
        self.assertEqual([s["subject_id"] for s in result["subjects"]],
                         [LISTED, PENDING, DISPUTED, ENDED, RED, UNKNOWN, BAD])
        listed = by_id[LISTED]
        self.assertEqual((listed["result"], listed["subject_name"], listed["subject_type"]),
                         ("found", "甲公司", "legal_person"))
        self.assertIs(listed["listed_black"], True)
        self.assertIs(listed["listed_red"], False)
        [entry] = listed["entries"]
        self.assertEqual((entry["list_id"], entry["kind"], entry["status"], entry["disputed"]),
                         ("market.black.serious", "black", "effective", False))
        self.assertEqual((entry["effective_from"], entry["expires_on"]),
                         ("2026-11-20", "2028-11-20"))
        self.assertEqual(entry["list_title_zh"], "严重违法失信名单")
        # Without --department: every measure with its departments.
        self.assertEqual(entry["measures"], [
            {"id": "procurement", "text_zh": "限制参与政府采购", "departments": ["省财政厅", "省发改委"]},
            {"id": "credit", "text_zh": "从严审核信贷", "departments": ["金融监管局"]}])
        pending = by_id[PENDING]
        self.assertEqual([e["status"] for e in pending["entries"]], ["notice"])
        self.assertIs(pending["listed_black"], False)
        self.assertIs(pending["entries"][0]["disputed"], False)
        self.assertIs(by_id[DISPUTED]["entries"][0]["disputed"], True)
        # The upheld objection revoked the entry: nothing stands.
        self.assertEqual(by_id[ENDED]["result"], "found")
        self.assertEqual(by_id[ENDED]["entries"], [])
        self.assertIs(by_id[ENDED]["listed_black"], False)
        self.assertIs(by_id[RED]["listed_red"], True)
        self.assertEqual(by_id[UNKNOWN]["result"], "unknown")
        self.assertIsNone(by_id[UNKNOWN]["subject_name"])
        self.assertEqual(by_id[BAD]["result"], "invalid")
        self.assertIn("check character", by_id[BAD]["reason"])
        self.assertEqual((result["checked"], result["found"], result["unknown"],
                          result["invalid"]), (7, 5, 1, 1))
        self.assertIs(result["logged"], True)

    def test_a_department_gets_the_measures_it_must_apply(self):
        result = self.check_json("--department", "金融监管局", LISTED, PENDING)
        listed, pending = result["subjects"]
        self.assertEqual(result["department"], "金融监管局")
        self.assertEqual(listed["entries"][0]["measures"], [{"id": "credit",
                                                              "text_zh": "从严审核信贷"}])
        self.assertEqual(pending["entries"][0]["measures"], [])
        both = self.check_json("--department", "省发改委", LISTED)["subjects"][0]
        self.assertEqual([m["id"] for m in both["entries"][0]["measures"]], ["procurement"])

    def test_a_readable_table_for_staff(self):
        table = self.check("--department", "省财政厅", LISTED, BAD).stdout
        lines = table.splitlines()
        self.assertTrue(lines[0].startswith("subject_id"))
        listed = next(line for line in lines if line.startswith(LISTED))
        for text in ("甲公司", "market.black.serious", "effective", "procurement 限制参与政府采购"):
            self.assertIn(text, listed)
        self.assertIn("invalid: ", next(line for line in lines if line.startswith(BAD)))
        # Columns line up by display width, Chinese names included.
        self.assertEqual(rbltest.display_width(lines[1][:lines[1].index("found")]),
                         rbltest.display_width(lines[0][:lines[0].index("result")]))

    def test_rbl_check_runs_from_the_front_command(self):
        front = self.run_tool("rbl", "check", "--json", LISTED, check=0)
        self.assertIs(json.loads(front.stdout)["subjects"][0]["listed_black"], True)

    def test_an_earlier_day(self):
        before = self.check_json("--as-of", "2026-11-19", LISTED)["subjects"][0]
        self.assertEqual(before["entries"], [])
        self.check("--as-of", "2026-11-21", LISTED, check=2)  # after today


class ExitCodes(CheckCase):
    def test_exit_2_only_when_no_identifier_was_valid(self):
        self.check(BAD, UNKNOWN, check=0)
        result = self.check("--json", BAD, "12345", check=2)
        self.assertEqual([s["result"] for s in json.loads(result.stdout)["subjects"]],
                         ["invalid", "invalid"])
        self.check(check=2)  # nothing to check
        self.check("--file", self.write("ids.txt", LISTED + "\n"), LISTED, check=2)
        missing = self.check("--db", self.dir / "none.db", LISTED, check=2)
        self.assertIn("does not exist", missing.stderr)


class Files(CheckCase):
    def test_a_csv_file_with_good_and_bad_lines_to_jsonl(self):
        ids = self.write("applicants.csv", f"name,subject_id\n甲,{LISTED}\n乙,{BAD}\n\n"
                                           f"丙,{UNKNOWN.lower()}\n丁, {PENDING} \n")
        out = self.dir / "answers.jsonl"
        summary = self.check_json("--file", ids, "--out", out, "--department", "省发改委")
        answers = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        self.assertEqual([(a["line"], a["result"]) for a in answers],
                         [(2, "found"), (3, "invalid"), (5, "unknown"), (6, "found")])
        self.assertEqual(answers[2]["subject_id"], UNKNOWN)
        self.assertEqual(answers[3]["entries"][0]["measures"][0]["id"], "bidding")
        self.assertEqual((summary["checked"], summary["invalid"], summary["out"]),
                         (4, 1, str(out)))
        self.assertEqual(len(self.lookups()), 4)

    def test_one_identifier_a_line_to_csv_on_stdout(self):
        ids = self.write("ids.txt", f"{LISTED}\n=1+1\n{RED}\n")
        rows = list(csv.DictReader(io.StringIO(self.check("--file", ids, "--format",
                                                          "csv").stdout)))
        self.assertEqual([(r["line"], r["result"]) for r in rows],
                         [("1", "found"), ("2", "invalid"), ("3", "found")])
        self.assertEqual(rows[0]["entries"], "market.black.serious:effective")
        self.assertEqual(rows[0]["measures"], "procurement;credit")
        self.assertEqual(rows[0]["listed_black"], "true")
        self.assertEqual(rows[1]["subject_id"], "'=1+1")  # never a formula
        self.assertEqual(rows[2]["listed_red"], "true")
        self.assertTrue(rows[0]["lookup_id"].isdigit())

    def test_a_file_of_bad_lines_only_exits_2(self):
        self.check("--file", self.write("bad.txt", f"{BAD}\nnonsense\n"), check=2)
        self.check("--file", self.dir / "missing.txt", check=2)


class LookupLog(CheckCase):
    def test_each_check_is_logged_and_listed_by_rbl_audit(self):
        self.check("--operator", "窗口A", "--department", "省财政厅", LISTED, BAD)
        self.check("--operator", "窗口B", PENDING)
        self.assertEqual(self.lookups(), [
            ("窗口A", "省财政厅", LISTED, "found", f"[{self.entry_of(LISTED)}]"),
            ("窗口A", "省财政厅", BAD, "invalid", "[]"),
            ("窗口B", None, PENDING, "found", f"[{self.entry_of(PENDING)}]")])
        # Not in the audit chain, which is for changes.
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE tool = 'rbl-check'"), 0)
        listed = json.loads(self.run_tool("rbl-audit", "lookups", "--json", check=0).stdout)
        self.assertEqual(listed["count"], 3)
        self.assertEqual([(l["operator"], l["subject_id"], l["result"]) for l in listed["lookups"]],
                         [("窗口A", LISTED, "found"), ("窗口A", BAD, "invalid"),
                          ("窗口B", PENDING, "found")])
        self.assertEqual(listed["lookups"][0]["entries"], [self.entry_of(LISTED)])
        mine = json.loads(self.run_tool("rbl-audit", "lookups", "--json", "--department",
                                        "省财政厅", check=0).stdout)
        self.assertEqual(mine["count"], 2)
        table = self.run_tool("rbl-audit", "lookups", check=0).stdout
        self.assertIn("+08:00", table)
        self.assertIn(LISTED, table)

    def test_since_a_day(self):
        self.check(LISTED)
        self.sql_write("INSERT INTO lookups (at, operator, login, subject_id, outcome, as_of) "
                       "VALUES ('2026-10-31T15:59:59Z', 'old', 'old', ?, 'found', '2026-10-31')",
                       (LISTED,))
        since = json.loads(self.run_tool("rbl-audit", "lookups", "--json", "--since",
                                         "2026-11-01", check=0).stdout)
        self.assertEqual([l["operator"] for l in since["lookups"]], ["tester"])
        self.run_tool("rbl-audit", "lookups", "--since", "2026-11-21", check=2)

    def sql_write(self, query, params=()):
        self.sql(query, params)

    @rbltest.sqlite_only("databases of schema version 4 exist only as SQLite files")
    def test_a_database_from_before_the_lookup_log(self):
        self.sql_write("DROP TABLE lookups")
        self.sql_write("DROP TABLE subject_reports")
        self.sql_write("PRAGMA user_version = 4")
        self.assertEqual(json.loads(self.run_tool("rbl-audit", "lookups", "--json",
                                                  check=0).stdout)["count"], 0)
        self.run_tool("rbl-publish", "--format", "jsonl", check=0)  # readers read it as it is
        self.assertIs(self.check_json(LISTED)["logged"], True)  # the log's writer migrates it
        self.assertEqual(len(self.lookups()), 1)


class NeverWaits(CheckCase):
    def test_a_check_answers_while_another_process_holds_the_write_lock(self):
        with rbltest.hold_write_lock(self):
            started = time.monotonic()
            result = self.check("--json", "--wait", "30", LISTED)
            elapsed = time.monotonic() - started
        answer = json.loads(result.stdout)
        self.assertIs(answer["subjects"][0]["listed_black"], True)
        # Answered, not logged, and said so; far from --wait's 30 s.
        self.assertIs(answer["logged"], False)
        self.assertIsNone(answer["subjects"][0]["lookup_id"])
        self.assertIn("not recorded in the lookup log", result.stderr)
        self.assertLess(elapsed, 10)
        self.assertEqual(self.lookups(), [])
        self.assertIs(self.check_json(LISTED)["logged"], True)

    @rbltest.sqlite_only("databases of schema version 4 exist only as SQLite files")
    def test_an_old_database_locked_by_a_writer_is_answered_read_only(self):
        # The lookup log's connection would migrate the schema first, which the writer's lock
        # forbids: the answers, read from the old schema as it is, still go out.
        self.sql("DROP TABLE lookups")
        self.sql("DROP TABLE subject_reports")
        self.sql("PRAGMA user_version = 4")
        with rbltest.hold_write_lock(self):
            result = self.check("--json", LISTED)
        answer = json.loads(result.stdout)
        self.assertIs(answer["subjects"][0]["listed_black"], True)
        self.assertIs(answer["logged"], False)
        self.assertIn("not recorded in the lookup log", result.stderr)
        self.assertEqual(self.scalar("PRAGMA user_version"), 4)


if __name__ == "__main__":
    rbltest.main()
