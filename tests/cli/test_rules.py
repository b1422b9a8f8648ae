"""End-to-end tests of rbl-rules (SPEC.md §3): the shipped rules, and broken rule files."""

import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import RULES, ToolTestCase  # noqa: E402

GOOD_LIST = """domain: courts
title: Courts
title_zh: 法院
version: "1"
attributes:
  circumstance: text
lists:
  - id: courts.black.test
    kind: black
    title: Test list
    title_zh: 测试名单
    basis: 测试依据
    authority: 测试法院
    criteria:
      count: { kind: court_default, within: 1y }
      at_least: 2
    validity: 2y
    procedure: { notice_days: 5 }
    tests:
      - name: two defaults within a year list the subject
        as_of: 2026-06-01
        records:
          - { kind: court_default, date: 2025-06-01 }
          - { kind: court_default, date: 2026-06-01 }
        expect: listed
"""


class ShippedRules(ToolTestCase):
    def test_shipped_rules_check_and_pass_their_tests(self):
        result = self.run_tool("rbl-rules", "check", "--json", check=0)
        summary = json.loads(result.stdout)
        self.assertTrue(summary["ok"])
        self.assertEqual(summary["domains"], 11)
        self.assertGreaterEqual(summary["lists"], 10)
        result = self.run_tool("rbl-rules", "test", check=0)
        self.assertIn(" 0 failed", result.stderr)
        self.assertNotIn("FAILED", result.stdout)

    def test_front_command_runs_the_tool(self):
        result = self.run_tool("rbl", "rules", "check", "--json", check=0)
        self.assertTrue(json.loads(result.stdout)["ok"])
        result = self.run_tool("rbl", "frobnicate", check=2)
        self.assertIn("no tool 'frobnicate'", result.stderr)

    def test_show_and_doc(self):
        result = self.run_tool("rbl-rules", "show", "tax.black.major_violation", check=0)
        self.assertIn("认定依据", result.stdout)
        result = self.run_tool("rbl-rules", "show", "tax.black.major_violation", "--lang", "en",
                               check=0)
        self.assertIn("Legal basis", result.stdout)
        self.run_tool("rbl-rules", "show", "no.such.list", check=2)
        out = self.dir / "criteria.md"
        self.run_tool("rbl-rules", "doc", "--out", out, check=0)
        text = out.read_text(encoding="utf-8")
        self.assertIn("## 中文", text)
        self.assertIn("## English", text)
        self.run_tool("rbl-rules", "doc", "--out", self.dir / "missing/x.md", check=2)


class BrokenRules(ToolTestCase):
    def rules_with(self, name, text, keep_others=False):
        """A rules folder holding calendar.yaml and `name` with `text`."""
        folder = self.dir / "rules"
        shutil.rmtree(folder, ignore_errors=True)
        if keep_others:
            shutil.copytree(RULES, folder)
        else:
            folder.mkdir()
            shutil.copy(RULES / "calendar.yaml", folder / "calendar.yaml")
        (folder / name).write_text(text, encoding="utf-8")
        return folder

    def assert_error_at(self, folder, where, needle):
        result = self.run_tool("rbl-rules", "--rules", folder, "check", check=2)
        self.assertIn(where, result.stderr)
        self.assertIn(needle, result.stderr)
        return result

    def test_a_good_file_passes(self):
        folder = self.rules_with("courts.yaml", GOOD_LIST)
        self.run_tool("rbl-rules", "--rules", folder, "check", check=0)
        self.run_tool("rbl-rules", "--rules", folder, "test", check=0)

    def test_each_broken_rule_is_an_error_at_its_line(self):
        cases = [
            ("malformed YAML", GOOD_LIST.replace("kind: black", "kind: [black"), "courts.yaml:", "malformed YAML"),
            ("tab", GOOD_LIST.replace("    kind: black", "\tkind: black"), "courts.yaml:9:1", "tab"),
            ("two kinds", GOOD_LIST.replace("      at_least: 2", "      exists: { kind: x }\n      at_least: 2"),
             "courts.yaml:15:7", "this one has 2"),
            ("at_least without count", GOOD_LIST.replace("count: { kind: court_default, within: 1y }",
                                                         "exists: { kind: court_default, within: 1y }"),
             "courts.yaml:16:17", "at_least belongs with count or sum"),
            ("string compared to a date", GOOD_LIST.replace("count: { kind: court_default, within: 1y }",
                                                            "count: { kind: court_default, where: \"date > 'x'\" }"),
             "courts.yaml:15:", "date"),
            ("unknown field", GOOD_LIST.replace("count: { kind: court_default, within: 1y }",
                                                "count: { kind: court_default, where: \"severty == 'x'\" }"),
             "courts.yaml:15:", "unknown field 'severty'"),
            ("empty any", GOOD_LIST.replace("      count: { kind: court_default, within: 1y }\n      at_least: 2",
                                            "      any: []"),
             "courts.yaml:15:12", "non-empty list"),
            ("bad duration", GOOD_LIST.replace("validity: 2y", "validity: 2w"), "courts.yaml:17:15", "duration"),
            ("unknown key", GOOD_LIST.replace("validity: 2y", "validity: 2y\n    valid_until: 2027-01-01"),
             "courts.yaml:18:5", "unknown key 'valid_until'"),
        ]
        for name, text, where, needle in cases:
            with self.subTest(name):
                folder = self.rules_with("courts.yaml", text)
                self.assert_error_at(folder, where, needle)

    def test_file_name_must_match_the_domain(self):
        folder = self.rules_with("court.yaml", GOOD_LIST)
        self.assert_error_at(folder, "court.yaml:1:9", "differs from the file name")

    def test_calendar_range_ending_before_it_starts(self):
        folder = self.rules_with("courts.yaml", GOOD_LIST)
        (folder / "calendar.yaml").write_text(
            "weekend: [sat, sun]\nholidays: [2026-02-23..2026-02-15]\nworkdays: []\n")
        self.assert_error_at(folder, "calendar.yaml:2:", "precedes its start")

    def test_every_error_in_every_file_is_reported(self):
        folder = self.rules_with("courts.yaml", GOOD_LIST.replace("validity: 2y", "validity: 2w"))
        (folder / "tax.yaml").write_text("domain: tax\ntitle: T\ntitle_zh: 税\nversion: \"1\"\ncolour: red\n")
        result = self.run_tool("rbl-rules", "--rules", folder, "check", check=2)
        self.assertIn("courts.yaml:17:15", result.stderr)
        self.assertIn("tax.yaml:5:1", result.stderr)

    def test_a_failing_embedded_test_is_reported_with_its_figures(self):
        folder = self.rules_with("courts.yaml", GOOD_LIST.replace("expect: listed", "expect: not_listed"))
        result = self.run_tool("rbl-rules", "--rules", folder, "test", check=1)
        self.assertIn("FAILED", result.stdout)
        self.assertIn("courts.yaml:20", result.stdout)
        self.assertIn("2 court_default records within 1y (needs ≥ 2)", result.stdout)
        # With --json stdout is the one JSON object (SPEC §1); the failures go to stderr.
        result = self.run_tool("rbl-rules", "--rules", folder, "test", "--json", check=1)
        summary = json.loads(result.stdout)
        self.assertEqual((summary["failed"], summary["passed"]), (1, summary["tests"] - 1))
        self.assertIn("FAILED", result.stderr)

    def test_import_refuses_invalid_rules(self):
        folder = self.rules_with("courts.yaml", GOOD_LIST.replace("validity: 2y", "validity: 2w"))
        result = self.run_tool("rbl-import", "--rules", folder,
                               rbltest.SAMPLES / "records/courts.csv", check=2)
        self.assertIn("courts.yaml:17:15", result.stderr)


if __name__ == "__main__":
    rbltest.main()
