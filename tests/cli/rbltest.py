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
import unicodedata
import unittest
from pathlib import Path

BIN_DIR = Path(os.environ.get("RBL_BIN_DIR", Path(__file__).resolve().parents[2] / "build" / "bin"))
SOURCE_DIR = Path(os.environ.get("RBL_SOURCE_DIR", Path(__file__).resolve().parents[2]))
SAMPLES = SOURCE_DIR / "samples"
RULES = SOURCE_DIR / "rules"
TODAY = "2026-11-28"
# Runs a command as the unprivileged user nobody (setpriv, util-linux).
NOBODY_ID = 65534
NOBODY = ["setpriv", f"--reuid={NOBODY_ID}", f"--regid={NOBODY_ID}", "--clear-groups", "--"]
READ, SEARCH = 4, 1  # permission bits: read; search a folder or run a file


def nobody_may(path, need):
    """Whether nobody has the permission bits NEED on PATH itself."""
    info = Path(path).stat()
    shift = 6 if info.st_uid == NOBODY_ID else 3 if info.st_gid == NOBODY_ID else 0
    return (info.st_mode >> shift) & need == need


def nobody_can_reach(path, need=READ):
    """Whether nobody can reach PATH (every folder above it searchable) and has NEED on it; on
    a folder, whether it can read and search it and reach everything in it."""
    path = Path(path).resolve()
    if not all(nobody_may(folder, SEARCH) for folder in path.parents):
        return False
    if path.is_dir():
        return nobody_may(path, READ | SEARCH) and all(
            nobody_may(item, READ | SEARCH if item.is_dir() else READ) for item in path.rglob("*"))
    return nobody_may(path, need)


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

    def run_as_nobody(self, tool, *args, timeout=300):
        """Runs bin/TOOL with args as the unprivileged user nobody when this runs as root (root
        may write any file), else as ourselves; returns the CompletedProcess (text mode).

        nobody may not enter a checkout in a private folder (root's home is 0700), so what it
        cannot reach it gets copied into the test folder: the tool, the rules ($RBL_RULES) and
        every argument that names an existing file or folder. Skips, saying why, where setpriv
        is missing or the test folder itself is out of nobody's reach."""
        if os.geteuid() != 0:
            command = [str(BIN_DIR / tool), *[str(a) for a in args]]
            return subprocess.run(command, env=self.env, capture_output=True, text=True,
                                  cwd="/", timeout=timeout)
        if not shutil.which("setpriv"):
            self.skipTest("setpriv (util-linux) is needed to drop root to nobody")
        for folder in self.dir.parents:
            if not nobody_may(folder, SEARCH):
                self.skipTest(f"nobody cannot reach the test folder {self.dir}: {folder} is "
                              f"closed to it (set TMPDIR to a folder others may enter)")
        self.dir.chmod(0o755)
        kit = self.dir / "for-nobody"
        kit.mkdir(exist_ok=True)

        def reachable(path, need=READ):
            """PATH itself if nobody can reach it, else a copy in the kit that it can."""
            path = Path(path)
            if nobody_can_reach(path, need):
                return path
            copy = kit / f"{len(list(kit.iterdir()))}-{path.name}"
            if path.is_dir():
                shutil.copytree(path, copy)
            else:
                shutil.copy2(path, copy)
            for item in [copy, *(copy.rglob("*") if copy.is_dir() else [])]:
                item.chmod(0o755 if item.is_dir() or os.access(item, os.X_OK) else 0o644)
            return copy

        env = dict(self.env)
        if Path(env["RBL_RULES"]).exists():
            env["RBL_RULES"] = str(reachable(env["RBL_RULES"]))
        arguments = [str(reachable(a) if isinstance(a, Path) and a.exists() else a)
                     for a in args]
        command = NOBODY + [str(reachable(BIN_DIR / tool, need=SEARCH)), *arguments]
        result = subprocess.run(command, env=env, capture_output=True, text=True, cwd="/",
                                timeout=timeout)
        if result.returncode in (126, 127) and result.stderr.startswith("setpriv:"):
            self.skipTest(f"nobody cannot run {command[len(NOBODY)]}: {result.stderr.strip()}")
        return result

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


def display_width(text):
    """Terminal columns `text` takes: East Asian wide and fullwidth characters count two,
    combining marks none (what the tools pad tables by)."""
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)

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
