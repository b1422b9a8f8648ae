"""The Chinese interface (SPEC.md §13, issue 20), end to end: under a Chinese locale, or with
RBL_LANG=zh, errors, CLI11's parse errors and the help's headings and common options are in
Chinese, with the exit codes unchanged; RBL_LANG=en forces English under a Chinese locale; the
machine needs no zh_CN locale generated. Expected output is kept in tests/cli/golden/
(NAME.zh.txt, NAME.en.txt; `{today}` stands for the test's today, `{dir}` for its folder, `{db}`
for its database). RBL_UPDATE_GOLDEN=1 writes the golden files from what the tools print (then
read the diff before committing it)."""

import csv
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, SOURCE_DIR, TODAY, ToolTestCase  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden"
CHINESE = {"RBL_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}
ENGLISH_UNDER_CHINESE = {**CHINESE, "RBL_LANG": "en"}
CLOCK = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
UPDATE = os.environ.get("RBL_UPDATE_GOLDEN") == "1"
TOOLS = ("rbl-import", "rbl-rules", "rbl-adjudicate", "rbl-appeal", "rbl-publish", "rbl-audit",
         "rbl-check")
LANGUAGES = {"zh": CHINESE, "en": ENGLISH_UNDER_CHINESE}


class ChineseCase(ToolTestCase):
    """What the cases below share: golden files, the samples imported."""

    def golden(self, name):
        return (GOLDEN / name).read_text(encoding="utf-8").replace("{today}", TODAY)

    def assert_golden(self, name, text):
        """`text` (the folder, database and today written as placeholders) is golden/NAME."""
        text = text.replace(str(self.dir), "{dir}").replace(str(self.db), "{db}")
        text = text.replace(str(SOURCE_DIR), "{source}")
        text = text.replace(TODAY, "{today}")
        path = GOLDEN / name
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.assertEqual(text, path.read_text(encoding="utf-8"), f"differs from golden/{name}")

    def import_samples(self, *names):
        for name in names:
            self.run_tool("rbl-import", SAMPLES / "records" / name, check=0)


class ChineseInterface(ChineseCase):
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


class GoldenOutput(ChineseCase):
    """What each tool prints for the day's work, in Chinese under a Chinese locale and in English
    with RBL_LANG=en under it (issue 20, point 5)."""

    def both(self, name, *args, check, stream="stderr", before=None):
        for language, env in LANGUAGES.items():
            with self.subTest(language=language):
                if before:
                    before()
                result = self.run_tool(*args, env=env, check=check)
                self.assert_golden(f"{name}.{language}.txt",
                                   result.stdout if stream == "stdout" else result.stderr)

    def test_each_tools_help(self):
        for tool in TOOLS:
            self.both(f"help/{tool}", tool, "--help", check=0, stream="stdout")
        self.both("help/rbl", "rbl", "help", check=0, stream="stdout")

    def test_an_import_with_rejects(self):
        rejects = self.dir / "rejects.csv"
        for language, env in LANGUAGES.items():
            with self.subTest(language=language):
                self.remove_database()
                result = self.run_tool("rbl-import", "--rejects", rejects,
                                       SAMPLES / "bad" / "bad_rows.csv", env=env, check=3)
                self.assert_golden(f"import-rejects.{language}.txt", result.stderr)
                self.assert_golden(f"import-rejects.csv.{language}.txt",
                                   rejects.read_text(encoding="utf-8"))

    def test_an_adjudication_summary_and_explain(self):
        for language, env in LANGUAGES.items():
            with self.subTest(language=language):
                self.remove_database()
                self.import_samples("courts.csv", "tax.csv", "labour.jsonl")
                result = self.run_tool("rbl-adjudicate", "--as-of", "2026-11-28", env=env,
                                       check=0)
                self.assert_golden(f"adjudicate-summary.{language}.txt",
                                   result.stdout + result.stderr)
        self.both("adjudicate-explain", "rbl-adjudicate", "--as-of", "2026-11-28",
                  "--explain", "91320105MAUP5XLG60", check=0, stream="stdout")

    def test_an_appeal_decision(self):
        for language, env in LANGUAGES.items():
            with self.subTest(language=language):
                self.remove_database()
                self.import_samples("labour.jsonl")
                self.run_tool("rbl-adjudicate", "--as-of", "2026-11-28", check=0)
                entry = self.sql("SELECT min(entry_id) FROM entries WHERE status = 'notice'")[0][0]
                self.assertIsNotNone(entry, "the sample has an entry in its notice period")
                filed = self.run_tool("rbl-appeal", "file", entry, "--by", "subject",
                                      "--reason", "欠薪已全部支付", env=env, check=0)
                appeal = filed.stdout.strip()
                decided = self.run_tool("rbl-appeal", "decide", appeal, "--outcome", "rejected",
                                        "--note", "认定事实无误", env=env, check=0)
                # A fresh database each time: the entry and the appeal have the same ids.
                self.assert_golden(f"appeal-decide.{language}.txt",
                                   decided.stdout + decided.stderr)

    def test_an_audit_verify_failure(self):
        self.import_samples("tax.csv")
        self.run_tool("rbl-adjudicate", "--as-of", "2026-11-28", check=0)
        self.shell("UPDATE audit_log SET operator = 'mallory' WHERE seq = 2")
        self.both("audit-verify-failure", "rbl-audit", "verify", check=1)


class ReasonsAsData(ChineseCase):
    """Explanations are data (issue 20, point 2): the published reason in English is the stored
    text byte for byte; with --lang zh it is written in Chinese from the data; a database whose
    entries were written before the data was kept (version 10) gets it by the migration, and
    publishes the same Chinese."""

    def reasons(self, *args):
        out = self.dir / "reasons.csv"
        self.run_tool("rbl-publish", "--out", out, *args, check=0)
        with out.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        column = "认定理由" if "--lang" in args else "reason"
        return {row["条目编号" if "--lang" in args else "entry_id"]: row[column] for row in rows}

    def test_english_as_stored_chinese_from_the_data_and_after_the_migration(self):
        self.import_samples("courts.csv", "tax.csv", "labour.jsonl")
        self.run_tool("rbl-adjudicate", "--as-of", "2026-11-28", check=0)
        stored = {str(entry): text.rstrip("\n") for entry, text in
                  self.sql("SELECT entry_id, explanation FROM entries ORDER BY entry_id")}
        english = self.reasons()
        self.assertTrue(english)
        self.assertEqual(english, {entry: stored[entry] for entry in english})
        chinese = self.reasons("--lang", "zh")
        self.assertEqual(set(chinese), set(english))
        for entry, reason in chinese.items():
            with self.subTest(entry=entry):
                self.assertIn("[是]", reason)
                self.assertNotIn("[yes]", reason)
                self.assertNotIn("records within", reason)
        # As a version-10 database left them: no data; the next writer converts the text.
        self.shell("DELETE FROM entry_explanations")
        if rbltest.ON_POSTGRESQL:
            self.shell("DELETE FROM rbl_schema; INSERT INTO rbl_schema (version) VALUES (10)")
        else:
            self.shell("PRAGMA user_version = 10")
        self.run_tool("rbl-import", SAMPLES / "records" / "courts.csv", check=0)
        self.assertEqual(self.scalar("SELECT count(*) FROM entry_explanations"), len(stored))
        self.assertEqual(self.reasons(), english)
        self.assertEqual(self.reasons("--lang", "zh"), chinese)


class DataIsNotTranslated(ChineseCase):
    """SPEC.md §13: what the tools store and publish does not depend on the interface's
    language. The same day's work under a Chinese and an English locale leaves the same entries,
    appeals and audit rows, and writes the same export."""

    def day_of_work(self, env):
        self.import_samples("courts.csv", "tax.csv", "labour.jsonl")
        for tool_args in (("rbl-import", SAMPLES / "records" / "courts.csv"),
                          ("rbl-adjudicate", "--as-of", "2026-11-28")):
            self.run_tool(*tool_args, env=env, check=0)
        entry = self.sql("SELECT min(entry_id) FROM entries WHERE status = 'notice'")[0][0]
        appeal = self.run_tool("rbl-appeal", "file", entry, "--by", "subject", "--reason",
                               "已支付", env=env, check=0).stdout.strip()
        self.run_tool("rbl-appeal", "decide", appeal, "--outcome", "rejected", "--note", "无误",
                      env=env, check=0)
        export = self.dir / "export.csv"
        self.run_tool("rbl-publish", "--out", export, env=env, check=0)
        tables = {
            "entries": "SELECT * FROM entries ORDER BY entry_id",
            "appeals": "SELECT * FROM appeals ORDER BY appeal_id",
            "audit": "SELECT seq, action, object, details FROM audit_log ORDER BY seq",
        }
        # The wall-clock times rows carry (filed_at, decided_at) differ between any two runs.
        def timeless(value):
            return "<time>" if isinstance(value, str) and CLOCK.match(value) else value
        stored = {name: [tuple(timeless(v) for v in row) for row in self.sql(query)]
                  for name, query in tables.items()}
        stored["export"] = export.read_text(encoding="utf-8")
        return stored

    def test_the_same_data_in_either_language(self):
        days = {}
        for language, env in LANGUAGES.items():
            self.use_database(self.other_database(f"work_{language}"))
            days[language] = self.day_of_work(env)
        for part in days["en"]:
            with self.subTest(part=part):
                self.assertEqual(days["zh"][part], days["en"][part])


if __name__ == "__main__":
    import unittest
    unittest.main()
