"""Concurrency (issue 6): writers beside writers wait or finish serially, readers never block and
never see half a run."""

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, SOURCE_DIR, ToolTestCase  # noqa: E402

OPEN_ENTRIES = ("SELECT list_id, subject_id, status FROM entries "
                "WHERE status IN ('notice', 'publicity', 'effective') ORDER BY 1, 2")


class Concurrency(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.data = self.dir / "records.csv"
        subprocess.run([sys.executable, str(SOURCE_DIR / "bench/gen_records.py"), "--subjects",
                        "4000", "--records", "60000", "--seed", "5", "--out", str(self.data),
                        "-q"], check=True)
        self.run_tool("rbl-import", "-q", self.data, check=0)

    def start(self, tool, *args):
        return subprocess.Popen([str(rbltest.BIN_DIR / tool), *[str(a) for a in args]],
                                env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, cwd=self.dir)

    def reference_entries(self):
        """The entries one run gives, on a copy of the database (a fresh one loaded the same
        way on PostgreSQL)."""
        copy = self.other_database("reference")
        self.copy_database(self.db, copy)
        self.run_tool("rbl-adjudicate", "-q", "--db", copy, check=0)
        return self.sql(OPEN_ENTRIES, db=copy)

    def test_two_adjudications_at_once_end_as_one_run_would(self):
        expected = self.reference_entries()
        first = self.start("rbl-adjudicate", "--json", "-q")
        second = self.start("rbl-adjudicate", "--json", "-q")
        results = [(p.wait(timeout=300), *p.communicate()) for p in (first, second)]
        codes = sorted(code for code, _, _ in results)
        self.assertIn(codes, ([0, 0], [0, 4]), results)
        self.assertEqual(self.sql(OPEN_ENTRIES), expected)
        self.assertEqual(self.scalar("SELECT count(*) FROM (SELECT 1 FROM entries WHERE status "
                                     "IN ('notice','publicity','effective') "
                                     "GROUP BY list_id, subject_id HAVING count(*) > 1) AS twice"), 0)
        created = sorted(json.loads(out)["created"] for code, out, _ in results if code == 0)
        self.assertEqual(created[-1], len(expected))
        if len(created) == 2:
            self.assertEqual(created[0], 0)  # the later one found the work done

    def test_an_import_beside_an_adjudication_completes(self):
        adjudication = self.start("rbl-adjudicate", "--json", "-q")
        time.sleep(0.2)
        imported = self.run_tool("rbl-import", "--json", "-q", SAMPLES / "records/courts.csv")
        self.assertEqual(imported.returncode, 0, imported.stderr)
        self.assertEqual(adjudication.wait(timeout=300), 0, adjudication.communicate())
        self.assertEqual(self.scalar("SELECT count(*) FROM import_batches"), 2)
        self.assertEqual(self.scalar("PRAGMA integrity_check"), "ok")

    def test_readers_never_see_half_a_run(self):
        """Reads taken while the adjudication holds its write transaction open (it writes the
        whole run in one, at its end) see the state before the run; reads after it, all of it.
        The test counts the reads that provably lay inside that transaction: the write lock was
        held just before the read began and still after it ended, with no commit in between."""
        adjudication = self.start("rbl-adjudicate", "--json", "-q")
        if rbltest.ON_POSTGRESQL:
            seen, during_the_write = self.reads_while_running_postgresql(adjudication)
        else:
            seen, during_the_write = self.reads_while_running_sqlite(adjudication)
        out, err = adjudication.communicate()
        self.assertEqual(adjudication.returncode, 0, err)
        total = json.loads(out)["created"]
        self.assertGreater(total, 0)
        self.assertTrue(seen <= {(0, 0, 0), (1, total, total)}, seen)
        # The property was tested: some reads looked while the run was half written.
        self.assertGreater(len(during_the_write), 0, "no read overlapped the run's write")
        self.assertEqual(set(during_the_write), {(0, 0, 0)})

    COUNTS = ("SELECT count(*) FROM runs", "SELECT count(*) FROM entries",
              "SELECT count(*) FROM audit_log WHERE action = 'entry.created'")

    def reads_while_running_sqlite(self, adjudication):
        """The counts read while ADJUDICATION runs, and those read provably inside its write
        transaction: the write lock held just before the read began and still after it ended,
        with no commit in between (data_version unchanged)."""
        seen, during_the_write = set(), []
        probe = rbltest.WriteLockProbe(self.db)
        connection = sqlite3.connect(self.db, isolation_level=None)
        try:
            while adjudication.poll() is None:
                # data_version first: a commit anywhere between it and the last probe changes
                # it, so a run committed just after the first probe is not taken for one in
                # progress.
                version_before = connection.execute("PRAGMA data_version").fetchone()[0]
                held_before = probe.held()
                connection.execute("BEGIN")
                counts = tuple(connection.execute(query).fetchone()[0] for query in self.COUNTS)
                connection.execute("COMMIT")
                held_after = probe.held()
                version_after = connection.execute("PRAGMA data_version").fetchone()[0]
                seen.add(counts)
                if held_before and held_after and version_before == version_after:
                    during_the_write.append(counts)
                time.sleep(0.005)
        finally:
            connection.close()
            probe.close()
        return seen, during_the_write

    def reads_while_running_postgresql(self, adjudication):
        """As on SQLite, by the definition of a snapshot: a read lay inside the write when the
        writer's transaction (the holder of rbl's writer lock, seen just before the read) is not
        visible in the read's snapshot. (Its transaction id as xid8: a fresh cluster is in its
        first epoch, where the two agree.)"""
        import psycopg2
        seen, during_the_write = set(), []
        probe = rbltest.PgWriteLockProbe(self.pg_name)
        connection = psycopg2.connect(host=rbltest.PG_HOST, user="postgres", dbname=self.pg_name)
        connection.set_session(isolation_level="REPEATABLE READ")
        cursor = connection.cursor()
        try:
            while adjudication.poll() is None:
                writer = probe.writer_xid()
                hidden = False
                if writer is not None:
                    # The reader's snapshot is taken here, its first statement.
                    cursor.execute("SELECT NOT pg_visible_in_snapshot(CAST(%s AS xid8), "
                                   "pg_current_snapshot())", (writer,))
                    hidden = cursor.fetchone()[0]
                counts = []
                for query in self.COUNTS:
                    cursor.execute(query)
                    counts.append(cursor.fetchone()[0])
                connection.commit()
                seen.add(tuple(counts))
                if hidden:
                    during_the_write.append((writer, tuple(counts)))
                time.sleep(0.005)
            # Only reads hidden from the transaction that wrote the run count: the tool may
            # hold the writer lock again in a later transaction, whose being in progress says
            # nothing of the run's. The run's rows carry the id of the transaction that wrote them.
            cursor.execute("SELECT xmin::text FROM runs")
            run_writers = {row[0] for row in cursor.fetchall()}
            connection.commit()
        finally:
            connection.close()
            probe.close()
        return seen, [counts for writer, counts in during_the_write if writer in run_writers]

    def test_readers_do_not_wait_for_a_writer_and_writers_give_up_after_wait(self):
        self.run_tool("rbl-adjudicate", "-q", check=0)
        with rbltest.hold_write_lock(self):  # another writer holds the write lock
            for args in (("rbl-audit", "verify"), ("rbl-audit", "log", "--since", "999999"),
                         ("rbl-appeal", "list"), ("rbl-adjudicate", "--dry-run", "-q"),
                         ("rbl-publish", "--status", "all", "-q"),
                         ("rbl-publish", "report", "--out", self.dir / "report.html", "-q"),
                         ("rbl-adjudicate", "--explain", self.any_subject())):
                start = time.monotonic()
                result = self.run_tool(*args, "--wait", "0")
                self.assertEqual(result.returncode, 0, f"{args}: {result.stderr}")
                self.assertLess(time.monotonic() - start, 20)
            start = time.monotonic()
            busy = self.run_tool("rbl-appeal", "file", "1", "--reason", "x", "--wait", "1",
                                 check=4)
            self.assertIn("busy", busy.stderr)
            self.assertIn("--wait", busy.stderr)
            self.assertGreaterEqual(time.monotonic() - start, 0.9)
            self.run_tool("rbl-adjudicate", "-q", "--wait", "1", check=4)
            self.run_tool("rbl-import", "-q", "--wait", "1", SAMPLES / "records/tax.csv",
                          check=4)
            # A channel publication records what it published: it is a writer.
            self.run_tool("rbl-publish", "--channel", "web", "-q", "--wait", "1",
                          "--out", self.dir / "web.csv", check=4)
            self.assertFalse((self.dir / "web.csv").exists())
        self.assertEqual(self.scalar("SELECT count(*) FROM appeals"), 0)
        self.run_tool("rbl-appeal", "file", "1", "--reason", "x", check=0)

    def any_subject(self):
        return self.scalar("SELECT subject_id FROM subjects ORDER BY subject_id LIMIT 1")


if __name__ == "__main__":
    rbltest.main()
