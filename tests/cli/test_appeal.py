"""End-to-end tests of rbl-appeal and rbl-audit (SPEC.md §5, §7): the full life of an entry with
objections and credit repair, over the shipped 2026 holiday calendar, with the database and the
audit log checked against each other at every step."""

import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402

# A black list with 5 working days of notice, 5 of publicity, 5 to decide an objection, and
# repair after 6 months; a red list that allows no repair.
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
    procedure: { notice_days: 5, publicity_days: 5, appeal_days: 5 }
    repair: { allowed: true, after: 6m }
  - id: market.red.good
    kind: red
    title: Good standing
    title_zh: 守信名单
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: award, within: 1y }
    validity: 1y
    procedure: { appeal_days: 5 }
"""

BLACK = "market.black.serious"




class AppealCase(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": TEST_RULES})

    def load(self, rows, name="in.csv"):
        text = "record_id,subject_id,subject_name,domain,kind,date,severity\n"
        text += "".join(",".join(row) + "\n" for row in rows)
        self.run_tool("rbl-import", self.write(name, text), env={"RBL_TODAY": "2026-09-20"},
                      check=0)

    def listed_subject(self, n=1, as_of="2026-09-24"):
        self.load([[f"P{n}a", uscc(n), f"公司{n}", "market", "penalty", "2026-09-01", "serious"],
                   [f"P{n}b", uscc(n), f"公司{n}", "market", "penalty", "2026-09-02", "serious"]],
                  f"s{n}.csv")
        self.adjudicate(as_of)
        return self.scalar("SELECT max(entry_id) FROM entries")

    def adjudicate(self, as_of, *args):
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", as_of, *args,
                               env={"RBL_TODAY": as_of}, check=0)
        return json.loads(result.stdout)

    def appeal(self, today, *args, check=0):
        return self.run_tool("rbl-appeal", *args, env={"RBL_TODAY": today}, check=check)

    def entry(self, entry_id):
        row = self.sql("SELECT status, notice_until, publicity_until, effective_from, expires_on, "
                       "ended_on, end_reason, disputed FROM entries WHERE entry_id = ?",
                       (entry_id,))[0]
        keys = ("status", "notice_until", "publicity_until", "effective_from", "expires_on",
                "ended_on", "end_reason", "disputed")
        return dict(zip(keys, row))

    def assert_db_and_audit_agree(self, entry_id):
        """The chain verifies, and the last audit row about the entry states its stored status
        and disputed flag."""
        verify = self.run_tool("rbl-audit", "verify", "--json", check=0)
        self.assertTrue(json.loads(verify.stdout)["ok"])
        log = self.run_tool("rbl-audit", "log", "--json", "--object", f"entry:{entry_id}", check=0)
        rows = [json.loads(line) for line in log.stdout.splitlines()]
        self.assertTrue(rows)
        last = rows[-1]["details"]
        stored = self.entry(entry_id)
        self.assertEqual(last["status"], stored["status"])
        if "disputed" in last:
            self.assertEqual(last["disputed"], bool(stored["disputed"]))

    def audit_rows(self):
        return self.scalar("SELECT count(*) FROM audit_log")


class FullLife(AppealCase):
    def test_notice_objection_held_rejected_publicity_effective_disputed_repair(self):
        entry = self.listed_subject()
        # Decided Thu 2026-09-24. Notice: 09-25..27 are the Mid-Autumn holiday, 09-28..30 count,
        # 10-01..07 National Day, 10-08 and 10-09 count: notice to 10-09. Publicity: Sat 10-10 is
        # a make-up working day, then 10-12..15: publicity to 10-15, in force from 10-16.
        e = self.entry(entry)
        self.assertEqual((e["status"], e["notice_until"], e["publicity_until"],
                          e["effective_from"], e["expires_on"]),
                         ("notice", "2026-10-09", "2026-10-15", "2026-10-16", "2028-10-16"))
        self.assert_db_and_audit_agree(entry)

        # An objection received Mon 09-28: due 5 working days on (09-29, 09-30, 10-08, 10-09,
        # Sat 10-10).
        filed = self.appeal("2026-09-28", "file", entry, "--reason", "已全部缴纳罚款",
                            "--by", "subject", "--json")
        objection = json.loads(filed.stdout)
        self.assertEqual(objection["due_on"], "2026-10-10")
        self.assertEqual(self.entry(entry)["disputed"], 1)
        self.assert_db_and_audit_agree(entry)

        # Held: a run after the planned end of notice does not move it.
        summary = self.adjudicate("2026-10-12")
        self.assertEqual(summary["advanced"], 0)
        self.assertEqual(self.entry(entry)["status"], "notice")
        self.assert_db_and_audit_agree(entry)

        # Overdue since 10-10: the nightly reminder sees it.
        overdue = json.loads(self.appeal("2026-10-12", "list", "--overdue", "--json").stdout)
        self.assertEqual(overdue["overdue"], 1)
        self.assertEqual([a["appeal_id"] for a in overdue["appeals"]], [objection["appeal_id"]])
        self.assertTrue(overdue["appeals"][0]["overdue"])

        # Rejected on Tue 10-13: notice ends on the decision day (later than its planned 10-09),
        # publicity takes 5 working days after it (10-14..16, 10-19, 10-20).
        decided = self.appeal("2026-10-13", "decide", objection["appeal_id"], "--outcome",
                              "rejected", "--note", "处罚事实清楚", "--json")
        decision = json.loads(decided.stdout)
        self.assertEqual((decision["outcome"], decision["entry_status"]), ("rejected", "notice"))
        e = self.entry(entry)
        self.assertEqual((e["notice_until"], e["publicity_until"], e["effective_from"],
                          e["expires_on"], e["disputed"]),
                         ("2026-10-13", "2026-10-20", "2026-10-21", "2028-10-21", 0))
        self.assert_db_and_audit_agree(entry)
        nothing = json.loads(self.appeal("2026-10-13", "list", "--overdue", "--json").stdout)
        self.assertEqual(nothing["overdue"], 0)

        self.assertEqual(self.adjudicate("2026-10-14")["advanced"], 1)
        self.assertEqual(self.entry(entry)["status"], "publicity")
        self.assert_db_and_audit_agree(entry)
        self.assertEqual(self.adjudicate("2026-10-21")["advanced"], 1)
        self.assertEqual(self.entry(entry)["status"], "effective")
        self.assert_db_and_audit_agree(entry)

        # An objection to an effective entry: it stays in force, disputed.
        second = json.loads(self.appeal("2026-10-22", "file", entry, "--reason", "主体名称有误",
                                        "--json").stdout)
        self.assertEqual(self.entry(entry)["status"], "effective")
        self.assertEqual(self.entry(entry)["disputed"], 1)
        self.assert_db_and_audit_agree(entry)
        self.assertEqual(self.adjudicate("2026-10-23")["revoked"], 0)
        self.assertEqual(self.entry(entry)["status"], "effective")
        self.appeal("2026-10-26", "decide", second["appeal_id"], "--outcome", "rejected",
                    "--note", "名称已核实")
        self.assertEqual(self.entry(entry)["disputed"], 0)
        self.assert_db_and_audit_agree(entry)

        # Repair too early: refused with the date from which it will be allowed; nothing written.
        before = self.audit_rows()
        early = self.appeal("2026-11-02", "repair", entry, "--reason", "已整改", check=2)
        self.assertIn("will be allowed from 2027-04-21", early.stderr)
        self.assertEqual(self.audit_rows(), before)
        self.assertEqual(self.scalar("SELECT count(*) FROM appeals"), 2)

        # Repair once allowed, and granted.
        repair = json.loads(self.appeal("2027-04-21", "repair", entry, "--reason", "已整改并公开承诺",
                                        "--json").stdout)
        granted = json.loads(self.appeal("2027-04-26", "decide", repair["appeal_id"],
                                         "--outcome", "upheld", "--note", "整改到位",
                                         "--json").stdout)
        self.assertEqual(granted["entry_status"], "repaired")
        e = self.entry(entry)
        self.assertEqual((e["status"], e["ended_on"], e["end_reason"]),
                         ("repaired", "2027-04-26", "credit_repair"))
        self.assert_db_and_audit_agree(entry)

        # The same facts never list the subject again.
        self.assertEqual(self.adjudicate("2027-04-27")["created"], 0)

        # The whole story, in rbl-appeal show and rbl-adjudicate --explain.
        story = self.appeal("2027-04-27", "show", repair["appeal_id"], check=0).stdout
        self.assertIn("entry 1: repaired", story)
        self.assertIn("ended 2027-04-26 (credit repaired)", story)
        self.assertIn("rejected on 2026-10-13", story)
        self.assertIn("upheld on 2027-04-26", story)
        explain = self.run_tool("rbl-adjudicate", "--explain", uscc(1), "--as-of", "2027-04-27",
                                env={"RBL_TODAY": "2027-04-27"}, check=0).stdout
        self.assertIn("appeal 1 (objection) received 2026-09-28", explain)
        self.assertIn("appeal 3 (repair)", explain)

    def test_upheld_objection_withdraws_pending_and_revokes_effective(self):
        pending = self.listed_subject(1)
        filed = json.loads(self.appeal("2026-09-28", "file", pending, "--reason", "错误",
                                       "--json").stdout)
        decided = json.loads(self.appeal("2026-09-29", "decide", filed["appeal_id"], "--outcome",
                                         "upheld", "--note", "核实有误", "--json").stdout)
        self.assertEqual(decided["entry_status"], "withdrawn")
        self.assertEqual(self.entry(pending)["end_reason"], "objection_upheld")
        self.assert_db_and_audit_agree(pending)

        effective = self.listed_subject(2, as_of="2026-10-08")
        self.adjudicate("2026-11-02")
        self.assertEqual(self.entry(effective)["status"], "effective")
        filed = json.loads(self.appeal("2026-11-03", "file", effective, "--reason", "错误",
                                       "--json").stdout)
        self.appeal("2026-11-04", "decide", filed["appeal_id"], "--outcome", "upheld",
                    "--note", "核实有误")
        e = self.entry(effective)
        self.assertEqual((e["status"], e["ended_on"], e["end_reason"], e["disputed"]),
                         ("revoked", "2026-11-04", "objection_upheld", 0))
        self.assert_db_and_audit_agree(effective)

    def test_an_upheld_objection_is_not_undone_by_the_next_run(self):
        # Review finding: the withdrawn entry's facts were free again, so the next run listed the
        # subject anew on the very records the office had ruled out.
        entry = self.listed_subject()
        filed = json.loads(self.appeal("2026-09-28", "file", entry, "--reason", "错误",
                                       "--json").stdout)
        self.appeal("2026-09-29", "decide", filed["appeal_id"], "--outcome", "upheld",
                    "--note", "认定有误")
        self.assertEqual(self.adjudicate("2026-09-30")["created"], 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM entries"), 1)

    def test_an_entry_a_run_ends_is_no_longer_disputed(self):
        self.load([["P1a", uscc(1), "公司1", "market", "penalty", "2026-09-01", "serious"],
                   ["P1b", uscc(1), "公司1", "market", "penalty", "2026-09-02", "serious"]])
        self.adjudicate("2026-09-24")
        self.appeal("2026-09-28", "file", "1", "--reason", "错误")
        self.assertEqual(self.entry(1)["disputed"], 1)
        self.load([["P1b", uscc(1), "公司1", "market", "penalty", "2026-09-02", "minor"]],
                  "corrected.csv")
        self.assertEqual(self.adjudicate("2026-09-29")["withdrawn"], 1)
        self.assertEqual((self.entry(1)["status"], self.entry(1)["disputed"]), ("withdrawn", 0))
        decided = json.loads(self.appeal("2026-09-30", "decide", "1", "--outcome", "rejected",
                                         "--note", "已撤销", "--json").stdout)
        self.assertIn("changes nothing", decided["effect"])
        self.assert_db_and_audit_agree(1)

    def test_withdraw_records_retires_the_evidence_so_the_facts_never_list_again(self):
        entry = self.listed_subject(1)
        filed = json.loads(self.appeal("2026-09-28", "file", entry, "--reason", "处罚已撤销",
                                       "--json").stdout)
        decided = json.loads(self.appeal("2026-09-29", "decide", filed["appeal_id"], "--outcome",
                                         "upheld", "--withdraw-records", "--note", "复议撤销",
                                         "--json").stdout)
        self.assertEqual(sorted(decided["withdrawn_records"]), ["default/P1a", "default/P1b"])
        self.assertEqual(self.sql("SELECT DISTINCT status, withdrawn_by FROM records"),
                         [("withdrawn", "office")])
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE action = "
                                     "'record.withdrawn'"), 2)
        # The source sends the same file again: the records stay withdrawn, no new entry.
        self.load([["P1a", uscc(1), "公司1", "market", "penalty", "2026-09-01", "serious"],
                   ["P1b", uscc(1), "公司1", "market", "penalty", "2026-09-02", "serious"]],
                  "again.csv")
        self.assertEqual(self.adjudicate("2026-09-30")["created"], 0)

    def test_two_objections_hold_until_both_are_decided(self):
        entry = self.listed_subject()
        first = json.loads(self.appeal("2026-09-28", "file", entry, "--reason", "a",
                                       "--json").stdout)
        second = json.loads(self.appeal("2026-09-29", "file", entry, "--reason", "b",
                                        "--json").stdout)
        self.appeal("2026-10-12", "decide", first["appeal_id"], "--outcome", "rejected",
                    "--note", "x")
        self.assertEqual(self.entry(entry)["disputed"], 1)
        self.assertEqual(self.adjudicate("2026-10-13")["advanced"], 0)
        self.appeal("2026-10-14", "decide", second["appeal_id"], "--outcome", "rejected",
                    "--note", "y")
        e = self.entry(entry)
        self.assertEqual((e["disputed"], e["notice_until"]), (0, "2026-10-14"))
        self.assert_db_and_audit_agree(entry)


class BadAppeals(AppealCase):
    def assert_refused(self, today, *args, message):
        before = (self.audit_rows(), self.sql("SELECT * FROM appeals"),
                  self.sql("SELECT * FROM entries"))
        result = self.appeal(today, *args, check=2)
        self.assertIn(message, result.stderr)
        self.assertTrue(result.stderr.startswith("rbl-appeal: error: "), result.stderr)
        self.assertEqual((self.audit_rows(), self.sql("SELECT * FROM appeals"),
                          self.sql("SELECT * FROM entries")), before)

    def test_bad_requests_are_refused_and_change_nothing(self):
        entry = self.listed_subject()
        self.assert_refused("2026-09-28", "file", "99", "--reason", "x",
                            message="there is no entry 99")
        self.assert_refused("2026-09-28", "decide", "7", "--outcome", "upheld", "--note", "x",
                            message="there is no appeal 7")
        self.assert_refused("2026-09-28", "file", entry, "--reason", "x", "--received",
                            "2026-09-01", message="precedes entry 1's decision date 2026-09-24")
        self.assert_refused("2026-09-28", "file", entry, "--reason", "x", "--received",
                            "2026-09-29", message="lies after today")
        self.assert_refused("2026-09-28", "repair", entry, "--reason", "x",
                            message="not in force yet")
        filed = json.loads(self.appeal("2026-09-28", "file", entry, "--reason", "x",
                                       "--json").stdout)
        appeal_id = str(filed["appeal_id"])
        self.assert_refused("2026-09-29", "decide", appeal_id, "--outcome", "rejected",
                            "--withdraw-records", "--note", "x",
                            message="--withdraw-records goes with --outcome upheld")
        self.assert_refused("2026-09-29", "decide", appeal_id, "--outcome", "rejected",
                            "--note", "x", "--date", "2026-09-27",
                            message="precedes appeal 1's receipt")
        self.assert_refused("2026-09-29", "decide", appeal_id, "--outcome", "maybe",
                            "--note", "x", message="--outcome")
        self.appeal("2026-09-29", "decide", appeal_id, "--outcome", "upheld", "--note", "ok")
        self.assert_refused("2026-09-30", "decide", appeal_id, "--outcome", "rejected",
                            "--note", "x", message="already decided: upheld on 2026-09-29")
        # The entry has ended (withdrawn): no appeal against it.
        self.assert_refused("2026-09-30", "file", entry, "--reason", "x",
                            message="has ended: withdrawn on 2026-09-29")

    def test_empty_reason_or_note_and_invalid_rules_are_refused(self):
        entry = self.listed_subject()
        self.assert_refused("2026-09-28", "file", entry, "--reason", "  ",
                            message="--reason may not be empty")
        filed = json.loads(self.appeal("2026-09-28", "file", entry, "--reason", "x",
                                       "--json").stdout)
        self.assert_refused("2026-09-28", "decide", filed["appeal_id"], "--outcome", "rejected",
                            "--note", "", message="--note may not be empty")
        rules = Path(self.env["RBL_RULES"])
        with open(rules / "market.yaml", "a", encoding="utf-8") as f:
            f.write("bogus_key: 1\n")
        self.assert_refused("2026-09-28", "file", entry, "--reason", "x", message="bogus_key")

    def test_repair_of_a_pending_entry_names_the_date_it_will_be_allowed(self):
        entry = self.listed_subject()  # in force from 2026-10-16, repair after 6m
        self.assert_refused("2026-09-28", "repair", entry, "--reason", "x",
                            message="it will be allowed from 2027-04-16")

    def test_repair_refused_where_the_list_allows_none(self):
        self.load([["A1", uscc(5), "红", "market", "award", "2026-09-01", ""]], "award.csv")
        self.adjudicate("2026-09-24")
        entry = self.scalar("SELECT entry_id FROM entries WHERE list_id = 'market.red.good'")
        self.assert_refused("2026-09-28", "repair", entry, "--reason", "x",
                            message="allows no credit repair")

    def test_no_database_is_a_usage_error(self):
        result = self.appeal("2026-09-28", "list", check=2)
        self.assertIn("does not exist", result.stderr)


class Reminders(AppealCase):
    def test_adjudicate_lists_entries_about_to_expire(self):
        entry = self.listed_subject()
        self.adjudicate("2026-10-16")
        summary = self.adjudicate("2028-09-20", "--notify-days", "30")
        self.assertEqual([e["entry_id"] for e in summary["expiring"]], [entry])
        self.assertEqual(summary["expiring"][0]["expires_on"], "2028-10-16")
        self.assertEqual(self.adjudicate("2028-09-20", "--notify-days", "20")["expiring"], [])
        other = self.adjudicate("2028-09-20", "--domain", "market")["expiring"]
        self.assertEqual([e["entry_id"] for e in other], [entry])


class Audit(AppealCase):
    def test_verify_names_the_row_edited_with_the_sqlite3_shell(self):
        self.listed_subject()
        ok = self.run_tool("rbl-audit", "verify", "--json", check=0)
        self.assertEqual(json.loads(ok.stdout)["first_bad"], None)
        rows = json.loads(ok.stdout)["rows"]
        self.assertEqual(rows, 3)  # import batch, entry created, run
        if rbltest.ON_POSTGRESQL:
            # Append-only for every role, the owner too: the server refuses the edit...
            import psycopg2
            with self.assertRaises(psycopg2.Error) as refused:
                self.sql("UPDATE audit_log SET operator = 'mallory' WHERE seq = 2")
            self.assertIn("append-only", str(refused.exception))
            # ...so a superuser who turns the guard off is the one who can, and verify sees it.
            self.sql("ALTER TABLE audit_log DISABLE TRIGGER audit_append_only; "
                     "UPDATE audit_log SET operator = 'mallory' WHERE seq = 2")
        else:
            subprocess.run(["sqlite3", str(self.db),
                            "UPDATE audit_log SET operator = 'mallory' WHERE seq = 2"],
                           check=True)
        bad = self.run_tool("rbl-audit", "verify", "--json", check=1)
        self.assertEqual(json.loads(bad.stdout)["first_bad"], 2)
        self.assertFalse(json.loads(bad.stdout)["ok"])
        self.assertIn("row 2", bad.stderr)

    def test_log_filters_by_object_action_operator_and_since(self):
        entry = self.listed_subject()
        self.appeal("2026-09-28", "file", entry, "--reason", "x", "--operator", "clerk")
        by_action = self.run_tool("rbl-audit", "log", "--json", "--action", "appeal", check=0)
        actions = [json.loads(line)["action"] for line in by_action.stdout.splitlines()]
        self.assertEqual(actions, ["appeal.filed"])
        by_operator = self.run_tool("rbl-audit", "log", "--json", "--operator", "clerk", check=0)
        rows = [json.loads(line) for line in by_operator.stdout.splitlines()]
        self.assertEqual([r["action"] for r in rows], ["appeal.filed", "entry.held"])
        self.assertTrue(all(r["tool"] == "rbl-appeal" for r in rows))
        last = rows[-1]["seq"]
        since = self.run_tool("rbl-audit", "log", "--json", "--since", last - 1, check=0)
        self.assertEqual([json.loads(l)["seq"] for l in since.stdout.splitlines()], [last])
        by_object = self.run_tool("rbl-audit", "log", "--object", f"entry:{entry}", check=0)
        lines = by_object.stdout.splitlines()
        self.assertEqual(len(lines), 3)  # the header, created, held
        self.assertTrue(lines[0].split()[:2] == ["seq", "at"], lines[0])


if __name__ == "__main__":
    rbltest.main()
