"""End-to-end tests of rbl-adjudicate (SPEC.md §4): life of entries, idempotency, exclusion."""

import json
import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import display_width, uscc, SAMPLES, SOURCE_DIR, ToolTestCase  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

# A black list with 5 working days of notice and a red list with 3 of publicity, over the
# shipped 2025-2026 calendar.
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
    lift:
      exists: { kind: rectified, within: 1y }
    validity: 1y
    procedure: { notice_days: 5, appeal_days: 5 }
    repair: { allowed: true, after: 6m }
    measures:
      - { id: procurement, text_zh: 限制参与政府采购, departments: [省财政厅] }
  - id: market.red.good
    kind: red
    title: Good standing
    title_zh: 守信名单
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: award, within: 1y }
    validity: 1y
    procedure: { publicity_days: 3 }
"""




class Lifecycle(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": TEST_RULES})

    def load(self, rows, name="in.csv"):
        text = "record_id,subject_id,subject_name,domain,kind,date,severity,status\n"
        text += "".join(",".join(row) + "\n" for row in rows)
        path = self.write(name, text)
        self.run_tool("rbl-import", path, check=0)

    def adjudicate(self, as_of, *args, check=0):
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", as_of, *args,
                               env={"RBL_TODAY": as_of}, check=check)
        return json.loads(result.stdout) if check == 0 and "--dry-run" not in args else result

    def entry(self, list_id="market.black.serious"):
        return self.sql("SELECT status, decided_on, notice_until, publicity_until, effective_from, "
                        "expires_on, ended_on, end_reason FROM entries WHERE list_id = ? "
                        "ORDER BY entry_id DESC LIMIT 1", (list_id,))[0]

    def test_notice_then_effective_then_expired_over_the_holiday_calendar(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-02-01", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-02-10", "serious", ""]])
        summary = self.adjudicate("2026-02-13")
        self.assertEqual(summary["created"], 1)
        self.assertEqual(summary["lists"]["market.black.serious"]["created"], 1)
        self.assertEqual(summary["lists"]["market.red.good"]["created"], 0)
        # Notice: 5 working days after Fri 2026-02-13: Sat 02-14 is a make-up working day, then
        # the Spring Festival holiday to 02-23, so 02-24..02-27.
        status, decided, notice_until, publicity_until, effective_from, expires_on, ended, _ = self.entry()
        self.assertEqual((status, decided, notice_until), ("notice", "2026-02-13", "2026-02-27"))
        self.assertIsNone(publicity_until)
        self.assertEqual((effective_from, expires_on), ("2026-02-28", "2027-02-28"))
        # Idempotent: the same run twice gives the same entries.
        again = self.adjudicate("2026-02-13")
        self.assertEqual(sum(again[k] for k in ("created", "advanced", "expired", "withdrawn",
                                                "revoked", "lifted")), 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM entries"), 1)
        self.assertEqual(self.adjudicate("2026-02-27")["advanced"], 0)
        self.assertEqual(self.adjudicate("2026-02-28")["advanced"], 1)
        self.assertEqual(self.entry()[0], "effective")
        summary = self.adjudicate("2027-02-28")
        self.assertEqual(summary["expired"], 1)
        self.assertEqual(self.entry()[0], "expired")
        self.assertEqual(self.entry()[6], "2027-02-28")
        # The same facts never list the subject twice.
        self.assertEqual(self.adjudicate("2027-02-28")["created"], 0)

    def test_ends_are_codes_in_the_database_and_exports_and_words_in_explain(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-02-01", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-02-10", "serious", ""]])
        self.adjudicate("2026-02-13")
        self.adjudicate("2027-02-28")
        self.assertEqual(self.entry()[7], "validity_ended")

        def exported_reason():
            lines = self.run_tool("rbl-publish", "--format", "jsonl", "--status", "all",
                                  env={"RBL_TODAY": "2027-02-28"}, check=0).stdout.splitlines()
            return [json.loads(line)["end_reason"] for line in lines]

        def explained():
            return self.run_tool("rbl-adjudicate", "--as-of", "2027-02-28", "--explain", uscc(1),
                                 env={"RBL_TODAY": "2027-02-28"}, check=0).stdout

        self.assertEqual(exported_reason(), ["validity_ended"])
        self.assertIn("ended 2027-02-28 (validity ran out)", explained())
        # A database of an earlier version stored prose: it reads as the code, unchanged.
        self.sql("UPDATE entries SET end_reason = 'validity ran out'")
        self.assertEqual(exported_reason(), ["validity_ended"])
        self.assertIn("ended 2027-02-28 (validity ran out)", explained())
        self.assertEqual(self.entry()[7], "validity ran out")

    def test_a_run_can_carry_an_entry_through_several_states(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""]])
        self.adjudicate("2026-01-06")
        summary = self.adjudicate("2026-06-01")
        self.assertEqual((summary["advanced"], summary["expired"]), (1, 0))
        self.assertEqual(self.entry()[0], "effective")

    def test_withdrawn_evidence_withdraws_a_pending_entry_and_revokes_an_effective_one(self):
        rows = [["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""]]
        self.load(rows)
        self.adjudicate("2026-01-06")
        rows[1][7] = "withdrawn"
        self.load(rows, "corrected.csv")
        summary = self.adjudicate("2026-01-07")
        self.assertEqual(summary["withdrawn"], 1)
        self.assertEqual(self.entry()[0], "withdrawn")
        self.assertEqual(self.entry()[7], "criteria_no_longer_hold")

        self.load([["Q1", uscc(2), "乙", "market", "penalty", "2026-01-05", "serious", ""],
                   ["Q2", uscc(2), "乙", "market", "penalty", "2026-01-06", "serious", ""]], "b.csv")
        self.adjudicate("2026-01-08")
        self.adjudicate("2026-03-02")
        self.assertEqual(self.entry()[0], "effective")
        self.load([["Q2", uscc(2), "乙", "market", "penalty", "2026-01-06", "serious", "withdrawn"]],
                  "c.csv")
        summary = self.adjudicate("2026-03-03")
        self.assertEqual(summary["revoked"], 1)
        self.assertEqual(self.entry()[7], "evidence_withdrawn")

    def test_a_black_listing_ends_red_entries_and_blocks_new_ones(self):
        self.load([["A1", uscc(3), "丙", "market", "award", "2026-01-05", "", ""],
                   ["A2", uscc(4), "丁", "market", "award", "2026-01-05", "", ""],
                   ["P1", uscc(4), "丁", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(4), "丁", "market", "penalty", "2026-01-06", "serious", ""]])
        summary = self.adjudicate("2026-01-06")
        # 丁 has a pending black entry: never taken in on the red list.
        self.assertEqual(summary["lists"]["market.red.good"]["created"], 1)
        self.assertEqual(summary["lists"]["market.black.serious"]["created"], 1)
        self.load([["P3", uscc(3), "丙", "market", "penalty", "2026-02-02", "serious", ""],
                   ["P4", uscc(3), "丙", "market", "penalty", "2026-02-03", "serious", ""]], "b.csv")
        self.adjudicate("2026-02-03")
        summary = self.adjudicate("2026-03-10")
        self.assertEqual(summary["lists"]["market.red.good"]["revoked"], 1)
        self.assertEqual(self.entry("market.red.good")[7], "black_listed")

    def test_lift_ends_an_effective_entry_early(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""]])
        self.adjudicate("2026-01-06")
        self.load([["R1", uscc(1), "甲", "market", "rectified", "2026-01-08", "", ""]], "r.csv")
        # Still pending on 01-09: lift applies to effective entries only.
        self.assertEqual(self.adjudicate("2026-01-09")["lifted"], 0)
        summary = self.adjudicate("2026-01-20")
        self.assertEqual((summary["advanced"], summary["lifted"]), (0, 1))
        self.assertEqual(self.entry()[0], "lifted")
        self.assertEqual(self.entry()[6], "2026-01-20")
        self.assertEqual(self.entry()[7], "lift_criteria_met")

    def test_no_entry_is_made_when_the_way_out_already_holds(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""],
                   ["R1", uscc(1), "甲", "market", "rectified", "2026-01-07", "", ""]])
        self.assertEqual(self.adjudicate("2026-01-07")["created"], 0)
        self.assertEqual(self.adjudicate("2026-01-07")["lifted"], 0)

    def test_an_entry_that_advances_and_ends_in_one_run_counts_only_its_end(self):
        self.load([["A1", uscc(1), "甲", "market", "award", "2026-03-02", "", ""]])
        self.adjudicate("2026-03-02")  # red entry: publicity to 03-05, effective 03-06
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-03-02", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-03-03", "serious", ""]], "b.csv")
        self.adjudicate("2026-03-03")  # black entry: notice to 03-10, effective 03-11
        summary = self.adjudicate("2026-03-12")
        self.assertEqual(summary["lists"]["market.red.good"],
                         {"created": 0, "advanced": 0, "expired": 0, "withdrawn": 0,
                          "revoked": 1, "lifted": 0})
        self.assertEqual(summary["lists"]["market.black.serious"]["advanced"], 1)

    def test_a_list_removed_from_the_rules_withdraws_pending_entries_only(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""],
                   ["Q1", uscc(2), "乙", "market", "penalty", "2026-01-07", "serious", ""],
                   ["Q2", uscc(2), "乙", "market", "penalty", "2026-01-08", "serious", ""]])
        self.adjudicate("2026-01-06")   # 甲: effective from 2026-01-14
        self.adjudicate("2026-01-20")   # 乙: decided 01-20, pending
        rules = Path(self.env["RBL_RULES"])
        text = (rules / "market.yaml").read_text(encoding="utf-8")
        (rules / "market.yaml").write_text(text[:text.index("  - id: market.black.serious")] +
                                           text[text.index("  - id: market.red.good"):],
                                           encoding="utf-8")
        summary = self.adjudicate("2026-01-21")
        self.assertEqual(summary["withdrawn"], 1)
        statuses = dict(self.sql("SELECT subject_id, status FROM entries"))
        self.assertEqual(statuses, {uscc(1): "effective", uscc(2): "withdrawn"})
        self.assertEqual(self.scalar("SELECT end_reason FROM entries WHERE status = 'withdrawn'"),
                         "rule_removed")

    def test_dry_run_previews_and_writes_nothing(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""]])
        result = self.adjudicate("2026-01-06", "--dry-run")
        # --json: the summary is the one object on stdout; the preview table goes to stderr.
        self.assertEqual(json.loads(result.stdout)["created"], 1)
        header, row = result.stderr.splitlines()[:2]
        self.assertEqual(header.split(), ["list", "change", "subject", "name", "status"])
        self.assertEqual(row.split(), ["market.black.serious", "created", uscc(1), "甲", "notice"])
        plain = self.run_tool("rbl-adjudicate", "--dry-run", "--as-of", "2026-01-06",
                              env={"RBL_TODAY": "2026-01-06"}, check=0)
        self.assertEqual(plain.stdout.splitlines()[1].split()[:2], ["market.black.serious", "created"])
        self.assertEqual(self.scalar("SELECT count(*) FROM entries"), 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM runs"), 0)

    def test_dry_run_table_aligns_chinese_names_by_display_width(self):
        names = ["南京市某某科技有限公司", "Acme Trading", "王"]
        self.load([[f"P{i}{k}", uscc(i), name, "market", "penalty", f"2026-01-0{5 + k}", "serious", ""]
                   for i, name in enumerate(names, start=1) for k in range(2)])
        lines = self.adjudicate("2026-01-06", "--dry-run").stderr.splitlines()[:1 + len(names)]
        self.assertEqual(lines[0].split(), ["list", "change", "subject", "name", "status"])
        # Every row's status starts at the display column of the header's "status".
        status_column = display_width(lines[0][:lines[0].index("status")])
        for line in lines[1:]:
            self.assertEqual(display_width(line[:line.index("notice")]), status_column, lines)

    def test_going_back_in_time_needs_force_and_dates_may_not_lie_ahead(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""]])
        self.adjudicate("2026-03-01")
        result = self.adjudicate("2026-02-01", check=2)
        self.assertIn("--force", result.stderr)
        self.adjudicate("2026-02-01", "--force")
        result = self.run_tool("rbl-adjudicate", "--as-of", "2026-12-01", check=2)
        self.assertIn("after today", result.stderr)
        self.run_tool("rbl-adjudicate", "--domain", "lottery", check=2)

    def test_entries_keep_their_rule_evidence_and_explanation_and_are_audited(self):
        self.load([["P1", uscc(1), "甲", "market", "penalty", "2026-01-05", "serious", ""],
                   ["P2", uscc(1), "甲", "market", "penalty", "2026-01-06", "serious", ""]])
        self.adjudicate("2026-01-06")
        title, basis, version, sha, explanation, terms = self.sql(
            "SELECT list_title, basis, rule_version, rule_sha256, explanation, terms FROM entries")[0]
        self.assertEqual((title, basis, version), ("Serious violators", "测试依据", "t1"))
        self.assertEqual(len(sha), 64)
        self.assertIn("2 penalty records within 1y", explanation)
        self.assertEqual(json.loads(terms)["measures"][0]["departments"], ["省财政厅"])
        self.assertEqual([r[0] for r in self.sql("SELECT record_id FROM entry_evidence ORDER BY 1")],
                         ["P1", "P2"])
        actions = [r[0] for r in self.sql("SELECT action FROM audit_log ORDER BY seq")]
        self.assertIn("entry.created", actions)
        self.assertEqual(actions[-1], "adjudicate.run")
        result = self.run_tool("rbl-adjudicate", "--as-of", "2026-01-06", "--explain", uscc(1),
                               env={"RBL_TODAY": "2026-01-06"}, check=0)
        self.assertIn("market.black.serious", result.stdout)
        self.assertIn("needs ≥ 2", result.stdout)
        self.assertIn("entry 1: notice", result.stdout)

    def test_missing_database_is_a_usage_error(self):
        result = self.run_tool("rbl-adjudicate", check=2)
        self.assertIn("does not exist", result.stderr)


class SampleRun(ToolTestCase):
    def test_samples_adjudicate_idempotently(self):
        for name in ("courts", "tax", "government"):
            self.run_tool("rbl-import", SAMPLES / f"records/{name}.csv", check=0)
        first = json.loads(self.run_tool("rbl-adjudicate", "--json", check=0).stdout)
        self.assertGreater(first["created"], 0)
        # Every list is in the summary, zeros included.
        lists = json.loads(self.run_tool("rbl-rules", "check", "--json", check=0).stdout)["lists"]
        self.assertEqual(len(first["lists"]), lists)
        entries = self.sql("SELECT list_id, subject_id, status FROM entries ORDER BY 1, 2")
        second = json.loads(self.run_tool("rbl-adjudicate", "--json", check=0).stdout)
        self.assertEqual(second["created"] + second["advanced"], 0)
        self.assertEqual(self.sql("SELECT list_id, subject_id, status FROM entries ORDER BY 1, 2"),
                         entries)


# A list that depends on another (`listed`) and whose way out (`lift`) needs the subject off it.
DEPENDENT_RULES = {
    "courts": """domain: courts
title: Courts
title_zh: 法院
version: "t1"
lists:
  - id: courts.black.debtor
    kind: black
    title: Debtors
    title_zh: 失信被执行人
    basis: 测试依据
    authority: 测试法院
    criteria:
      exists: { kind: court_default }
    validity: 2y
""",
    "government": """domain: government
title: Government
title_zh: 政务
version: "t1"
lists:
  - id: government.black.body
    kind: black
    title: Dishonest bodies
    title_zh: 政务失信
    basis: 测试依据
    authority: 测试委
    criteria:
      listed: { list: courts.black.debtor }
    lift:
      all:
        - not: { listed: { list: courts.black.debtor } }
        - exists: { kind: performed, domain: courts }
    validity: 2y
""",
}


class DependentLists(ToolTestCase):
    # Regression (was a bug): when deciding whether a new entry's way out already holds, the
    # entries created earlier in the same run were left out of the subject's lists, so the first
    # run found `not listed` true and made no entry, and the second run made it: not idempotent.
    def test_an_entry_made_earlier_in_the_run_counts_for_the_lift_of_a_later_list(self):
        self.use_rules(DEPENDENT_RULES)
        body = "11320102" + "0" * 9
        body += rbl_ids.uscc_check_char(body)
        path = self.write("in.csv", "record_id,subject_id,subject_name,domain,kind,date\n"
                          f"C1,{body},某局,courts,court_default,2026-05-01\n"
                          f"C2,{body},某局,courts,performed,2026-04-01\n")
        self.run_tool("rbl-import", path, check=0)
        first = json.loads(self.run_tool("rbl-adjudicate", "--json", check=0).stdout)
        self.assertEqual(first["lists"]["courts.black.debtor"]["created"], 1)
        self.assertEqual(first["lists"]["government.black.body"]["created"], 1)
        second = json.loads(self.run_tool("rbl-adjudicate", "--json", check=0).stdout)
        self.assertEqual(second["created"], 0)


if __name__ == "__main__":
    rbltest.main()
