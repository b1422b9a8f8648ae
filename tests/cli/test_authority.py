"""End-to-end tests of `authority_from: evidence` (docs/RULES.md; 谁认定、谁修复): an entry's
deciding department taken from its evidence, as rbl-adjudicate stores it and the exports and
rbl-rules show it; and what rbl-rules refuses."""

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402

LABOUR = """domain: labour
title: Labour
title_zh: 劳动保障
version: "t1"
attributes:
  workers: number
lists:
  - id: labour.black.wage_arrears
    kind: black
    title: Employers in serious wage arrears
    title_zh: 拖欠农民工工资失信联合惩戒对象名单
    basis: 人力资源社会保障部令第45号第五条
    authority: 江苏省人力资源和社会保障厅
    authority_from: evidence
    criteria:
      exists: { kind: wage_arrears, within: 3y, where: "workers >= 10" }
    term: { from: evidence, length: 3y }
    procedure: { appeal_days: 5 }
    repair: { allowed: true, after: 6m }
    measures:
      - { id: restrict_procurement, text_zh: 限制参与政府采购活动, departments: [江苏省财政厅] }
    tests:
      - name: the bureau that ordered payment decides
        as_of: 2026-06-01
        records:
          - { kind: wage_arrears, date: 2025-03-01, workers: 12, authority: 苏州市人力资源和社会保障局 }
          - { kind: wage_arrears, date: 2025-09-01, workers: 15, authority: 南京市人力资源和社会保障局 }
        expect: listed
        authority: 南京市人力资源和社会保障局
      - name: no authority on the record, the list's
        as_of: 2026-06-01
        records: [{ kind: wage_arrears, date: 2025-03-01, workers: 12 }]
        expect: listed
        authority: 江苏省人力资源和社会保障厅
"""

NANJING = uscc(1)   # two orders: Suzhou's, then Nanjing's (the later one decides)
NO_NAME = uscc(2)   # the record names no authority: the list's


class AuthorityFromEvidence(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.rules = self.use_rules({"labour": LABOUR})

    def test_the_entry_takes_the_latest_decisions_authority(self):
        text = ("record_id,subject_id,subject_name,domain,kind,date,authority,workers\n"
                f"W1,{NANJING},甲建筑公司,labour,wage_arrears,2025-03-01,苏州市人力资源和社会保障局,12\n"
                f"W2,{NANJING},甲建筑公司,labour,wage_arrears,2025-09-01,南京市人力资源和社会保障局,15\n"
                f"W3,{NO_NAME},乙建筑公司,labour,wage_arrears,2025-03-01,,12\n")
        self.run_tool("rbl-import", "-q", self.write("labour.csv", text), check=0)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", "2026-06-01",
                      env={"RBL_TODAY": "2026-06-01"}, check=0)
        stored = dict(self.sql("SELECT subject_id, authority FROM entries"))
        self.assertEqual(stored, {NANJING: "南京市人力资源和社会保障局",
                                  NO_NAME: "江苏省人力资源和社会保障厅"})
        out = self.dir / "list.csv"
        self.run_tool("rbl-publish", "--format", "csv", "--out", out,
                      env={"RBL_TODAY": "2026-06-01"}, check=0)
        with open(out, encoding="utf-8", newline="") as handle:
            published = {row["subject_id"]: row["authority"] for row in csv.DictReader(handle)}
        self.assertEqual(published, stored)
        # The audit chain covers the stored department: verify is whole.
        self.run_tool("rbl-audit", "verify", check=0)

    def test_rules_test_checks_the_department_and_show_says_where_it_comes_from(self):
        result = self.run_tool("rbl-rules", "test", "--json", check=0)
        report = json.loads(result.stdout)
        self.assertTrue(all(r["passed"] for r in report["results"]), report)
        self.assertEqual(len(report["results"]), 2)

        wrong = LABOUR.replace("        authority: 南京市人力资源和社会保障局\n",
                               "        authority: 苏州市人力资源和社会保障局\n")
        self.use_rules_again(wrong)
        result = self.run_tool("rbl-rules", "test", check=1)
        self.assertIn("expected the deciding department 苏州市人力资源和社会保障局, but it is "
                      "南京市人力资源和社会保障局", result.stdout + result.stderr)

        self.use_rules_again(LABOUR)
        shown = self.run_tool("rbl-rules", "show", "labour.black.wage_arrears", "--lang", "en",
                              check=0).stdout
        self.assertIn("the department that made the decision of the evidence, else "
                      "江苏省人力资源和社会保障厅", shown)

    def test_a_wrong_source_is_refused_at_its_line_and_column(self):
        self.use_rules_again(LABOUR.replace("authority_from: evidence", "authority_from: court"))
        result = self.run_tool("rbl-rules", "check", check=2)
        self.assertIn("labour.yaml:14:21", result.stderr)
        self.assertIn("authority_from 'court' is not evidence", result.stderr)

    def use_rules_again(self, text):
        (self.rules / "labour.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    rbltest.main()
