"""Shared support for the end-to-end tests: run the built tools in a temporary folder.

Each test gets a fresh folder (kept, and named on stderr, when the test fails), a fixed
"today" (RBL_TODAY) and operator, and helpers to run a tool and query the database.

The store: an SQLite file in the test's folder, or, with RBL_TEST_STORE=postgresql and
RBL_TEST_PG_HOST=DIR (the socket folder of tests/pg/cluster.sh), a fresh PostgreSQL database
per test, dropped after it. `make test` runs the suite both ways. Tests of what only one store
has (an SQLite file's locks, damage or permissions) say so with @sqlite_only.
"""

import fcntl
import os
import re
import uuid
import shutil
import struct
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
STORE = os.environ.get("RBL_TEST_STORE", "sqlite")
PG_HOST = os.environ.get("RBL_TEST_PG_HOST", "")
ON_POSTGRESQL = STORE == "postgresql"


def pg_uri(name):
    """The URI of database NAME in the test cluster."""
    return f"postgresql:///{name}?host={PG_HOST}&user=postgres"


def pg_admin(statement):
    """Runs STATEMENT (CREATE/DROP DATABASE, roles) on the test cluster's postgres database."""
    import psycopg2
    connection = psycopg2.connect(host=PG_HOST, user="postgres", dbname="postgres")
    connection.autocommit = True
    try:
        connection.cursor().execute(statement)
    finally:
        connection.close()


def pg_name_of(location):
    """The database name in a test URI of pg_uri()."""
    return str(location).split("///", 1)[1].split("?", 1)[0]


def sqlite_only(reason):
    """Skips a test (or a class of them) on PostgreSQL, saying why."""
    return unittest.skipIf(ON_POSTGRESQL, f"SQLite only: {reason}")


def pg_query(query, params):
    """SQLite's ?N and ? placeholders as psycopg2's %s (a literal % doubled), with the
    parameters in the order the placeholders come."""
    ordered = []
    position = iter(params)

    def placeholder(match):
        number = match.group(1)
        ordered.append(params[int(number) - 1] if number else next(position))
        return "%s"
    return re.sub(r"\?(\d*)", placeholder, query.replace("%", "%%")), tuple(ordered)
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
        self.pg_name = None
        self.other_pg_names = set()
        if ON_POSTGRESQL:
            self.pg_name = f"rbl_test_{uuid.uuid4().hex[:16]}"
            pg_admin(f"CREATE DATABASE {self.pg_name}")
            self.other_pg_names.add(self.pg_name)
            self.db = pg_uri(self.pg_name)
        self.env = dict(os.environ)
        self.env.update({
            "RBL_TODAY": TODAY,
            "RBL_OPERATOR": "tester",
            "RBL_DB": str(self.db),
            "RBL_RULES": str(RULES),
            # The suite reads English messages whatever the machine's locale; the Chinese
            # interface has its own tests (test_chinese.py), which set RBL_LANG=zh.
            "RBL_LANG": "en",
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
        if self.pg_name is not None:
            for name in {self.pg_name, *self.other_pg_names}:
                pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

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

    def database_exists(self):
        """Whether the test's database exists, as a failed first import must not leave one:
        the SQLite file; on PostgreSQL, where the database exists before rbl (the office
        creates it) and rbl-import creates its schema on opening it, any import batch in it."""
        if ON_POSTGRESQL:
            if not self.sql("SELECT to_regclass('rbl_schema') IS NOT NULL")[0][0]:
                return False
            return self.scalar("SELECT count(*) FROM import_batches") > 0
        return Path(self.db).exists()

    def table_names(self):
        """rbl's tables in the test's database, sorted."""
        if ON_POSTGRESQL:
            return [name for (name,) in self.sql(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "ORDER BY table_name")]
        return [name for (name,) in self.sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]

    def shell(self, sql):
        """Runs SQL as someone with write access to the database would (the sqlite3 shell on
        the file; on PostgreSQL the database's owner)."""
        if ON_POSTGRESQL:
            # As the superuser, with triggers and foreign keys off, as the sqlite3 shell on the
            # file has them (it does not turn foreign keys on): the audit log's guard too.
            self.sql("SET session_replication_role = replica; " + sql)
        else:
            subprocess.run(["sqlite3", str(self.db), sql], check=True)

    def other_database(self, label):
        """Another, empty database of the test: the file LABEL.db in its folder, or on
        PostgreSQL a database of its own (dropped after the test); returns its location."""
        if not ON_POSTGRESQL:
            return self.dir / f"{label}.db"
        name = f"{self.pg_name}_{label}"
        pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {name}")
        self.other_pg_names.add(name)
        return pg_uri(name)

    def copy_database(self, source, target):
        """Makes TARGET a consistent copy of SOURCE (SQLite's online backup, write-ahead log
        included; on PostgreSQL a database created from SOURCE as its template)."""
        if ON_POSTGRESQL:
            name = pg_name_of(target)
            pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {name} TEMPLATE {pg_name_of(source)}")
            if name != self.pg_name:
                self.other_pg_names.add(name)
            return
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()

    def use_database(self, location):
        """Makes LOCATION (a file, or one of other_database()'s) the test's database, for the
        tools and for sql(); returns the one it was."""
        previous = self.db
        self.db = location
        self.env["RBL_DB"] = str(location)
        if ON_POSTGRESQL:
            self.pg_name = pg_name_of(location)
        return previous

    def evidence_ids(self, db=None):
        """Each entry's evidence as its record ids in order joined by ';', by entry id (what
        exports print), read with SQL both stores speak."""
        evidence = {}
        for entry_id, record_id in self.sql("SELECT entry_id, record_id FROM entry_evidence "
                                            "ORDER BY entry_id, record_id", db=db):
            evidence.setdefault(entry_id, []).append(record_id)
        return {entry_id: ";".join(ids) for entry_id, ids in evidence.items()}

    def remove_database(self):
        """Makes the test's database not exist: the file removed, or on PostgreSQL an empty
        database in its place (rbl's schema is what the tools look for)."""
        if ON_POSTGRESQL:
            pg_admin(f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)")
            pg_admin(f"CREATE DATABASE {self.pg_name}")
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(str(self.db) + suffix).unlink(missing_ok=True)

    def sql(self, query, params=(), db=None, names=False):
        """Runs a query on the test database (or the database DB: a file, or on PostgreSQL one
        of other_database()'s) and returns all rows (SQLite's SQL, ? params); with NAMES, each
        row as a dict by column name."""
        if ON_POSTGRESQL and (db is None or str(db).startswith("postgresql:")):
            if query == "PRAGMA integrity_check":
                # The server keeps its files whole by its own write-ahead log; what the tests
                # check after a crash is the rows, which the other queries read.
                return [("ok",)]
            import psycopg2
            connection = psycopg2.connect(host=PG_HOST, user="postgres",
                                          dbname=pg_name_of(db) if db else self.pg_name)
            try:
                cursor = connection.cursor()
                cursor.execute(*pg_query(query, tuple(params)))
                rows = cursor.fetchall() if cursor.description else []
                connection.commit()
                rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                        for row in rows]
                columns = [c.name for c in cursor.description or ()]
            finally:
                connection.close()
        else:
            connection = sqlite3.connect(db or self.db)
            try:
                cursor = connection.execute(query, params)
                rows = cursor.fetchall()
                columns = [c[0] for c in cursor.description or ()]
                connection.commit()  # a statement that writes (a test's tampering) keeps it
            finally:
                connection.close()
        return [dict(zip(columns, row)) for row in rows] if names else rows

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

# The advisory lock every rbl writer takes on PostgreSQL (store/pg_connection.cpp).
PG_WRITER_LOCK = 7496300


class hold_write_lock:
    """Holds the database's write lock, as another writer would, while the `with` block runs:
    SQLite's BEGIN IMMEDIATE, or on PostgreSQL rbl's writer lock in an open transaction."""

    def __init__(self, case):
        self.case = case

    def __enter__(self):
        if ON_POSTGRESQL:
            import psycopg2
            self.connection = psycopg2.connect(host=PG_HOST, user="postgres",
                                               dbname=self.case.pg_name)
            self.connection.cursor().execute("SELECT pg_advisory_xact_lock(%s)",
                                             (PG_WRITER_LOCK,))
        else:
            self.connection = sqlite3.connect(self.case.db, isolation_level=None)
            self.connection.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.connection.rollback() if ON_POSTGRESQL else self.connection.execute("ROLLBACK")
        self.connection.close()
        return False


class PgWriteLockProbe:
    """WriteLockProbe on PostgreSQL: held() names the transaction holding rbl's writer lock
    (its virtual transaction id), or None; writer_xid() its transaction id. A lock alone does
    not prove a transaction uncommitted (its rows become visible an instant before its locks
    go): a test that needs that asks a snapshot whether writer_xid() is still in progress."""

    def __init__(self, name):
        import psycopg2
        self.connection = psycopg2.connect(host=PG_HOST, user="postgres", dbname=name)
        self.connection.autocommit = True

    def held(self):
        cursor = self.connection.cursor()
        cursor.execute("SELECT virtualtransaction FROM pg_locks WHERE locktype = 'advisory' "
                       "AND objid = %s AND granted", (PG_WRITER_LOCK,))
        row = cursor.fetchone()
        return row[0] if row else None

    def writer_xid(self):
        """The transaction id of the holder of rbl's writer lock (as text), once it has one."""
        cursor = self.connection.cursor()
        cursor.execute("SELECT a.backend_xid::text FROM pg_locks l "
                       "JOIN pg_stat_activity a ON a.pid = l.pid "
                       "WHERE l.locktype = 'advisory' AND l.objid = %s AND l.granted "
                       "AND a.backend_xid IS NOT NULL", (PG_WRITER_LOCK,))
        row = cursor.fetchone()
        return row[0] if row else None

    def close(self):
        self.connection.close()


class WriteLockProbe:
    """Tells whether another process holds a database's write lock, that is, is inside a write
    transaction. In WAL mode SQLite's writer lock is a POSIX lock on one byte of the -shm file
    (byte 120: the first of its eight locks, WAL_WRITE_LOCK); F_GETLK asks the kernel whether
    another process holds it, without taking it. A BEGIN IMMEDIATE that may not wait could not
    tell it apart: it also fails for an instant while a checkpoint copies a committed run into
    the database (it holds a read slot), which made a read after the commit look like one
    inside the write.

    The -shm file's descriptor stays open until close(): closing any descriptor of a file drops
    every POSIX lock this process holds on it, those of its own SQLite connections included."""

    WAL_WRITE_LOCK_BYTE = 120
    # struct flock on Linux: short l_type, short l_whence, off_t l_start, off_t l_len,
    # pid_t l_pid, padded to 32 bytes.
    FLOCK = "hhqqi4x"

    def __init__(self, db):
        self.shm = Path(f"{db}-shm")
        self.fd = None

    def held(self):
        if self.fd is None:
            if not self.shm.exists():
                return False  # no connection has the database open in WAL mode
            self.fd = os.open(self.shm, os.O_RDWR)
        query = struct.pack(self.FLOCK, fcntl.F_WRLCK, os.SEEK_SET, self.WAL_WRITE_LOCK_BYTE, 1,
                            0)
        answer = fcntl.fcntl(self.fd, fcntl.F_GETLK, query)
        return struct.unpack(self.FLOCK, answer)[0] != fcntl.F_UNLCK

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def main():
    if ON_POSTGRESQL and not PG_HOST:
        print("skipped: RBL_TEST_STORE=postgresql needs RBL_TEST_PG_HOST (tests/pg/run.sh)",
              file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=2)
