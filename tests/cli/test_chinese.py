"""The Chinese interface (SPEC.md §13, issue 20), end to end: under a Chinese locale, or with
RBL_LANG=zh, errors, CLI11's parse errors and the help's headings and common options are in
Chinese, with the exit codes unchanged; RBL_LANG=en forces English under a Chinese locale; the
machine needs no zh_CN locale generated. Expected output is kept in tests/cli/golden/
(NAME.zh.txt, NAME.en.txt; `{today}` stands for the test's today)."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rbltest import TODAY, ToolTestCase  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
CHINESE = {"RBL_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}


class ChineseInterface(ToolTestCase):
    def golden(self, name):
        return (GOLDEN / name).read_text(encoding="utf-8").replace("{today}", TODAY)

    def test_a_usage_error_in_chinese_keeps_exit_2(self):
        result = self.run_tool("rbl-import", "--bogus", env=CHINESE, check=2)
        self.assertEqual(result.stderr, self.golden("rbl-import-usage-error.zh.txt"))

    def test_rbl_lang_en_wins_over_a_chinese_locale(self):
        result = self.run_tool("rbl-import", "--bogus", env={**CHINESE, "RBL_LANG": "en"}, check=2)
        self.assertEqual(result.stderr, self.golden("rbl-import-usage-error.en.txt"))

    def test_rbl_lang_zh_wins_over_an_english_locale(self):
        result = self.run_tool("rbl-import", "--bogus",
                               env={"RBL_LANG": "zh", "LANG": "en_US.UTF-8", "LC_ALL": ""}, check=2)
        self.assertEqual(result.stderr, self.golden("rbl-import-usage-error.zh.txt"))

    def test_lc_messages_chooses_before_lang(self):
        result = self.run_tool("rbl-import", "--bogus",
                               env={**CHINESE, "LC_MESSAGES": "C", "LANG": "zh_CN.UTF-8"}, check=2)
        self.assertEqual(result.stderr, self.golden("rbl-import-usage-error.en.txt"))

    def test_a_date_after_today_in_chinese(self):
        result = self.run_tool("rbl-adjudicate", "--as-of", "2099-01-01", env=CHINESE, check=2)
        self.assertEqual(result.stderr, self.golden("rbl-adjudicate-after-today.zh.txt"))

    def test_a_json_error_keeps_its_keys_and_speaks_chinese(self):
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", "2099-01-01", env=CHINESE,
                               check=2)
        error = json.loads(result.stdout)
        self.assertEqual(set(error), {"error", "exit"})
        self.assertEqual(error["exit"], 2)
        self.assertIn("晚于今天", error["error"])

    def test_every_tool_has_chinese_help_headings_and_common_options(self):
        for tool in ("rbl-import", "rbl-rules", "rbl-adjudicate", "rbl-appeal", "rbl-publish",
                     "rbl-audit", "rbl-check"):
            with self.subTest(tool=tool):
                result = self.run_tool(tool, "--help", env=CHINESE, check=0)
                self.assertIn("用法:", result.stdout)
                self.assertIn("选项:", result.stdout)
                self.assertIn("显示本帮助并退出", result.stdout)
                self.assertIn("等待其他写入者的秒数", result.stdout)
                self.assertIn("退出码：", result.stdout)
                self.assertNotIn("Exit codes:", result.stdout)

    def test_the_front_command_speaks_chinese(self):
        listing = self.run_tool("rbl", "help", env=CHINESE, check=0)
        self.assertIn("工具：", listing.stdout)
        self.assertIn("导入信用信息记录", listing.stdout)
        unknown = self.run_tool("rbl", "nope", env=CHINESE, check=2)
        self.assertEqual(unknown.stderr, "rbl：错误：没有名为 'nope' 的工具（见 rbl help）\n")

    def test_english_help_is_unchanged_under_rbl_lang_en(self):
        result = self.run_tool("rbl-import", "--help", env={**CHINESE, "RBL_LANG": "en"}, check=0)
        self.assertIn("Usage:", result.stdout)
        self.assertIn("Exit codes:", result.stdout)
        self.assertNotIn("用法", result.stdout)


if __name__ == "__main__":
    import unittest
    unittest.main()
