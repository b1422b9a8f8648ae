"""SPEC.md §1: with --json a tool prints exactly one JSON object on stdout — on failure
{"error": MESSAGE, "exit": N}, with N its exit code — so a cron script reading stdout always has
something to parse."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, ToolTestCase  # noqa: E402


class JsonErrors(ToolTestCase):
    def assert_json_error(self, tool, *args, code, text):
        result = self.run_tool(tool, "--json", *args, check=code)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 1, result.stdout)
        error = json.loads(lines[0])
        self.assertEqual(error["exit"], code)
        self.assertIn(text, error["error"])
        self.assertIn(f"{tool}: error: ", result.stderr)  # people still read it on stderr
        return error

    def test_a_missing_database_is_exit_2_in_json(self):
        for tool, args in (("rbl-adjudicate", ()), ("rbl-audit", ("verify",)),
                           ("rbl-appeal", ("list",)), ("rbl-publish", ("--out", "x.csv"))):
            with self.subTest(tool=tool):
                self.assert_json_error(tool, *args, code=2, text="does not exist")

    def test_a_bad_flag_is_exit_2_in_json(self):
        error = self.assert_json_error("rbl-import", "--no-such-flag", SAMPLES / "records/tax.csv",
                                       code=2, text="--no-such-flag")
        self.assertIn("--help", error["error"])

    def test_invalid_rules_are_exit_2_in_json_with_every_problem(self):
        rules = self.use_rules({"courts": "domain: courts\ntitle: x\ntitle_zh: x\nversion: '1'\n"
                                          "lists: 7\n"})
        error = self.assert_json_error("rbl-rules", "check", code=2, text="courts.yaml")
        self.assertIn(str(rules), error["error"])

    def test_a_date_after_today_is_exit_2_in_json(self):
        self.run_tool("rbl-import", SAMPLES / "records/tax.csv", check=0)
        self.assert_json_error("rbl-adjudicate", "--as-of", "2099-01-01", code=2,
                               text="lies after today")


if __name__ == "__main__":
    rbltest.main()
