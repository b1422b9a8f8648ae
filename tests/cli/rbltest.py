"""Shared support for the end-to-end tests: run the built tools in a temporary folder.

Each test gets a fresh folder (kept, and named on stderr, when the test fails), a fixed
"today" (RBL_TODAY) and operator, and helpers to run a tool and query the database.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

BIN_DIR = Path(os.environ.get("RBL_BIN_DIR", Path(__file__).resolve().parents[2] / "build" / "bin"))
SOURCE_DIR = Path(os.environ.get("RBL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SAMPLES = SOURCE_DIR / "samples"
RULES = SOURCE_DIR / "rules"
TODAY = "2026-11-28"


class ToolTestCase(unittest.TestCase):
    """A test that runs rbl tools against a database in its own temporary folder."""

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix=f"rbl-{self.id().split('.')[-1]}-"))
        self.db = self.dir / "rbl.db"
        self.env = dict(os.environ)
        self.env.update({
            "RBL_TODAY": TODAY,
            "RBL_OPERATOR": "tester",
            "RBL_DB": str(self.db),
            "RBL_RULES": str(RULES),
        })

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        failed = False
        if outcome is not None:
            result = getattr(outcome, "result", None)
            if result is not None:
                failed = any(test is self for test, _ in result.failures + result.errors)
            elif hasattr(outcome, "errors"):
                failed = any(exc for _, exc in outcome.errors)
        if failed:
            print(f"\nkept test folder: {self.dir}", file=sys.stderr)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def run_tool(self, tool, *args, env=None, check=None, timeout=300, **kwargs):
        """Runs bin/TOOL with args; returns the CompletedProcess (text mode).

        check: an expected exit code, asserted with the tool's output in the message.
        """
        full_env = dict(self.env)
        if env:
            full_env.update(env)
        command = [str(BIN_DIR / tool), *[str(a) for a in args]]
        result = subprocess.run(command, env=full_env, capture_output=True, text=True,
                                timeout=timeout, cwd=self.dir, **kwargs)
        if check is not None:
            self.assertEqual(result.returncode, check,
                             f"{' '.join(command)}\nstdout: {result.stdout}\nstderr: {result.stderr}")
        return result

    def sql(self, query, params=(), db=None):
        """Runs a query on the test database and returns all rows."""
        connection = sqlite3.connect(db or self.db)
        try:
            return connection.execute(query, params).fetchall()
        finally:
            connection.close()

    def scalar(self, query, params=(), db=None):
        return self.sql(query, params, db)[0][0]

    def use_rules(self, files):
        """Makes a rules folder of the shipped calendar and `files` ({domain: YAML text}) the
        tests' $RBL_RULES; returns it."""
        rules = self.dir / "rules"
        rules.mkdir()
        shutil.copy(RULES / "calendar.yaml", rules / "calendar.yaml")
        for domain, text in files.items():
            (rules / f"{domain}.yaml").write_text(text, encoding="utf-8")
        self.env["RBL_RULES"] = str(rules)
        return rules

    def write(self, name, text, encoding="utf-8"):
        """Writes a file in the test folder and returns its path."""
        path = self.dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_bytes(text.encode(encoding))
        return path


def uscc(n):
    """A valid unified social credit code of a company in Nanjing, numbered n."""
    sys.path.insert(0, str(SOURCE_DIR / "bench"))
    import rbl_ids
    first17 = f"91320102MA1{n:06d}"
    return first17 + rbl_ids.uscc_check_char(first17)


class WriteLockProbe:
    """Tells whether another connection holds a database's write lock, that is, is inside a
    write transaction: a BEGIN IMMEDIATE that may not wait fails with "database is locked".
    When no one holds it the probe takes it for an instant and gives it back (a writer starting
    then waits on its busy timeout, which the tools set to --wait, 30 s by default)."""

    def __init__(self, db):
        # mode=rw: never create the database.
        self.connection = sqlite3.connect(f"file:{db}?mode=rw", uri=True, timeout=0,
                                          isolation_level=None)

    def held(self):
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return True
            raise
        self.connection.execute("ROLLBACK")
        return False

    def close(self):
        self.connection.close()


def main():
    unittest.main(verbosity=2)
