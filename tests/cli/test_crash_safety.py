"""Crash safety (issue 6): rbl-import and rbl-adjudicate killed with SIGKILL at many points of a
large run leave a database that passes PRAGMA integrity_check, holds none or all of the
interrupted batch or run, keeps a whole audit chain, and re-running completes to the same final
state as an uninterrupted run."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SOURCE_DIR, ToolTestCase  # noqa: E402

# Where in an uninterrupted run's duration the kills land (fractions of it).
KILL_POINTS = (0.15, 0.4, 0.65, 0.9)

RECORD_STATE = ("SELECT source, record_id, subject_id, domain, kind, date, amount_fen, attrs, "
                "status, content_hash FROM records ORDER BY source, record_id")
ENTRY_STATE = ("SELECT entry_id, list_id, subject_id, status, decided_on, notice_until, "
               "publicity_until, effective_from, expires_on, explanation "
               "FROM entries e ORDER BY list_id, subject_id, decided_on")


class CrashSafety(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.data = self.dir / "records.csv"
        subprocess.run([sys.executable, str(SOURCE_DIR / "bench/gen_records.py"), "--subjects",
                        "4000", "--records", "80000", "--seed", "11", "--out", str(self.data),
                        "-q"], check=True)

    def entry_state(self):
        """Every entry as ENTRY_STATE reads it, without its id, and its evidence's record ids."""
        evidence = self.evidence_ids()
        return [row[1:] + (evidence.get(row[0]),) for row in self.sql(ENTRY_STATE)]

    def timed(self, tool, *args):
        start = time.monotonic()
        result = self.run_tool(tool, *args, check=0)
        return time.monotonic() - start, result

    def kill_after(self, seconds, tool, *args):
        process = subprocess.Popen([str(rbltest.BIN_DIR / tool), *[str(a) for a in args]],
                                   env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, cwd=self.dir)
        time.sleep(seconds)
        process.send_signal(signal.SIGKILL)
        return process.wait()

    def assert_whole(self):
        self.assertEqual(self.scalar("PRAGMA integrity_check"), "ok")
        if not rbltest.ON_POSTGRESQL:
            # A first load of more than 65,536 records builds the covering index after its rows
            # (RecordStore::defer_index_on_large_load): a kill at any point leaves it there.
            self.assertEqual(self.scalar("SELECT count(*) FROM sqlite_schema WHERE type = 'index' "
                                         "AND name = 'records_for_evaluation'"), 1)
        verify = self.run_tool("rbl-audit", "verify", "--json", check=0)
        self.assertTrue(json.loads(verify.stdout)["ok"])

    def reference(self, build):
        """The final state of an uninterrupted run, in a database of its own."""
        saved = self.use_database(self.other_database("reference"))
        try:
            return build()
        finally:
            self.use_database(saved)

    def test_killed_imports_leave_none_or_all_and_rerun_to_the_same_state(self):
        def import_all():
            duration, _ = self.timed("rbl-import", "-q", self.data)
            return duration, self.sql(RECORD_STATE)

        duration, expected = self.reference(import_all)
        outcomes = []
        for point in KILL_POINTS:
            if self.database_exists():
                self.remove_database()
            code = self.kill_after(duration * point, "rbl-import", "-q", self.data)
            outcomes.append(code)
            if not self.database_exists():
                continue  # killed before the database was created
            self.assert_whole()
            batches = self.scalar("SELECT count(*) FROM import_batches")
            records = self.scalar("SELECT count(*) FROM records")
            self.assertIn((batches, records), [(0, 0), (1, len(expected))], f"kill at {point}")
            self.run_tool("rbl-import", "-q", self.data, check=0)
            self.assert_whole()
            self.assertEqual(self.sql(RECORD_STATE), expected, f"kill at {point}")
        self.assertIn(-signal.SIGKILL, outcomes)  # at least one kill landed mid-run

    def test_killed_adjudications_leave_none_or_all_and_rerun_to_the_same_state(self):
        imported = self.other_database("imported")

        def adjudicate_all():
            self.run_tool("rbl-import", "-q", self.data, check=0)
            self.copy_database(self.db, imported)
            duration, result = self.timed("rbl-adjudicate", "-q", "--json")
            return duration, json.loads(result.stdout), self.entry_state()

        duration, summary, expected = self.reference(adjudicate_all)
        self.assertGreater(len(expected), 100)
        # Points over the whole run, and more inside its write transaction, which comes last.
        seconds = summary["seconds"]
        write_start = (seconds["read"] + seconds["evaluate"]) / duration
        points = sorted(set(KILL_POINTS) | {write_start + (1 - write_start) * f
                                            for f in (0.2, 0.5, 0.8)})
        killed_mid_run = 0
        for point in points:
            self.copy_database(imported, self.db)
            code = self.kill_after(duration * point, "rbl-adjudicate", "-q")
            killed_mid_run += code == -signal.SIGKILL
            self.assert_whole()
            runs = self.scalar("SELECT count(*) FROM runs")
            entries = self.scalar("SELECT count(*) FROM entries")
            self.assertIn((runs, entries), [(0, 0), (1, len(expected))], f"kill at {point}")
            self.run_tool("rbl-adjudicate", "-q", check=0)
            self.assert_whole()
            self.assertEqual(self.entry_state(), expected, f"kill at {point}")
        self.assertGreater(killed_mid_run, 0)


if __name__ == "__main__":
    rbltest.main()
