"""End-to-end tests of the tables the tools print (issue: tables for the people at the keyboard):
headers, alignment by display width, cut to the terminal's width on a terminal and never when
piped; data tables on stdout, the words for people on stderr; summaries count entries."""

import errno
import json
import os
import pty
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import BIN_DIR, display_width, uscc, ToolTestCase  # noqa: E402
from test_adjudicate import TEST_RULES  # noqa: E402

LONG_NAME = "南京市某某科技发展有限公司江宁分公司第一经营部"


class Tables(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": TEST_RULES})
        rows = [["P1", uscc(1), LONG_NAME, "market", "penalty", "2026-01-05", "serious", ""],
                ["P2", uscc(1), LONG_NAME, "market", "penalty", "2026-01-06", "serious", ""],
                ["P3", uscc(2), "王", "market", "penalty", "2026-01-05", "serious", ""],
                ["P4", uscc(2), "王", "market", "penalty", "2026-01-06", "serious", ""]]
        text = "record_id,subject_id,subject_name,domain,kind,date,severity,status\n"
        text += "".join(",".join(row) + "\n" for row in rows)
        self.run_tool("rbl-import", self.write("in.csv", text), check=0)

    def on_terminal(self, tool, *args, columns):
        """Runs TOOL with stdout on a pseudo-terminal COLUMNS wide ($COLUMNS); returns what it
        printed there (stdout), as text with the terminal's CR LF made LF."""
        master, slave = pty.openpty()
        env = dict(self.env, COLUMNS=str(columns))
        process = subprocess.Popen([str(BIN_DIR / tool), *map(str, args)], env=env,
                                   stdout=slave, stderr=subprocess.PIPE, cwd=self.dir)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError as error:  # EIO: the tool closed the terminal
                if error.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        process.stderr.read()
        process.stderr.close()
        self.assertEqual(process.wait(), 0)
        return out.decode("utf-8").replace("\r\n", "\n")

    def adjudicate(self, as_of, *args):
        return self.run_tool("rbl-adjudicate", "--as-of", as_of, *args,
                             env={"RBL_TODAY": as_of}, check=0)

    def test_the_per_list_table_is_data_on_stdout_and_the_summary_counts_entries(self):
        result = self.adjudicate("2026-01-06")
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["list", "entries", "created", "advanced", "expired",
                                            "withdrawn", "revoked", "lifted"])
        self.assertEqual(lines[1].split(), ["market.black.serious", "2", "0", "0", "0", "0", "0"])
        # Counts are right-aligned under their headers.
        self.assertEqual(lines[1].index(" 2  ") + 2, lines[0].index("created") + len("created"))
        self.assertIn("; entries: 2 created, 0 advanced", result.stderr)
        self.assertNotIn("list ", result.stderr)
        # -q: the data still, no words; --json: the object only, the table for people on stderr.
        quiet = self.adjudicate("2026-01-06", "-q", "--force")
        self.assertEqual(quiet.stderr, "")
        self.assertTrue(quiet.stdout.startswith("list "))
        as_json = self.adjudicate("2026-01-06", "--json", "--force")
        json.loads(as_json.stdout)
        self.assertIn("market.black.serious", as_json.stderr)
        self.assertEqual(self.adjudicate("2026-01-06", "--json", "-q", "--force").stderr, "")

    def test_the_expiring_entries_are_a_table_on_stdout(self):
        self.adjudicate("2026-01-06")
        later = self.adjudicate("2026-01-20", "--notify-days", "3660")
        self.assertIn("2 effective entries expire within 3660 days:", later.stderr)
        per_list, expiring = later.stdout.split("\n\n")
        self.assertTrue(per_list.startswith("list "))
        lines = expiring.splitlines()
        self.assertEqual(lines[0].split()[:3], ["entry", "list", "subject"])
        self.assertEqual([line.split()[1] for line in lines[1:]], ["market.black.serious"] * 2)

    def test_appeal_list_aligns_by_display_width_and_is_cut_only_on_a_terminal(self):
        self.adjudicate("2026-01-06")
        for entry in (1, 2):
            self.run_tool("rbl-appeal", "file", entry, "--reason", "异议", "--received",
                          "2026-01-07", env={"RBL_TODAY": "2026-01-07"}, check=0)
        piped = self.run_tool("rbl-appeal", "list", "--as-of", "2026-01-07",
                              env={"RBL_TODAY": "2026-01-07", "COLUMNS": "60"}, check=0)
        lines = piped.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["appeal", "type", "entry", "list", "subject", "name",
                                            "received", "due", "state"])
        self.assertEqual(len(lines), 3)
        # Piped: never cut, whatever $COLUMNS says; aligned by display width.
        self.assertIn(LONG_NAME, piped.stdout)
        column = display_width(lines[0][:lines[0].index("received")])
        for line in lines[1:]:
            self.assertEqual(display_width(line[:line.index("2026-01-07")]), column, lines)
        self.env["RBL_TODAY"] = "2026-01-07"
        shown = self.on_terminal("rbl-appeal", "list", "--as-of", "2026-01-07", columns=100)
        cut = shown.splitlines()
        self.assertEqual(len(cut), 3, shown)
        for line in cut:
            self.assertLessEqual(display_width(line), 100, cut)
        self.assertNotIn(LONG_NAME, shown)
        self.assertIn("…", shown)
        self.assertTrue(cut[1].split()[0] == "1" and cut[2].split()[0] == "2", cut)
        # A wide terminal: nothing to cut.
        wide = self.on_terminal("rbl-appeal", "list", "--as-of", "2026-01-07", columns=400)
        self.assertEqual(wide, piped.stdout)

    def test_the_dry_run_changes_are_cut_on_a_terminal_too(self):
        self.env["RBL_TODAY"] = "2026-01-06"
        shown = self.on_terminal("rbl-adjudicate", "--dry-run", "--as-of", "2026-01-06",
                                 columns=80)
        for line in shown.splitlines():
            self.assertLessEqual(display_width(line), 80, shown)
        self.assertIn("…", shown)
        self.assertEqual(shown.splitlines()[0].split()[:2], ["list", "change"])

    def test_the_audit_log_streamed_row_by_row_is_cut_on_a_terminal_only(self):
        self.adjudicate("2026-01-06")
        piped = self.run_tool("rbl-audit", "log", check=0).stdout
        self.assertTrue(any(display_width(line) > 90 for line in piped.splitlines()), piped)
        shown = self.on_terminal("rbl-audit", "log", columns=90)
        lines = shown.splitlines()
        self.assertEqual(len(lines), len(piped.splitlines()), shown)
        for line in lines:
            self.assertLessEqual(display_width(line), 90, shown)
        self.assertIn("…", shown)
        self.assertEqual(lines[0].split()[:3], ["seq", "at", "operator"])


if __name__ == "__main__":
    rbltest.main()
