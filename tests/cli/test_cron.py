"""Cron discipline of rbl-publish (SPEC.md §1, §6; issue 19 point 2): with --json stdout carries
exactly one JSON object, so an export to standard output is refused with it (exit 2, the error
as JSON); human text goes to stderr, none with -q; an empty delta writes no file (nor manifest)
unless --write-empty, says so in the summary, and still exits 0; and the crontab of README.md
runs as written."""

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SOURCE_DIR  # noqa: E402
import test_publish  # noqa: E402


class Cron(test_publish.PublishCase):
    def one_object(self, result):
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 1, result.stdout)
        return json.loads(lines[0])

    def test_json_with_an_export_to_stdout_is_refused_as_json(self):
        for args in ((), ("--out", "-"), ("--format", "jsonl"), ("records",),
                     ("--channel", "web", "--delta")):
            with self.subTest(args=args):
                before = self.scalar("SELECT count(*) FROM publications")
                result = self.publish(*args, "--json", check=2)
                error = self.one_object(result)
                self.assertEqual(error["exit"], 2)
                self.assertIn("--json with --out -", error["error"])
                self.assertIn("rbl-publish: error: --json with --out -", result.stderr)
                self.assertEqual(self.scalar("SELECT count(*) FROM publications"), before)
        # Without --json stdout is the export's, and the summary line goes to stderr.
        plain = self.publish()
        self.assertTrue(plain.stdout.startswith("entry_id,"))
        self.assertIn("rows as of", plain.stderr)
        # Department files and the report do not write to stdout: --json is theirs.
        self.one_object(self.publish("--by-department", self.dir / "d", "--json"))
        self.one_object(self.publish("report", "--out", self.dir / "r.html", "--json"))

    def test_json_to_a_file_is_one_object_and_quiet_is_silent(self):
        out = self.dir / "lists.csv"
        loud = self.publish("--out", out, "--json")
        summary = self.one_object(loud)
        self.assertEqual(summary["out"], str(out))
        self.assertTrue(summary["written"])
        self.assertIn("rows as of", loud.stderr)
        quiet = self.publish("--out", out, "--json", "-q")
        self.one_object(quiet)
        self.assertEqual(quiet.stderr, "")

    def test_an_empty_delta_writes_no_file_unless_asked(self):
        first = self.dir / "d1.csv"
        self.publish("--channel", "web", "--delta", "--out", first, "--manifest", "-q")
        self.assertTrue(first.exists())
        empty = self.dir / "d2.csv"
        result = self.publish("--channel", "web", "--delta", "--out", empty, "--manifest",
                              "--json")
        summary = self.one_object(result)
        self.assertFalse(summary["written"])
        self.assertIsNone(summary["sha256"])
        self.assertEqual(summary["rows"], 0)
        self.assertIn("empty delta", summary["why"])
        self.assertIsNotNone(summary["publication_id"])  # the channel still records the day
        self.assertIn("no file written (--write-empty writes it)", result.stderr)
        self.assertFalse(empty.exists())
        self.assertFalse(Path(str(empty) + ".sha256").exists())
        self.assertEqual([p.name for p in self.dir.iterdir() if p.name.startswith(".")], [])
        self.assertEqual(self.scalar("SELECT count(*) FROM publications WHERE channel = 'web'"),
                         2)
        self.assertEqual(self.scalar("SELECT sha256 FROM publications ORDER BY publication_id "
                                     "DESC LIMIT 1"), "")
        quiet = self.publish("--channel", "web", "--delta", "--out", empty, "-q")
        self.assertEqual((quiet.stdout, quiet.stderr), ("", ""))
        # --write-empty: the header alone, and its manifest.
        written = self.one_object(self.publish("--channel", "web", "--delta", "--write-empty",
                                               "--out", empty, "--manifest", "--json"))
        self.assertTrue(written["written"])
        self.assertEqual(empty.read_text(encoding="utf-8").splitlines(),
                         ["change," + ",".join(test_publish.CSV_COLUMNS)])
        self.assertTrue(Path(str(empty) + ".sha256").exists())
        # To standard output an empty delta is what it is: the header line.
        piped = self.publish("--channel", "web", "--delta", "-q")
        self.assertEqual(piped.stdout.splitlines(), ["change," + ",".join(test_publish.CSV_COLUMNS)])
        # A full publication with no rows is not a delta: written.
        none = self.dir / "none.csv"
        self.publish("--status", "withdrawn", "--out", none, "-q")
        self.assertTrue(none.exists())

    def test_the_readme_crontab_runs(self):
        """Each rbl-publish line of README.md's crontab, run as cron would (in sh, `\\%` as `%`),
        against this test's database: exit 0, one JSON object a line where it logs."""
        readme = (SOURCE_DIR / "README.md").read_text(encoding="utf-8")
        block = readme.split("# m  h  dom mon dow  command", 1)[1].split("```", 1)[0]
        lines = [line for line in block.splitlines() if "rbl-publish" in line]
        self.assertGreaterEqual(len(lines), 2)
        tools = {match for line in block.splitlines()
                 for match in re.findall(r"\b(rbl-[a-z]+)\b", line)}
        for tool in ("rbl-import", "rbl-rules", "rbl-adjudicate", "rbl-appeal", "rbl-publish",
                     "rbl-audit"):
            self.assertIn(tool, tools)  # one recipe per tool
        srv = self.dir / "srv"
        for folder in ("out", "log", "keep"):
            (srv / folder).mkdir(parents=True)
        env = dict(self.env)
        env["PATH"] = f"{rbltest.BIN_DIR}:{env['PATH']}"
        for line in lines:
            command = line.split(None, 5)[5].replace("\\%", "%").replace("/srv/rbl", str(srv))
            with self.subTest(command=command):
                result = subprocess.run(["sh", "-c", command], env=env, cwd=self.dir,
                                        capture_output=True, text=True)
                self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
                self.assertEqual(result.stdout, "", "cron would mail this")
        for log in (srv / "log").iterdir():
            for entry in log.read_text(encoding="utf-8").splitlines():
                self.assertIn("rows", json.loads(entry))
        self.assertTrue(any(p.suffix == ".xlsx" for p in (srv / "out").rglob("*")))


if __name__ == "__main__":
    rbltest.main()
