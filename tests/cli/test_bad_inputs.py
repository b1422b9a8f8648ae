"""End-to-end tests of the bad-input catalogue (docs/BAD_INPUTS.md): hostile or broken rule files,
record files, options and database states. Each gives a clear error and the exit code of SPEC.md
§1, and leaves the database as it was.

RBL_SHOW_ERRORS=1 prints each error as the tools give it (to keep the catalogue's messages true)."""

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import RULES, SAMPLES, SOURCE_DIR, ToolTestCase  # noqa: E402
from test_import import HEADER, company  # noqa: E402
from test_rules import GOOD_LIST  # noqa: E402

CRITERIA = "      count: { kind: court_default, within: 1y }\n      at_least: 2"


def file_digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class BadInputCase(ToolTestCase):
    """Helpers: refusals with their message, and the database's state before and after."""

    def assert_refused(self, tool, args, code, *needles, env=None, timeout=300):
        result = self.run_tool(tool, *args, env=env, check=code, timeout=timeout)
        if os.environ.get("RBL_SHOW_ERRORS"):
            print(f"\n[{self.id().split('.')[-1]}] exit {result.returncode}: {result.stderr.strip()[:300]}",
                  file=sys.stderr)
        self.assertTrue(result.stderr.startswith(f"{tool}: error: "), result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertNotIn("internal error", result.stderr)
        return result

    def state(self, db=None):
        """What a bad input must not change: row counts of every table, and the audit chain."""
        if db is None:
            tables = self.table_names()
        else:
            tables = [name for (name,) in self.sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", db=db)]
        counts = {name: self.scalar(f"SELECT count(*) FROM {name}", db=db) for name in tables}
        counts["audit_tail"] = self.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                                        db=db)
        return counts

    def loaded_database(self):
        """A database holding the courts sample; returns its state."""
        self.run_tool("rbl-import", SAMPLES / "records/courts.csv", check=0)
        return self.state()

    def rules_with(self, text, name="courts.yaml"):
        folder = self.dir / "rules"
        folder.mkdir(exist_ok=True)
        shutil.copy(RULES / "calendar.yaml", folder / "calendar.yaml")
        (folder / name).write_text(text, encoding="utf-8")
        return folder


class HostileRuleFiles(BadInputCase):
    """Rule files built to exhaust the loader: every tool that reads rules refuses them (exit 2),
    fast, and the database is untouched."""

    def assert_rules_refused(self, folder, *needles):
        started = self.loaded_database()
        result = self.assert_refused("rbl-rules", ["--rules", folder, "check"], 2, *needles,
                                     timeout=60)
        self.assertLess(len(result.stderr), 4000, "the message quotes too much of the file")
        self.assert_refused("rbl-import", ["--rules", folder, SAMPLES / "records/tax.csv"], 2,
                            *needles, timeout=60)
        self.assert_refused("rbl-adjudicate", ["--rules", folder], 2, *needles, timeout=60)
        self.assertEqual(self.state(), started)

    def test_yaml_nested_100000_levels(self):
        folder = self.rules_with(GOOD_LIST.replace(
            CRITERIA, "      any: " + "[" * 100000 + "]" * 100000))
        self.assert_rules_refused(folder, "courts.yaml:15:", "the YAML nests more than 100 levels deep")

    def test_yaml_billion_laughs(self):
        lines = ["      any:",
                 "        - &l0 {exists: {kind: court_default, where: \"circumstance == 'x'\"}}"]
        for level in range(1, 10):
            lines.append(f"        - &l{level} {{any: [{', '.join([f'*l{level - 1}'] * 10)}]}}")
        folder = self.rules_with(GOOD_LIST.replace(CRITERIA, "\n".join(lines)))
        self.assert_rules_refused(folder, "courts.yaml:", "expands to more than 200000 YAML nodes")

    def test_expression_nested_10000_levels(self):
        expression = "(" * 10000 + "circumstance == 'x'" + ")" * 10000
        folder = self.rules_with(GOOD_LIST.replace(
            "count: { kind: court_default, within: 1y }",
            f"count: {{ kind: court_default, within: 1y, where: \"{expression}\" }}"))
        self.assert_rules_refused(folder, "courts.yaml:15:",
                                  "expression nests too deeply (more than 200 levels)")

    def test_expression_of_10000_terms_is_accepted(self):
        # Long but flat: no nesting limit applies, and evaluation does not recurse per term.
        expression = " or ".join(["circumstance == 'x'"] * 10000)
        folder = self.rules_with(GOOD_LIST.replace(
            "count: { kind: court_default, within: 1y }",
            f"count: {{ kind: court_default, within: 1y, where: \"{expression}\" }}"))
        self.run_tool("rbl-rules", "--rules", folder, "check", check=0, timeout=60)

    def test_mapping_billion_laughs(self):
        started = self.loaded_database()
        lines = ["columns: {a: subject_name}", "notes:", "  - &l0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in range(1, 10):
            lines.append(f"  - &l{level} [{', '.join([f'*l{level - 1}'] * 10)}]")
        mapping = self.write("bomb.yaml", "\n".join(lines) + "\n")
        self.assert_refused("rbl-import", ["--mapping", mapping, SAMPLES / "records/tax.csv"], 2,
                            "bomb.yaml:", "expands to more than 200000 YAML nodes", timeout=60)
        self.assertEqual(self.state(), started)

    def test_rule_file_that_is_not_utf8(self):
        folder = self.rules_with(GOOD_LIST)
        (folder / "courts.yaml").write_bytes(
            GOOD_LIST.encode("utf-8").replace("法院".encode("utf-8"), "法院".encode("gb18030")))
        self.assert_rules_refused(folder, "courts.yaml", "not valid UTF-8")


class HostileRecordFiles(BadInputCase):
    def test_10_mb_single_csv_field(self):
        started = self.loaded_database()
        path = self.write("big_field.csv", HEADER
                          + f"G1,{company(1)},好公司,courts,court_default,2025-01-10,,\n"
                          + f"B1,{company(2)},\"{'名' * (10 * 1024 * 1024 // 3)}\",courts,"
                            "court_default,2025-01-10,,\n")
        self.assertGreater(path.stat().st_size, 10 * 1000 * 1000)
        # --strict: the rejected row means nothing is committed.
        result = self.assert_strict(path)
        self.assertIn("big_field.csv:3: rejected (column subject_name)", result.stderr)
        self.assertIn("longer than the 64 KiB a value may hold", result.stderr)
        self.assertLess(len(result.stderr), 2000, "the message echoes the huge value")
        self.assertEqual(self.state(), started)
        # Without --strict the good row goes in, the huge one does not.
        result = self.run_tool("rbl-import", "--json", path, check=3)
        self.assertEqual(json.loads(result.stdout)["inserted"], 1)
        self.assertEqual(self.scalar("SELECT count(*) FROM subjects WHERE subject_id = ?",
                                     (company(2),)), 0)

    def assert_strict(self, path, *args):
        return self.run_tool("rbl-import", "--strict", *args, path, check=3)

    def test_json_line_of_100000_names(self):
        """Duplicate names were found by comparing each with every earlier one: 30 s here."""
        started = self.loaded_database()
        row = {"record_id": "J1", "subject_id": company(1), "subject_name": "甲",
               "domain": "labour", "kind": "wage_arrears", "date": "2025-05-01"}
        row.update({f"k{i}": i for i in range(100000)})
        path = self.write("wide.jsonl", json.dumps(row, ensure_ascii=False) + "\n")
        begun = time.monotonic()
        result = self.run_tool("rbl-import", "--json", path, check=0, timeout=120)
        self.assertLess(time.monotonic() - begun, 15)
        self.assertEqual(json.loads(result.stdout)["inserted"], 1)
        row["k99999"] = 1
        text = json.dumps(row, ensure_ascii=False)
        path = self.write("dup.jsonl", text[:-1] + ', "k5": 6}\n')
        result = self.run_tool("rbl-import", "--strict", path, check=3, timeout=120)
        self.assertIn("duplicate field 'k5'", result.stderr)
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), started["records"] + 1)

    def test_nul_byte_after_the_first_64_kib(self):
        """The binary check reads the first 64 KiB; a NUL later was stored inside a name."""
        started = self.loaded_database()
        rows = [HEADER] + [f"G{i},{company(100 + i)},好公司{i},courts,court_default,2025-01-10,,\n"
                           for i in range(1500)]
        rows.append(f"N1,{company(9999)},坏\0公司,courts,court_default,2025-01-10,,\n")
        path = self.write("nul.csv", "".join(rows))
        self.assertGreater(path.stat().st_size, 65536)
        result = self.run_tool("rbl-import", "--strict", path, check=3)
        self.assertIn("nul.csv:1502: rejected (column subject_name): byte 4 is a control character "
                      "(0x00), not text", result.stderr)
        self.assertEqual(self.state(), started)

    def test_truncated_csv(self):
        started = self.loaded_database()
        whole = (SAMPLES / "records/tax.csv").read_bytes()
        # Cut inside the last row's Chinese text, in the middle of a UTF-8 character.
        last_row = whole.rstrip(b"\n").rfind(b"\n") + 1
        cut = last_row + whole[last_row:].index(b",", whole[last_row:].index(b",") + 1) + 5
        while (whole[cut] & 0xC0) != 0x80:
            cut += 1
        path = self.write("truncated.csv", whole[:cut])
        result = self.assert_strict(path)
        self.assertIn("truncated.csv:", result.stderr)
        self.assertIn("--strict: nothing committed", result.stderr)
        self.assertEqual(self.state(), started)
        # Cut inside a quoted field: an unterminated quote.
        path = self.write("truncated_quote.csv", HEADER + f"G1,{company(1)},\"好公司")
        result = self.assert_strict(path)
        self.assertIn("unterminated quoted field", result.stderr)
        self.assertEqual(self.state(), started)

    def test_utf8_file_given_as_gb18030(self):
        started = self.loaded_database()
        self.assert_refused("rbl-import", ["--encoding", "gb18030", SAMPLES / "records/tax.csv"],
                            2, "is UTF-8 text, not GB18030: leave out --encoding gb18030")
        self.assertEqual(self.state(), started)

    def test_gb18030_file_given_as_utf8(self):
        started = self.loaded_database()
        self.assert_refused("rbl-import", [SAMPLES / "records/environment_gb18030.csv"], 2,
                            "use --encoding gb18030")
        self.assertEqual(self.state(), started)

    def test_utf16_file(self):
        started = self.loaded_database()
        text = (SAMPLES / "records/tax.csv").read_text(encoding="utf-8")
        for name, data in [("utf16le.csv", text.encode("utf-16")),          # with a BOM
                           ("utf16be.csv", b"\xfe\xff" + text.encode("utf-16-be"))]:
            with self.subTest(name):
                self.assert_refused("rbl-import", [self.write(name, data)], 2,
                                    "is UTF-16 text; save it as UTF-8")
        self.assertEqual(self.state(), started)

    def test_latin1_file(self):
        started = self.loaded_database()
        path = self.write("latin1.csv", (HEADER + f"L1,{company(1)},Müller GmbH,courts,"
                                         "court_default,2025-01-10,,Düsseldorf\n").encode("latin-1"))
        result = self.run_tool("rbl-import", "--strict", path)
        self.assertIn(result.returncode, (2, 3), result.stderr)
        self.assertTrue(result.stderr.startswith("rbl-import:"), result.stderr)
        self.assertEqual(self.state(), started)


class HostileDatabaseStates(BadInputCase):
    @rbltest.sqlite_only("sets the version of the SQLite file")
    def test_database_from_a_newer_schema_version(self):
        self.loaded_database()
        self.sql_write("PRAGMA user_version = 99")
        before = file_digest(self.db)
        for tool, args in [("rbl-import", [SAMPLES / "records/tax.csv"]),
                           ("rbl-import", ["--revert", "1"]),
                           ("rbl-adjudicate", [])]:
            with self.subTest(tool=tool, args=args):
                self.assert_refused(tool, args, 1, "has schema version 99, newer than this rbl "
                                                   "understands", "upgrade rbl")
        self.assertEqual(file_digest(self.db), before)

    def sql_write(self, statement):
        connection = sqlite3.connect(self.db)
        try:
            connection.execute(statement)
            connection.commit()
        finally:
            connection.close()

    @rbltest.sqlite_only("the database file's permissions")
    def test_read_only_database_file(self):
        started = self.loaded_database()
        self.dir.chmod(0o755)  # nobody must reach the database
        if os.geteuid() == 0:
            os.chown(self.db, 65534, 65534)
        self.db.chmod(0o400)
        before = file_digest(self.db)
        for tool, args in [("rbl-import", [SAMPLES / "records/tax.csv"]),
                           ("rbl-adjudicate", [])]:
            with self.subTest(tool):
                result = self.run_as_nobody(tool, "--db", self.db, *args)
                if os.environ.get("RBL_SHOW_ERRORS"):
                    print(f"\n[read_only] exit {result.returncode}: {result.stderr.strip()[:300]}",
                          file=sys.stderr)
                self.assertEqual(result.returncode, 1, result.stderr)
                self.assertIn(f"{tool}: error: database {self.db} is read-only", result.stderr)
        self.assertEqual(file_digest(self.db), before)
        self.assertFalse(Path(str(self.db) + "-wal").exists())
        self.assertEqual(self.state(), started)

    def test_nobody_is_given_what_it_reads(self):
        """The helper the read-only tests use gives nobody its own copies of the tool, the rules
        and the input: a checkout in a private folder (root's home is 0700) was out of its
        reach, and the tools exited 2 ("rules folder … does not exist")."""
        if os.geteuid() != 0:
            self.skipTest("only root drops to nobody")
        private = self.dir / "private"
        private.mkdir(mode=0o700)
        shutil.copytree(rbltest.BIN_DIR, private / "bin")
        shutil.copytree(RULES, private / "rules")
        shutil.copy2(SAMPLES / "records/courts.csv", private / "courts.csv")
        self.env["RBL_RULES"] = str(private / "rules")
        database = self.dir / "db"
        database.mkdir()
        os.chown(database, 65534, 65534)
        saved = rbltest.BIN_DIR
        for bin_dir in (saved, private / "bin"):
            with self.subTest(bin_dir=bin_dir):
                (database / "rbl.db").unlink(missing_ok=True)
                rbltest.BIN_DIR = bin_dir
                try:
                    result = self.run_as_nobody("rbl-import", "--json", "--db",
                                                database / "rbl.db", private / "courts.csv")
                finally:
                    rbltest.BIN_DIR = saved
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertGreater(json.loads(result.stdout)["inserted"], 0)
                self.assertEqual((database / "rbl.db").stat().st_uid, 65534)

    def test_disk_full(self):
        """--db on a tmpfs of a few hundred KiB, mounted in a private mount namespace (so that
        nothing outlives the test): the import fills it, SQLite reports SQLITE_FULL, the tool
        exits 1 with "disk full", and the database holds what it held before."""
        if not shutil.which("unshare"):
            self.skipTest("unshare is needed for a private tmpfs")
        seed = self.dir / "seed.db"
        self.run_tool("rbl-import", "--db", seed, SAMPLES / "records/courts.csv", check=0)
        started = self.state(seed)
        big = self.dir / "big.csv"
        subprocess.run([sys.executable, str(SOURCE_DIR / "bench/gen_records.py"), "--subjects",
                        "3000", "--records", "20000", "--seed", "5", "--out", str(big)],
                       check=True)
        mount = self.dir / "tiny"
        mount.mkdir()
        size_kib = seed.stat().st_size // 1024 + 192
        script = f"""
set -u
mount -t tmpfs -o size={size_kib}k tmpfs {mount} || exit 97
cp {seed} {mount}/rbl.db
{rbltest.BIN_DIR}/rbl-import --db {mount}/rbl.db {big} 2> {self.dir}/stderr.txt
echo $? > {self.dir}/rc.txt
cp {mount}/rbl.db {self.dir}/after.db
[ -e {mount}/rbl.db-wal ] && cp {mount}/rbl.db-wal {self.dir}/after.db-wal
exit 0
"""
        namespace = (["unshare", "--mount", "--propagation", "private"] if os.geteuid() == 0
                     else ["unshare", "--user", "--map-root-user", "--mount"])
        result = subprocess.run(namespace + ["sh", "-c", script], env=self.env,
                                capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            self.skipTest(f"cannot mount a private tmpfs here: {result.stderr.strip()}")
        stderr = (self.dir / "stderr.txt").read_text()
        if os.environ.get("RBL_SHOW_ERRORS"):
            print(f"\n[test_disk_full] {stderr.strip()[:300]}", file=sys.stderr)
        self.assertEqual((self.dir / "rc.txt").read_text().strip(), "1", stderr)
        self.assertIn("rbl-import: error: ", stderr)
        self.assertIn("disk full", stderr)
        after = self.dir / "after.db"
        self.assertEqual(self.scalar("PRAGMA integrity_check", db=after), "ok")
        self.assertEqual(self.state(after), started)

    @rbltest.sqlite_only("damages the database file")
    def test_damaged_database(self):
        self.loaded_database()
        data = bytearray(self.db.read_bytes())
        page_size = int.from_bytes(data[16:18], "big")
        # Scribble over every page but the first (the header and schema stay readable).
        for offset in range(page_size, len(data), 7):
            data[offset] = 0xA5
        self.db.write_bytes(bytes(data))
        before = file_digest(self.db)
        self.assert_refused("rbl-import", [SAMPLES / "records/tax.csv"], 1, "is damaged",
                            "restore it from a backup")
        self.assertEqual(file_digest(self.db), before)

    @rbltest.sqlite_only("a folder in place of the database file")
    def test_database_that_is_a_folder(self):
        self.db.mkdir()
        self.assert_refused("rbl-import", [SAMPLES / "records/tax.csv"], 2, "is a folder")
        self.assert_refused("rbl-adjudicate", [], 2, "is a folder")


class HostileOutputPaths(BadInputCase):
    def test_rejects_path_that_is_a_symbolic_link(self):
        started = self.loaded_database()
        target = self.write("precious.txt", "do not overwrite\n")
        link = self.dir / "rejects.csv"
        link.symlink_to(target)
        self.assert_refused("rbl-import", ["--rejects", link, SAMPLES / "bad/bad_rows.csv"], 2,
                            f"the rejects file {link} is a symbolic link")
        self.assertEqual(target.read_text(), "do not overwrite\n")
        self.assertEqual(self.state(), started)
        # A dangling link would create a file wherever it points.
        dangling = self.dir / "dangling.csv"
        dangling.symlink_to(self.dir / "elsewhere.csv")
        self.assert_refused("rbl-import", ["--rejects", dangling, SAMPLES / "bad/bad_rows.csv"],
                            2, "symbolic link")
        self.assertFalse((self.dir / "elsewhere.csv").exists())
        self.assertEqual(self.state(), started)

    def test_rejects_path_that_is_a_symbolic_link_creates_no_database(self):
        link = self.dir / "rejects.csv"
        link.symlink_to(self.dir / "elsewhere.csv")
        self.assert_refused("rbl-import", ["--rejects", link, SAMPLES / "bad/bad_rows.csv"], 2,
                            "symbolic link")
        self.assertFalse(self.database_exists())

    @rbltest.sqlite_only("the rejects file named as the database file")
    def test_rejects_path_that_is_the_database(self):
        started = self.loaded_database()
        before = file_digest(self.db)
        self.assert_refused("rbl-import", ["--rejects", self.db, SAMPLES / "bad/bad_rows.csv"], 2,
                            f"the rejects file {self.db} is the database's file {self.db}")
        self.assertEqual(file_digest(self.db), before)
        self.assertEqual(self.scalar("PRAGMA integrity_check"), "ok")
        self.assertEqual(self.state(), started)
        # Through another name for the same file (a hard link).
        other = self.dir / "other-name.csv"
        os.link(self.db, other)
        self.assert_refused("rbl-import", ["--rejects", other, SAMPLES / "bad/bad_rows.csv"], 2,
                            "is the database's file")
        self.assertEqual(self.state(), started)

    def test_rejects_path_that_is_the_input_or_the_mapping(self):
        started = self.loaded_database()
        source = self.write("in.csv", (SAMPLES / "bad/bad_rows.csv").read_bytes())
        self.assert_refused("rbl-import", ["--rejects", source, source], 2,
                            f"the rejects file {source} is the input file")
        self.assertEqual(source.read_bytes(), (SAMPLES / "bad/bad_rows.csv").read_bytes())
        mapping = self.write("m.yaml", (SAMPLES / "mappings/shuanggongshi_penalty.yaml").read_text())
        self.assert_refused("rbl-import", ["--mapping", mapping, "--rejects", mapping,
                                           SAMPLES / "records/market_penalties_shuanggongshi.csv"],
                            2, "is the mapping file")
        self.assertEqual(mapping.read_text(),
                         (SAMPLES / "mappings/shuanggongshi_penalty.yaml").read_text())
        self.assertEqual(self.state(), started)

    def test_rejects_in_a_missing_folder(self):
        started = self.loaded_database()
        self.assert_refused("rbl-import", ["--rejects", self.dir / "no/such/rejects.csv",
                                           SAMPLES / "bad/bad_rows.csv"], 2, "does not exist")
        self.assertEqual(self.state(), started)

    def test_rejects_file_is_created_0600(self):
        rejects = self.dir / "rejects.csv"
        old_umask = os.umask(0)
        try:
            self.run_tool("rbl-import", "--rejects", rejects, SAMPLES / "bad/bad_rows.csv", check=3)
        finally:
            os.umask(old_umask)
        self.assertEqual(stat.S_IMODE(rejects.stat().st_mode), 0o600)
        if not rbltest.ON_POSTGRESQL:
            self.assertEqual(stat.S_IMODE(self.db.stat().st_mode), 0o600)


class BadOptions(BadInputCase):
    def test_bad_flags_are_usage_errors_and_create_nothing(self):
        cases = [
            ("rbl-import", ["--wait", "-1", SAMPLES / "records/tax.csv"], "--wait"),
            ("rbl-import", ["--encoding", "latin1", SAMPLES / "records/tax.csv"], "--encoding"),
            ("rbl-import", ["--format", "xml", SAMPLES / "records/tax.csv"], "--format"),
            ("rbl-import", ["--id-check", "maybe", SAMPLES / "records/tax.csv"], "--id-check"),
            ("rbl-import", ["--revert", "0"], "--revert: a batch id is a positive whole number"),
            ("rbl-import", ["--revert", "-3"], "a batch id is a positive whole number"),
            ("rbl-import", ["--revert", "1", SAMPLES / "records/tax.csv"], "not both"),
            ("rbl-import", ["--no-such-flag"], "no-such-flag"),
            ("rbl-import", [], "no file to import"),
            ("rbl-adjudicate", ["--as-of", "2026-13-01"], "as-of"),
            ("rbl-rules", ["frobnicate"], "subcommand"),
        ]
        for tool, args, needle in cases:
            with self.subTest(tool=tool, args=args):
                self.assert_refused(tool, args, 2, needle)
                self.assertFalse(self.database_exists())

    def test_missing_rules_folder(self):
        self.assert_refused("rbl-import", ["--rules", self.dir / "nowhere",
                                           SAMPLES / "records/tax.csv"], 2, "does not exist")
        self.assertFalse(self.database_exists())


if __name__ == "__main__":
    rbltest.main()
