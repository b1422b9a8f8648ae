"""End-to-end tests of what the people at the keyboard stumbled on (issue 19): encoding names in
any case, amounts with thousands separators, a spreadsheet's trailing empty rows, the import's
date forms on the command line, --by-department making its folder, an unknown --department;
--help with examples and exit codes, the front command `rbl`; --json giving exactly one JSON
object on stdout with the data in it; timestamps shown in China Standard Time."""

import csv
import io
import json
import stat
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, TODAY, ToolTestCase  # noqa: E402

TAX = SAMPLES / "records/tax.csv"
GB18030 = SAMPLES / "records/environment_gb18030.csv"
TOOLS = ("rbl-import", "rbl-rules", "rbl-adjudicate", "rbl-appeal", "rbl-publish", "rbl-audit",
         "rbl-check")


class KeyboardCase(ToolTestCase):
    def one_json_object(self, result):
        """The one JSON object that is the whole of `result`'s stdout."""
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 1, result.stdout)
        return json.loads(lines[0])

    def tax_rows(self, amounts):
        """tax.csv's header and its first row once per amount, with that amount."""
        rows = list(csv.reader(io.StringIO(TAX.read_text(encoding="utf-8"))))
        header, first = rows[0], rows[1]
        column = header.index("amount")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for i, amount in enumerate(amounts):
            row = list(first)
            row[header.index("record_id")] = f"R{i}"
            row[column] = amount
            writer.writerow(row)
        return out.getvalue()

    def adjudicated(self):
        """The tax samples imported and adjudicated as of today; returns an entry objections
        may be filed against."""
        self.run_tool("rbl-import", TAX, check=0)
        self.run_tool("rbl-adjudicate", "-q", check=0)
        return self.scalar("SELECT min(entry_id) FROM entries "
                           "WHERE status IN ('notice', 'publicity', 'effective')")


class SmallThings(KeyboardCase):
    def test_encoding_names_in_any_case_and_gbk_read_as_gb18030(self):
        counts = set()
        for name in ("gb18030", "GB18030", "gbk", "GBK", "gb2312", "cp936"):
            with self.subTest(encoding=name):
                result = self.run_tool("rbl-import", "--dry-run", "--json", "--encoding", name,
                                       GB18030, check=0)
                summary = self.one_json_object(result)
                counts.add((summary["rows"], summary["validated"]["inserted"]))
        self.assertEqual(len(counts), 1, counts)
        for name in ("UTF-8", "utf8", "Utf-8"):
            with self.subTest(encoding=name):
                self.run_tool("rbl-import", "--dry-run", "-q", "--encoding", name, TAX, check=0)
        refused = self.run_tool("rbl-import", "--encoding", "latin1", TAX, check=2)
        self.assertIn("'latin1' is not utf-8 or gb18030", refused.stderr)

    def test_amounts_grouped_by_thousands_are_taken_and_others_refused(self):
        path = self.write("grouped.csv", self.tax_rows(["1,000.00", "12,345", "1,234,567.89",
                                                        "1,00.0", "10,00"]))
        rejects = self.dir / "rejects.csv"
        result = self.run_tool("rbl-import", "--json", "--rejects", rejects, path, check=3)
        summary = self.one_json_object(result)
        self.assertEqual((summary["inserted"], summary["rejected"]), (3, 2))
        self.assertEqual(dict(self.sql("SELECT record_id, amount_fen FROM records")),
                         {"R0": 100000, "R1": 1234500, "R2": 123456789})
        with rejects.open(encoding="utf-8") as file:
            reasons = [row["reason"] for row in csv.DictReader(file)]
        self.assertEqual(reasons, [f"amount {a} has misplaced thousands separators (commas group "
                                   f"the whole yuan by three digits: 1,000.00 or 12,345)"
                                   for a in ("1,00.0", "10,00")])

    def test_rows_of_empty_fields_are_skipped_and_counted_blank(self):
        text = TAX.read_text(encoding="utf-8")
        data_rows = len(text.splitlines()) - 1
        fields = text.splitlines()[0].count(",")
        path = self.write("trailing.csv", text + "," * fields + "\n" + "," * fields + "\n"
                          + " , ,\n")
        result = self.run_tool("rbl-import", "--json", path, check=0)
        summary = self.one_json_object(result)
        self.assertEqual((summary["rows"], summary["blank"], summary["rejected"]),
                         (data_rows, 3, 0))
        self.assertIn(f"{data_rows} rows (3 blank rows skipped)", result.stderr)
        details = json.loads(self.scalar("SELECT details FROM audit_log "
                                         "WHERE action = 'import.batch'"))
        self.assertEqual(details["blank"], 3)
        plain = self.run_tool("rbl-import", "--json", TAX, check=0)
        self.assertEqual(self.one_json_object(plain)["blank"], 0)
        self.assertNotIn("blank", plain.stderr)

    def test_command_line_dates_take_the_forms_of_record_dates(self):
        entry = self.adjudicated()
        for form in ("2026/11/28", "20261128", "2026年11月28日", "2026-11-28"):
            with self.subTest(form=form):
                result = self.run_tool("rbl-adjudicate", "--dry-run", "--json", "-q", "--as-of",
                                       form, check=0)
                self.assertEqual(self.one_json_object(result)["as_of"], TODAY)
        filed = self.run_tool("rbl-appeal", "file", entry, "--reason", "paid", "--received",
                              "2026年11月28日", "--json", check=0)
        appeal = self.one_json_object(filed)
        self.assertEqual(appeal["received_on"], TODAY)
        decided = self.run_tool("rbl-appeal", "decide", appeal["appeal_id"], "--outcome",
                                "rejected", "--note", "no proof", "--date", "20261128",
                                "--json", check=0)
        self.assertEqual(self.one_json_object(decided)["outcome"], "rejected")
        listing = self.run_tool("rbl-appeal", "list", "--as-of", "2026/11/28", "--json", check=0)
        self.assertEqual(len(self.one_json_object(listing)["appeals"]), 1)
        ahead = self.run_tool("rbl-adjudicate", "--as-of", "2099/1/1", check=2)
        self.assertIn("--as-of 2099/1/1 lies after today (2026-11-28)", ahead.stderr)
        bad = self.run_tool("rbl-appeal", "list", "--as-of", "2026年13月1日", check=2)
        self.assertIn("--as-of: ", bad.stderr)

    def test_by_department_makes_its_folder_private(self):
        self.adjudicated()
        folder = self.dir / "out" / "departments"
        (self.dir / "out").mkdir()
        self.run_tool("rbl-publish", "--by-department", folder, "--status", "all", "-q", check=0)
        self.assertTrue(folder.is_dir())
        self.assertEqual(stat.S_IMODE(folder.stat().st_mode), 0o700)
        self.assertTrue(any(folder.iterdir()))
        # An existing folder is used as it is; a missing parent is still refused.
        self.run_tool("rbl-publish", "--by-department", folder, "-q", check=0)
        result = self.run_tool("rbl-publish", "--by-department", self.dir / "no" / "where",
                               check=2)
        self.assertIn("does not exist", result.stderr)

    def test_an_unknown_department_is_refused_naming_the_known_ones(self):
        self.adjudicated()
        subject = self.scalar("SELECT subject_id FROM entries LIMIT 1")
        # (--out: with --json an export to stdout would be refused first, test_cron.py)
        for tool, args in (("rbl-publish", ["--department", "江苏省财政局", "--out", "x.csv"]),
                           ("rbl-check", ["--department", "江苏省财政局", subject])):
            with self.subTest(tool=tool):
                result = self.run_tool(tool, *args, "--json", check=2)
                error = self.one_json_object(result)["error"]
                self.assertIn("--department '江苏省财政局' is not named by any measure", error)
                self.assertIn("江苏省财政厅", error)
        self.run_tool("rbl-publish", "--department", "江苏省财政厅", "-q", check=0)
        self.run_tool("rbl-check", "--department", "江苏省财政厅", subject, "-q", check=0)


class Help(KeyboardCase):
    def test_every_help_ends_with_examples_and_the_exit_codes(self):
        for tool in TOOLS:
            with self.subTest(tool=tool):
                text = self.run_tool(tool, "--help", check=0).stdout
                examples = text.index("Examples:\n")
                self.assertIn(f"\n  {tool} ", text[examples:])
                codes = text.index("Exit codes:\n", examples)
                tail = text[codes:].splitlines()
                self.assertEqual([line.split()[0] for line in tail[1:] if line[2] != " "],
                                 ["0", "1", "2", "3", "4"], text[codes:])
                self.assertIn("busy", tail[-1])
                self.assertIn("RBL_TODAY", text)

    def test_the_front_command_answers_help_and_version(self):
        version = self.run_tool("rbl", "--version", check=0).stdout
        self.assertRegex(version, r"^rbl \d+\.\d+")
        listing = self.run_tool("rbl", "help", check=0).stdout
        for tool in TOOLS:
            self.assertIn(f"  {tool.removeprefix('rbl-')} ", listing)
        self.assertEqual(self.run_tool("rbl", "--help", check=0).stdout, listing)
        help_text = self.run_tool("rbl", "help", "import", check=0).stdout
        self.assertIn("rbl-import", help_text)
        self.assertIn("Exit codes:", help_text)
        self.assertIn("--encoding", self.run_tool("rbl", "import", "--help", check=0).stdout)
        for args in (["frobnicate"], ["help", "frobnicate"]):
            with self.subTest(args=args):
                result = self.run_tool("rbl", *args, check=2)
                self.assertEqual(result.stderr,
                                 "rbl: error: there is no tool 'frobnicate' (see rbl help)\n")
        self.assertIn("usage: rbl TOOL", self.run_tool("rbl", check=2).stderr)


class CronDiscipline(KeyboardCase):
    def test_rule_tests_give_every_result_in_the_json_object(self):
        result = self.run_tool("rbl-rules", "test", "--json", check=0)
        report = self.one_json_object(result)
        self.assertEqual(len(report["results"]), report["tests"])
        self.assertTrue(report["results"])
        first = report["results"][0]
        self.assertEqual(set(first), {"list_id", "test", "file", "line", "passed", "problem",
                                      "explanation"})
        self.assertTrue(all(r["passed"] and r["problem"] is None for r in report["results"]))
        self.assertEqual(len(report["untested"]), report["untested_criteria"])
        quiet = self.run_tool("rbl-rules", "test", "--json", "-q", check=0)
        self.assertEqual(quiet.stderr, "")

    def test_a_dry_run_puts_its_changes_in_the_json_object(self):
        self.run_tool("rbl-import", TAX, check=0)
        result = self.run_tool("rbl-adjudicate", "--dry-run", "--json", "-q", check=0)
        self.assertEqual(result.stderr, "")
        summary = self.one_json_object(result)
        created = [c for c in summary["changes"] if c["change"] == "created"]
        self.assertEqual(len(created), summary["created"])
        self.assertTrue(created)
        self.assertEqual(set(created[0]), {"list_id", "change", "subject_id", "subject_name",
                                           "status", "reason"})
        plain = self.run_tool("rbl-adjudicate", "--dry-run", check=0)
        # Without --json, stdout has the data: the changes, a blank line, the per-list table.
        changes, per_list = plain.stdout.split("\n\n")
        self.assertEqual(len(changes.splitlines()), 1 + len(summary["changes"]))
        self.assertEqual(per_list.splitlines()[0].split()[:3], ["list", "entries", "created"])
        self.assertEqual(len(per_list.splitlines()), 1 + len(summary["lists"]))
        self.assertIn("entries: ", plain.stderr)
        real = self.one_json_object(self.run_tool("rbl-adjudicate", "--json", "-q", check=0))
        self.assertNotIn("changes", real)
        explained = self.run_tool("rbl-adjudicate", "--json", "--explain",
                                  created[0]["subject_id"], check=0)
        explanation = self.one_json_object(explained)
        self.assertEqual(explanation["subject_id"], created[0]["subject_id"])
        self.assertIn(created[0]["list_id"], "\n".join(explanation["explanation"]))

    def test_json_without_quiet_prints_nothing_else_on_stdout(self):
        entry = self.adjudicated()
        subject = self.scalar("SELECT subject_id FROM entries WHERE entry_id = ?", (entry,))
        runs = [
            ("rbl-import", TAX), ("rbl-rules", "check"), ("rbl-rules", "test"),
            ("rbl-rules", "show", "tax.black.major_violation"), ("rbl-rules", "doc"),
            ("rbl-adjudicate", "--dry-run"), ("rbl-appeal", "file", entry, "--reason", "x"),
            ("rbl-appeal", "list"), ("rbl-appeal", "show", 1), ("rbl-audit", "verify"),
            ("rbl-audit", "head"), ("rbl-audit", "lookups"), ("rbl-check", subject),
            ("rbl-publish", "--out", self.dir / "lists.csv"),
        ]
        for tool, *args in runs:
            with self.subTest(tool=tool, args=args):
                result = self.run_tool(tool, *args, "--json", check=0)
                self.assertIsInstance(self.one_json_object(result), dict)
        markdown = self.one_json_object(self.run_tool("rbl-rules", "doc", "--json", check=0))
        self.assertIn("tax.black.major_violation", markdown["markdown"])


class ChinaTime(KeyboardCase):
    def test_people_read_timestamps_in_china_standard_time_json_keeps_utc(self):
        entry = self.adjudicated()
        self.run_tool("rbl-appeal", "file", entry, "--reason", "x", "-q", check=0)
        log = self.run_tool("rbl-audit", "log", check=0).stdout.splitlines()
        self.assertEqual(log[0].split()[:2], ["seq", "at"])
        row = log[1].split()
        self.assertRegex(" ".join(row[1:3]), r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+08:00$")
        stored = json.loads(self.run_tool("rbl-audit", "log", "--json", check=0)
                            .stdout.splitlines()[0])["at"]
        self.assertRegex(stored, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        story = self.run_tool("rbl-appeal", "show", 1, check=0).stdout.splitlines()[0]
        self.assertRegex(story, r"recorded by tester at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+08:00")


if __name__ == "__main__":
    rbltest.main()
