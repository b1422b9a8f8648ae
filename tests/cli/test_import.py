"""End-to-end tests of rbl-import (SPEC.md §2) on the samples and on broken files."""

import csv
import hashlib
import io
import json
import os
import pty
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, SOURCE_DIR, ToolTestCase  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

HEADER = "record_id,subject_id,subject_name,domain,kind,date,amount,authority\n"


def complete_uscc(first17):
    return first17 + rbl_ids.uscc_check_char(first17)


def complete_resident(first17):
    return first17 + rbl_ids.resident_check_char(first17)


def company(n=0):
    """A valid USCC of a Nanjing company, distinct per n."""
    return complete_uscc(f"91320102MA1{n:06d}")


def person(n=0):
    """A valid resident ID of a Nanjing resident born 1980-01-01, distinct per n."""
    return complete_resident(f"32010219800101{n:03d}")


class ImportSamples(ToolTestCase):
    def import_ok(self, *args):
        result = self.run_tool("rbl-import", "--json", *args)
        self.assertEqual(result.returncode, 0, result.stderr)
        return json.loads(result.stdout)

    def test_every_sample_imports_cleanly(self):
        files = [
            ["samples/records/courts.csv"],
            ["samples/records/tax.csv"],
            ["samples/records/labour.jsonl"],
            ["samples/records/work_safety.csv"],
            ["samples/records/statistics.csv"],
            ["samples/records/public_resource.csv"],
            ["samples/records/customs.csv"],
            ["samples/records/government.csv"],
            ["samples/records/social_insurance.csv"],
            ["--encoding", "gb18030", "samples/records/environment_gb18030.csv"],
            ["--source", "market-bureau", "--mapping", "samples/mappings/shuanggongshi_penalty.yaml",
             "samples/records/market_penalties_shuanggongshi.csv"],
        ]
        total = 0
        for args in files:
            args = [str(SOURCE_DIR / a) if a.startswith("samples/") else a for a in args]
            summary = self.import_ok(*args)
            self.assertGreater(summary["rows"], 0, args)
            self.assertEqual(summary["rows"], summary["inserted"], args)
            self.assertEqual(summary["rejected"], 0, args)
            total += summary["inserted"]
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), total)
        self.assertEqual(self.scalar("SELECT count(*) FROM import_batches"), len(files))
        # Every batch keeps the file's SHA-256.
        for name, digest in self.sql("SELECT file_name, file_sha256 FROM import_batches"):
            self.assertEqual(digest, hashlib.sha256(Path(name).read_bytes()).hexdigest())

    def test_mapping_converts_ten_thousand_yuan_and_chinese_headers(self):
        self.import_ok("--source", "market-bureau", "--mapping",
                       SAMPLES / "mappings/shuanggongshi_penalty.yaml",
                       SAMPLES / "records/market_penalties_shuanggongshi.csv")
        with open(SAMPLES / "records/market_penalties_shuanggongshi.csv", encoding="utf-8-sig",
                  newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            record_id = row["决定书文号"]
            amount_fen, domain, kind, attrs = self.sql(
                "SELECT amount_fen, domain, kind, attrs FROM records WHERE source = 'market-bureau' "
                "AND record_id = ?", (record_id,))[0]
            text = row["罚款金额（万元）"].strip()
            if text:
                from decimal import Decimal
                self.assertEqual(amount_fen, int(Decimal(text) * 1000000), record_id)
            self.assertEqual((domain, kind), ("market", "penalty"))
            self.assertEqual(json.loads(attrs).get("category"), row["处罚类别"].strip() or None)

    def test_gb18030_without_encoding_is_refused_with_a_hint(self):
        result = self.run_tool("rbl-import", SAMPLES / "records/environment_gb18030.csv", check=2)
        self.assertIn("--encoding gb18030", result.stderr)
        self.assertFalse(self.database_exists())

    def test_reimport_is_unchanged_and_safe(self):
        first = self.import_ok(SAMPLES / "records/courts.csv")
        second = self.import_ok(SAMPLES / "records/courts.csv")
        self.assertEqual(second["unchanged"], first["inserted"])
        self.assertEqual(second["inserted"] + second["updated"], 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), first["inserted"])

    @rbltest.sqlite_only("the database file's mode")
    def test_database_is_created_mode_0600(self):
        self.import_ok(SAMPLES / "records/courts.csv")
        self.assertEqual(stat.S_IMODE(os.stat(self.db).st_mode), 0o600)


class ImportRules(ToolTestCase):
    def csv_file(self, rows, header=HEADER, name="in.csv"):
        return self.write(name, header + "".join(r + "\n" for r in rows))

    def test_update_keeps_previous_version_in_audit_log(self):
        path = self.csv_file([f"R1,{company()},甲公司,courts,court_default,2025-01-10,100,某法院"])
        self.run_tool("rbl-import", path, check=0)
        path = self.csv_file([f"R1,{company()},甲公司,courts,court_default,2025-01-10,250.5,某法院"])
        summary = json.loads(self.run_tool("rbl-import", "--json", path, check=0).stdout)
        self.assertEqual((summary["updated"], summary["inserted"]), (1, 0))
        self.assertEqual(self.scalar("SELECT amount_fen FROM records"), 25050)
        details = json.loads(self.scalar(
            "SELECT details FROM audit_log WHERE action = 'record.updated'"))
        self.assertEqual(details["before"]["amount"], "100.00")
        self.assertEqual(details["after"]["amount"], "250.50")

    def test_absent_optional_column_sets_null(self):
        path = self.csv_file([f"R1,{company()},甲公司,courts,court_default,2025-01-10,100,某法院"])
        self.run_tool("rbl-import", path, check=0)
        path = self.csv_file([f"R1,{company()},甲公司,courts,court_default,2025-01-10"],
                             header="record_id,subject_id,subject_name,domain,kind,date\n")
        self.run_tool("rbl-import", path, check=0)
        self.assertEqual(self.sql("SELECT amount_fen, authority FROM records"), [(None, None)])

    def test_same_key_twice_in_a_file_rejects_the_later_row(self):
        path = self.csv_file([
            f"R1,{company()},甲公司,courts,court_default,2025-01-10,100,某法院",
            f"R1,{company()},甲公司,courts,court_default,2025-01-10,100,某法院",
            f"R1,{company()},甲公司,courts,court_default,2025-01-10,999,某法院",
        ])
        result = self.run_tool("rbl-import", "--json", "--rejects", self.dir / "rej.csv", path,
                               check=3)
        summary = json.loads(result.stdout)
        self.assertEqual((summary["inserted"], summary["unchanged"], summary["rejected"]), (1, 1, 1))
        with open(self.dir / "rej.csv", encoding="utf-8", newline="") as f:
            rejects = list(csv.DictReader(f))
        self.assertEqual((rejects[0]["line"], rejects[0]["column"]), ("4", "record_id"))
        self.assertEqual(self.scalar("SELECT amount_fen FROM records"), 10000)

    def test_rejected_duplicate_writes_nothing_of_its_row(self):
        path = self.csv_file([
            f"R1,{company()},甲公司,courts,court_default,2025-01-10,100,某法院",
            f"R1,{company()},乙公司,courts,court_default,2025-01-10,200,某法院",
        ])
        self.run_tool("rbl-import", path, check=3)
        self.assertEqual(self.scalar("SELECT name FROM subjects"), "甲公司")
        self.assertEqual(self.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'subject.updated'"), 0)

    def test_repeated_key_is_caught_when_its_first_copy_is_unchanged(self):
        first = f"R1,{company()},甲公司,courts,court_default,2025-01-10,100,某法院"
        self.run_tool("rbl-import", self.csv_file([first]), check=0)
        path = self.csv_file([first, f"R1,{company()},甲公司,courts,court_default,2025-01-10,200,某法院"])
        summary = json.loads(self.run_tool("rbl-import", "--json", path, check=3).stdout)
        self.assertEqual((summary["unchanged"], summary["updated"], summary["rejected"]), (1, 0, 1))
        self.assertEqual(self.scalar("SELECT amount_fen FROM records"), 10000)
        # The next import of the same first row is unchanged again, not a conflict.
        self.run_tool("rbl-import", self.csv_file([first]), check=0)

    def test_subject_type_is_derived_and_latest_name_wins(self):
        government = complete_uscc("11320100MB0000001")
        path = self.csv_file([
            f"R1,{company()},甲公司,courts,court_default,2025-01-10,,",
            f"R2,{person()},张三,courts,court_default,2025-01-10,,",
            f"R3,{government},南京市某局,government,court_default,2025-01-10,,",
        ])
        self.run_tool("rbl-import", path, check=0)
        types = dict(self.sql("SELECT subject_id, subject_type FROM subjects"))
        self.assertEqual(types[company()], "legal_person")
        self.assertEqual(types[person()], "natural_person")
        self.assertEqual(types[government], "government")
        self.assertEqual(self.scalar("SELECT region FROM subjects WHERE subject_id = ?",
                                     (person(),)), "320102")
        path = self.csv_file([f"R1,{company()},甲公司（更名）,courts,court_default,2025-01-10,,"])
        self.run_tool("rbl-import", path, check=0)
        self.assertEqual(self.scalar("SELECT name FROM subjects WHERE subject_id = ?",
                                     (company(),)), "甲公司（更名）")
        self.assertEqual(self.scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'subject.updated'"), 1)

    def test_date_forms_are_normalised(self):
        path = self.csv_file([
            f"R1,{company()},甲公司,courts,court_default,2025/3/1,,",
            f"R2,{company()},甲公司,courts,court_default,20250302,,",
            f"R3,{company()},甲公司,courts,court_default,2025年3月3日,,",
        ])
        self.run_tool("rbl-import", path, check=0)
        self.assertEqual([r[0] for r in self.sql("SELECT date FROM records ORDER BY record_id")],
                         ["2025-03-01", "2025-03-02", "2025-03-03"])

    def test_extra_columns_are_kept_as_typed_attributes(self):
        path = self.csv_file(
            [f"R1,{company()},甲公司,courts,court_default,2025-01-10,yes,(2025)苏01执123号,x"],
            header="record_id,subject_id,subject_name,domain,kind,date,violence,case_no,note\n")
        self.run_tool("rbl-import", path, check=0)
        attrs = json.loads(self.scalar("SELECT attrs FROM records"))
        self.assertEqual(attrs, {"violence": True, "case_no": "(2025)苏01执123号", "note": "x"})

    def test_json_lines_with_nested_attrs_and_exact_numbers(self):
        path = self.write("in.jsonl", "\n".join([
            json.dumps({"record_id": "L1", "subject_id": company(), "subject_name": "甲公司",
                        "domain": "labour", "kind": "wage_arrears", "date": "2025-05-01",
                        "amount": 56000.5, "attrs": {"workers": 12, "ordered_to_pay": True}},
                       ensure_ascii=False),
            "",
            '{"record_id": "L2", "subject_id": "%s", "subject_name": "乙", "domain": "labour", '
            '"kind": "wage_arrears", "date": "2025-05-02", "amount": "0.10", "workers": null}'
            % person(),
        ]) + "\n")
        result = self.run_tool("rbl-import", "--json", path, check=0)
        self.assertEqual(json.loads(result.stdout)["inserted"], 2)
        rows = self.sql("SELECT record_id, amount_fen, attrs FROM records ORDER BY record_id")
        self.assertEqual(rows[0][1], 5600050)
        self.assertEqual(json.loads(rows[0][2]), {"ordered_to_pay": True, "workers": 12})
        self.assertEqual((rows[1][1], json.loads(rows[1][2])), (10, {}))

    def test_id_check_warn_accepts_a_bad_check_character(self):
        bad = company()[:-1] + ("0" if company()[-1] != "0" else "1")
        path = self.csv_file([f"R1,{bad},甲公司,courts,court_default,2025-01-10,,"])
        self.run_tool("rbl-import", path, check=3)
        result = self.run_tool("rbl-import", "--id-check", "warn", path, check=0)
        self.assertIn("warning", result.stderr)
        self.assertEqual(self.scalar("SELECT id_check_ok FROM subjects"), 0)

    def test_revert_withdraws_what_the_batch_inserted_for_good(self):
        path = self.csv_file([f"R{i},{company(i)},公司{i},courts,court_default,2025-01-10,,"
                              for i in range(3)])
        batch = json.loads(self.run_tool("rbl-import", "--json", path, check=0).stdout)["batch_id"]
        result = self.run_tool("rbl-import", "--json", "--revert", batch, check=0)
        self.assertEqual(json.loads(result.stdout)["withdrawn"], 3)
        self.assertEqual(self.sql("SELECT DISTINCT status, withdrawn_by FROM records"),
                         [("withdrawn", "office")])
        # A later import of the same file does not bring them back.
        self.run_tool("rbl-import", path, check=0)
        self.assertEqual(self.sql("SELECT DISTINCT status FROM records"), [("withdrawn",)])
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE action = 'import.revert'"),
                         1)
        self.run_tool("rbl-import", "--revert", batch, check=2)
        self.run_tool("rbl-import", "--revert", 999, check=2)

    def test_json_summary_has_the_contract_keys(self):
        path = self.csv_file([f"R1,{company()},甲公司,courts,court_default,2025-01-10,,"])
        summary = json.loads(self.run_tool("rbl-import", "--json", "-q", path, check=0).stdout)
        for key in ("rows", "inserted", "updated", "unchanged", "rejected", "batch_id"):
            self.assertIn(key, summary)

    def test_audit_chain_names_every_batch(self):
        path = self.csv_file([f"R1,{company()},甲公司,courts,court_default,2025-01-10,,"])
        self.run_tool("rbl-import", path, check=0)
        self.run_tool("rbl-import", "--operator", "王五", path, check=0)
        rows = self.sql("SELECT seq, operator, action, object, prev_hash, hash FROM audit_log "
                        "ORDER BY seq")
        self.assertEqual([r[2] for r in rows], ["import.batch", "import.batch"])
        self.assertEqual([r[1] for r in rows], ["tester", "王五"])
        self.assertEqual(rows[1][4], rows[0][5])
        self.assertEqual(rows[0][4], "0" * 64)


class ImportRejects(ToolTestCase):
    def test_bad_rows_sample_gives_the_expected_rejects(self):
        rejects = self.dir / "rejects.csv"
        result = self.run_tool("rbl-import", "--json", "--rejects", rejects,
                               SAMPLES / "bad/bad_rows.csv", check=3)
        summary = json.loads(result.stdout)
        with open(SAMPLES / "bad/bad_rows.expected_rejects.csv", encoding="utf-8", newline="") as f:
            expected = list(csv.DictReader(f))
        with open(rejects, encoding="utf-8", newline="") as f:
            actual = list(csv.DictReader(f))
        self.assertEqual(summary["rejected"], len(expected))
        self.assertEqual([(r["line"], r["column"]) for r in actual],
                         [(r["line"], r["column"]) for r in expected])
        for got, want in zip(actual, expected):
            self.assertIn(want["reason"].lower(), got["reason"].lower(), got)
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), summary["inserted"])

    def test_strict_commits_nothing(self):
        self.run_tool("rbl-import", "--strict", SAMPLES / "bad/bad_rows.csv", check=3)
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM import_batches"), 0)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log"), 0)

    def test_strict_counts_say_what_is_in_the_database(self):
        result = self.run_tool("rbl-import", "--strict", "--json", SAMPLES / "bad/bad_rows.csv",
                               check=3)
        summary = json.loads(result.stdout)
        self.assertFalse(summary["committed"])
        self.assertEqual((summary["inserted"], summary["updated"], summary["unchanged"]), (0, 0, 0))
        self.assertGreater(summary["validated"]["inserted"], 0)  # what would have gone in
        self.assertGreater(summary["rejected"], 0)
        self.assertIn("nothing committed (would have been", result.stderr)

    def test_committed_counts_and_validated_counts_agree(self):
        summary = json.loads(self.run_tool("rbl-import", "--json", SAMPLES / "records/courts.csv",
                                           check=0).stdout)
        self.assertTrue(summary["committed"])
        self.assertEqual(summary["inserted"], self.scalar("SELECT count(*) FROM records"))
        self.assertEqual(summary["validated"]["inserted"], summary["inserted"])

    def test_dry_run_writes_nothing(self):
        result = self.run_tool("rbl-import", "--dry-run", "--json", SAMPLES / "records/courts.csv",
                               check=0)
        summary = json.loads(result.stdout)
        self.assertEqual(summary["inserted"], 0)
        self.assertGreater(summary["validated"]["inserted"], 0)
        self.assertFalse(self.database_exists())
        self.run_tool("rbl-import", SAMPLES / "records/tax.csv", check=0)
        before = self.sql("SELECT count(*) FROM records")
        self.run_tool("rbl-import", "--dry-run", SAMPLES / "records/courts.csv", check=0)
        self.assertEqual(self.sql("SELECT count(*) FROM records"), before)

    @rbltest.sqlite_only("the covering index is deferred on SQLite only")
    def test_a_large_dry_run_leaves_the_covering_index(self):
        # Past 65,536 inserts into a small table the import drops records_for_evaluation and
        # builds it after its rows (RecordStore::defer_index_on_large_load); a dry run rolls
        # the drop back with everything else.
        self.run_tool("rbl-import", SAMPLES / "records/tax.csv", check=0)
        data = self.dir / "large.csv"
        subprocess.run([sys.executable, str(SOURCE_DIR / "bench/gen_records.py"), "--subjects",
                        "2000", "--records", "70000", "--seed", "5", "--out", str(data), "-q"],
                       check=True)
        before = self.sql("SELECT count(*) FROM records")
        self.run_tool("rbl-import", "--dry-run", data, check=0)
        self.assertEqual(self.sql("SELECT count(*) FROM records"), before)
        index = ("SELECT sql FROM sqlite_schema WHERE type = 'index' "
                 "AND name = 'records_for_evaluation'")
        kept = self.scalar(index)
        self.assertIsNotNone(kept)
        self.run_tool("rbl-import", data, check=0)
        self.assertEqual(self.scalar(index), kept)
        self.assertEqual(self.scalar("PRAGMA integrity_check"), "ok")

    def reject_one(self, row, header=HEADER):
        """Imports a file with one good row and `row`; returns the reject's (line, column, reason)."""
        padding = "," * (header.count(",") - HEADER.count(","))
        path = self.write("in.csv", header + f"G1,{company()},好公司,courts,court_default,2025-01-10,,"
                          + padding + "\n" + row)
        rejects = self.dir / "rej.csv"
        self.run_tool("rbl-import", "--rejects", rejects, path, check=3)
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), 1)
        with open(rejects, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual(len(rows), 1)
        return rows[0]["line"], rows[0]["column"], rows[0]["reason"]

    def test_each_bad_value_is_rejected_with_line_column_and_reason(self):
        bad_uscc = company()[:-1] + ("0" if company()[-1] != "0" else "1")
        cases = [
            (f"B,{bad_uscc},坏公司,courts,court_default,2025-01-10,,\n", "subject_id", "check"),
            (f"B,{company()},坏公司,courts,court_default,2023-02-29,,\n", "date", "not a real date"),
            (f"B,{company()},坏公司,courts,court_default,2025-01-10,-5,\n", "amount", "negative"),
            (f"B,{company()},坏公司,courts,court_default,2025-01-10,1.234,\n", "amount", "decimals"),
            (f"B,{company()},坏公司,lottery,court_default,2025-01-10,,\n", "domain", "unknown domain"),
            (f"B,{company()},坏公司,courts,Court,2025-01-10,,\n", "kind", "kind"),
            (f"B,{company()},,courts,court_default,2025-01-10,,\n", "subject_name", "required"),
            (f"B,{company()},坏公司,courts,court_default,2025-01-10\n", "", "fields"),
            (f"B,{company()},坏公司,courts,court_default,2025-01-10,,,extra\n", "", "fields"),
        ]
        for row, column, reason in cases:
            with self.subTest(row=row):
                line, got_column, got_reason = self.reject_one(row)
                self.assertEqual((line, got_column), ("3", column))
                self.assertIn(reason, got_reason)
                self.remove_database()

    def test_future_birth_date_in_resident_id_is_rejected(self):
        future = complete_resident("32010220990101001")
        line, column, reason = self.reject_one(
            f"B,{future},张三,courts,court_default,2025-01-10,,\n")
        self.assertEqual(column, "subject_id")
        self.assertIn("future", reason)

    def test_natural_person_type_must_fit_the_identifier(self):
        line, column, reason = self.reject_one(
            f"B,{company()},坏公司,courts,court_default,2025-01-10,,,natural_person\n",
            header=HEADER.strip() + ",subject_type\n")
        self.assertEqual(column, "subject_type")

    def test_declared_attribute_types_are_checked(self):
        line, column, reason = self.reject_one(
            f"B,{company()},坏公司,courts,court_default,2025-01-10,,,maybe\n",
            header=HEADER.strip() + ",violence\n")
        self.assertEqual(column, "violence")

    def test_invalid_utf8_row_is_rejected_with_a_hint(self):
        path = self.write("in.csv", HEADER.encode() +
                          f"G1,{company()},好公司,courts,court_default,2025-01-10,,\n".encode() +
                          f"B,{company()},".encode() + b"\xff\xfe" +
                          b",courts,court_default,2025-01-10,,\n")
        result = self.run_tool("rbl-import", path, check=3)
        self.assertIn("UTF-8", result.stderr)
        self.assertIn(":3:", result.stderr)

    def test_unterminated_quote_at_end_of_file_rejects_the_last_row(self):
        path = self.write("in.csv", HEADER + f"G1,{company()},好公司,courts,court_default,2025-01-10,,\n"
                          + f'B,{company()},"坏公司,courts,court_default,2025-01-10,,\n')
        rejects = self.dir / "rej.csv"
        result = self.run_tool("rbl-import", "--rejects", rejects, path, check=3)
        self.assertIn("unterminated", result.stderr)
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), 1)
        with open(rejects, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual((rows[0]["line"], rows[0]["column"]), ("3", "subject_name"))

    def test_quoted_fields_with_commas_quotes_and_line_breaks(self):
        name = '南京"诚信",贸易\r\n有限公司'
        quoted = '"' + name.replace('"', '""') + '"'
        path = self.write("in.csv", "\ufeff" + HEADER.replace("\n", "\r\n") +
                          f"R1,{company()},{quoted},courts,court_default,2025-01-10,,\r\n" +
                          f"R2,{company(1)},乙,courts,court_default,2025-01-10,,\r\n")
        self.run_tool("rbl-import", path, check=0)
        self.assertEqual(self.scalar("SELECT name FROM subjects WHERE subject_id = ?",
                                     (company(),)), name)


class ImportBadFiles(ToolTestCase):
    def assert_refused(self, args, code, *needles):
        result = self.run_tool("rbl-import", *args, check=code)
        self.assertTrue(result.stderr.startswith("rbl-import: error: "), result.stderr)
        for needle in needles:
            self.assertIn(needle, result.stderr)
        return result

    def test_missing_required_column(self):
        path = self.write("in.csv", "record_id,subject_name,domain,kind,date\nR1,甲,courts,x,2025-01-01\n")
        self.assert_refused([path], 2, "in.csv:1", "subject_id")
        self.assertFalse(self.database_exists())

    def test_missing_file(self):
        self.assert_refused([self.dir / "nope.csv"], 2, "nope.csv", "does not exist")
        self.assertFalse(self.database_exists())

    def test_empty_file(self):
        self.assert_refused([self.write("empty.csv", "")], 2, "empty")
        self.assertFalse(self.database_exists())

    def test_binary_file(self):
        self.assert_refused([self.write("x.csv", bytes(range(256)) * 10)], 2, "binary")
        self.assertFalse(self.database_exists())

    def test_header_that_is_not_utf8(self):
        path = self.write("in.csv", b"record_id,subject_id,\xff\xfe,domain,kind,date\n")
        self.assert_refused([path], 2, "in.csv:1", "UTF-8")

    def test_failed_import_into_an_existing_database_changes_nothing(self):
        self.run_tool("rbl-import", SAMPLES / "records/courts.csv", check=0)
        self.assert_refused([self.write("empty.csv", "")], 2, "empty")
        self.assertTrue(self.database_exists())
        self.assertEqual(self.sql("SELECT count(*) FROM import_batches"), [(1,)])

    @rbltest.sqlite_only("writes over the database file")
    def test_database_that_is_not_sqlite(self):
        self.db.write_text("this is a spreadsheet, not a database\n" * 100)
        before = self.db.read_bytes()
        self.assert_refused([SAMPLES / "records/courts.csv"], 1, "not an rbl database")
        self.assertEqual(self.db.read_bytes(), before)

    def test_bad_json_lines_are_rejected_with_their_line(self):
        good = {"record_id": "J1", "subject_id": company(), "subject_name": "甲",
                "domain": "labour", "kind": "wage_arrears", "date": "2025-05-01"}
        lines = [
            json.dumps(good, ensure_ascii=False),
            '{"record_id": "J2", "subject_id": ',                       # malformed
            '["an", "array"]',                                          # not an object
            '{"record_id": "J3", "record_id": "J4"}',                   # duplicate key
            json.dumps(dict({k: v for k, v in good.items() if k != "subject_id"},
                            record_id="J5", attrs={"subject_id": person()})),
        ]
        path = self.write("in.jsonl", "\n".join(lines) + "\n")
        rejects = self.dir / "rej.csv"
        result = self.run_tool("rbl-import", "--json", "--rejects", rejects, path, check=3)
        self.assertEqual(json.loads(result.stdout)["inserted"], 1)
        with open(rejects, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["line"] for r in rows], ["2", "3", "4", "5"])
        self.assertIn("duplicate", rows[2]["reason"])
        self.assertIn("attrs", rows[3]["reason"])
        self.assertEqual(rows[0]["json"], lines[1])

    def test_json_column_given_twice_through_the_mapping(self):
        mapping = self.write("m.yaml", "columns:\n  code: subject_id\n")
        row = {"record_id": "J1", "subject_id": company(), "code": company(1),
               "subject_name": "甲", "domain": "labour", "kind": "wage_arrears",
               "date": "2025-05-01"}
        path = self.write("in.jsonl", json.dumps(row, ensure_ascii=False) + "\n")
        result = self.run_tool("rbl-import", "--mapping", mapping, path, check=3)
        self.assertIn("given twice", result.stderr)

    def test_database_in_a_missing_folder(self):
        self.assert_refused(["--db", self.dir / "no/such/folder/rbl.db",
                             SAMPLES / "records/courts.csv"], 2, "does not exist")

    def test_database_in_a_folder_that_is_not_writable(self):
        # Root may write anywhere, so the test drops to "nobody" when run as root.
        folder = self.dir / "locked"
        folder.mkdir()
        folder.chmod(0o555)
        self.dir.chmod(0o755)
        result = self.run_as_nobody("rbl-import", "--db", folder / "rbl.db",
                                    SAMPLES / "records/courts.csv")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("cannot create database", result.stderr)
        self.assertFalse((folder / "rbl.db").exists())

    def test_invalid_rules_are_refused(self):
        rules = self.dir / "rules"
        shutil.copytree(rbltest.RULES, rules)
        (rules / "courts.yaml").write_text("domain: courts\ntitle: x\n  bad: [\n")
        self.assert_refused(["--rules", rules, SAMPLES / "records/courts.csv"], 2, "courts.yaml:")

    def test_malformed_mapping_names_line_and_column(self):
        mapping = self.write("m.yaml", "columns:\n  统一社会信用代码: subject_id\nconstant:\n  domain: x\n")
        self.assert_refused(["--mapping", mapping, SAMPLES / "records/courts.csv"], 2,
                            "m.yaml:3:1", "unknown key 'constant'")

    def test_busy_database_waits_then_exits_4(self):
        self.run_tool("rbl-import", SAMPLES / "records/courts.csv", check=0)
        with rbltest.hold_write_lock(self):
            started = time.monotonic()
            result = self.assert_refused(["--wait", "1", SAMPLES / "records/tax.csv"], 4, "busy")
            self.assertGreaterEqual(time.monotonic() - started, 0.9)
        self.run_tool("rbl-import", SAMPLES / "records/tax.csv", check=0)

    def test_killed_import_leaves_no_partial_batch(self):
        big = self.dir / "big.csv"
        subprocess.run([sys.executable, str(SOURCE_DIR / "bench/gen_records.py"), "--subjects",
                        "20000", "--records", "300000", "--seed", "7", "--out", str(big)],
                       check=True)
        self.run_tool("rbl-import", SAMPLES / "records/courts.csv", check=0)
        before = self.sql("SELECT count(*) FROM records")
        if rbltest.ON_POSTGRESQL:
            self.kill_an_import_on_postgresql(big)
        else:
            self.kill_an_import_on_sqlite(big)
        self.assertEqual(self.scalar("PRAGMA integrity_check"), "ok")
        self.assertEqual(self.sql("SELECT count(*) FROM records"), before)
        self.assertEqual(self.scalar("SELECT count(*) FROM import_batches"), 1)
        result = self.run_tool("rbl-import", "--json", "-q", big, check=0)
        self.assertEqual(json.loads(result.stdout)["inserted"], 300000)

    def kill_an_import_on_postgresql(self, big):
        """Kills the import a second into its batch: it holds the writer lock from its BEGIN to
        its commit (one transaction for the whole file), writing rows all the while."""
        process = subprocess.Popen([str(rbltest.BIN_DIR / "rbl-import"), str(big)], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        probe = rbltest.PgWriteLockProbe(self.pg_name)
        try:
            deadline = time.monotonic() + 240
            while process.poll() is None and not probe.held():
                self.assertLess(time.monotonic(), deadline, "the import took no lock in time")
                time.sleep(0.01)
            time.sleep(1.0)
            self.assertIsNone(process.poll(), "the import ended before it could be killed")
            self.assertTrue(probe.held(), "the import no longer holds its batch open")
            process.send_signal(signal.SIGKILL)
            self.assertEqual(process.wait(), -signal.SIGKILL)  # killed, not exited
            deadline = time.monotonic() + 30
            while probe.held():  # the server ends the dead connection's transaction
                self.assertLess(time.monotonic(), deadline, "the dead import's lock stayed")
                time.sleep(0.05)
        finally:
            probe.close()
            if process.poll() is None:
                process.kill()
                process.wait()

    def kill_an_import_on_sqlite(self, big):
        wal = Path(str(self.db) + "-wal")
        self.assertFalse(wal.exists())  # the last connection to close checkpointed it away
        process = subprocess.Popen([str(rbltest.BIN_DIR / "rbl-import"), str(big)], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # The kill must land inside the batch, with some of its rows written: the import holds
        # the write lock from its BEGIN IMMEDIATE to its commit (one transaction for the whole
        # file), and the pages its cache cannot hold go to the -wal file uncommitted.
        probe = rbltest.WriteLockProbe(self.db)
        try:
            deadline = time.monotonic() + 240
            while process.poll() is None and not (probe.held() and wal.exists()
                                                   and wal.stat().st_size > 0):
                self.assertLess(time.monotonic(), deadline, "the import wrote no rows in time")
                time.sleep(0.01)
            self.assertIsNone(process.poll(), "the import ended before it could be killed")
            self.assertTrue(probe.held(), "the import no longer holds its batch open")
            process.send_signal(signal.SIGKILL)
            self.assertEqual(process.wait(), -signal.SIGKILL)  # killed, not exited
            self.assertGreater(wal.stat().st_size, 0)
        finally:
            probe.close()
            if process.poll() is None:
                process.kill()
                process.wait()

    def test_progress_bar_only_on_a_terminal(self):
        big = self.dir / "big.csv"
        subprocess.run([sys.executable, str(SOURCE_DIR / "bench/gen_records.py"), "--subjects",
                        "5000", "--records", "60000", "--seed", "3", "--out", str(big)], check=True)
        piped = self.run_tool("rbl-import", big, check=0)
        self.assertNotIn("\r", piped.stderr)
        self.assertNotIn("%", piped.stderr)
        self.remove_database()
        pid, fd = pty.fork()
        if pid == 0:
            os.execve(str(rbltest.BIN_DIR / "rbl-import"),
                      ["rbl-import", "--db", str(self.db), str(big)], self.env)
        output = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, output)
        self.assertIn(b"%", output)
        self.assertIn(b"inserted", output)



class ImportIdCheckWarnIssue10(ToolTestCase):
    """Issue 10, point 3: --id-check warn and all-digit unified social credit codes."""

    # DOMAIN.md's all-digit USCC of a public institution in Tianjin (1-2, region 120000), and the
    # same with wrong check characters: '7', and '0', which is its resident-ID check character.
    VALID = "121200004013590816"
    WRONG_7 = "121200004013590817"
    WRONG_0 = "121200004013590810"

    def import_rows(self, subject_ids, *args, check):
        rows = "".join(f"R{i},{sid},天津某事业单位,courts,court_default,2025-01-10,,\n"
                       for i, sid in enumerate(subject_ids))
        path = self.write("in.csv", HEADER + rows)
        return self.run_tool("rbl-import", *args, path, check=check)

    def test_warn_accepts_an_all_digit_uscc_with_a_bad_check_character_as_a_uscc(self):
        result = self.import_rows([self.WRONG_0, self.WRONG_7], "--id-check", "warn", check=0)
        self.assertNotIn("birth date", result.stderr)
        self.assertIn(f"'{self.WRONG_0}': taken as a unified social credit code: check character "
                      "should be '6', not '0' (accepted: --id-check warn)", result.stderr)
        self.assertIn(f"'{self.WRONG_7}': taken as a unified social credit code: check character "
                      "should be '6', not '7' (accepted: --id-check warn)", result.stderr)
        self.assertEqual(self.sql("SELECT subject_id, subject_type, region, id_check_ok "
                                  "FROM subjects ORDER BY subject_id"),
                         [(self.WRONG_0, "legal_person", "120000", 0),
                          (self.WRONG_7, "legal_person", "120000", 0)])

    def test_reject_mode_names_the_kind_and_the_right_check_character(self):
        result = self.import_rows([self.VALID, self.WRONG_0], check=3)
        self.assertIn("taken as a unified social credit code: check character should be '6', "
                      "not '0'", result.stderr)
        self.assertEqual(self.sql("SELECT subject_id, id_check_ok FROM subjects"),
                         [(self.VALID, 1)])

    def test_a_code_valid_both_ways_is_a_person_unless_subject_type_says_not(self):
        # A valid resident ID of Zhenjiang (321102) that is also a valid USCC (3-2, region 110219).
        both = "321102198001010391"
        result = self.import_rows([both], check=0)
        self.assertIn(f"'{both}': valid both as a resident ID number and as a unified social "
                      "credit code; taken as a resident ID number", result.stderr)
        self.assertEqual(self.scalar("SELECT subject_type FROM subjects"), "natural_person")


class ImportLargeFileIssue15(ToolTestCase):
    """A file longer than one batch of PostgreSQL's bulk path (20000 rows: COPY, then set-based
    writes) has the outcomes, messages and audit rows of row-by-row writing, in the file's order,
    on both stores: keys and subjects repeated across the batches, a conflict whose first copy in
    its batch is itself a conflict, and rejects in line order."""

    FILLER = 20000

    def csv_file(self, rows, name="in.csv"):
        return self.write(name, HEADER + "".join(row + "\n" for row in rows))

    def test_rows_across_batches_keep_their_order(self):
        r = lambda key, n, name, amount: (  # noqa: E731
            f"{key},{company(n)},{name},courts,court_default,2025-01-10,{amount},某法院")
        self.run_tool("rbl-import", self.csv_file([r("R3", 0, "甲公司", 1), r("R4", 0, "甲公司", 5)],
                                                  name="first.csv"), check=0)
        rows = [r("R1", 0, "甲公司", 100),        # inserted
                r("R2", 0, "甲公司（一）", 100),  # inserted; the subject renamed
                r("R4", 0, "甲公司（一）", 5)]    # unchanged, now held by this file
        rows += [r(f"F{i}", 1 + i % 500, f"公司{1 + i % 500}", i) for i in range(self.FILLER)]
        rows += [
            r("R1", 0, "甲公司（一）", 100),  # the same again: unchanged
            r("R1", 0, "甲公司（一）", 999),  # other content: rejected
            r("R4", 0, "甲公司（一）", 6),    # other content, first of its batch: rejected
            r("R4", 0, "甲公司（一）", 5),    # the stored content: unchanged
            r("R2", 0, "甲公司（二）", 100),  # unchanged; the subject renamed again
            f"R5,{company(0)},甲公司（二）,courts,court_default,2025-13-40,1,某法院",
            r("R3", 0, "甲公司（二）", 2),    # an update of the first file's record
        ]
        result = self.run_tool("rbl-import", "--json", "--rejects", self.dir / "rej.csv",
                               self.csv_file(rows), check=3)
        summary = json.loads(result.stdout)
        self.assertEqual(
            (summary["rows"], summary["inserted"], summary["updated"], summary["unchanged"],
             summary["rejected"]),
            (len(rows), self.FILLER + 2, 1, 4, 3))
        with open(self.dir / "rej.csv", encoding="utf-8", newline="") as f:
            rejects = [(row["line"], row["column"]) for row in csv.DictReader(f)]
        first = self.FILLER + 3 + 2  # the line of the first row after the filler
        self.assertEqual(rejects, [(str(first + 1), "record_id"), (str(first + 2), "record_id"),
                                   (str(first + 5), "date")])
        renamed = [json.loads(details) for (details,) in self.sql(
            "SELECT details FROM audit_log WHERE action = 'subject.updated' ORDER BY seq")]
        self.assertEqual([(d["before"]["name"], d["after"]["name"]) for d in renamed],
                         [("甲公司", "甲公司（一）"), ("甲公司（一）", "甲公司（二）")])
        self.assertEqual(self.scalar("SELECT name FROM subjects WHERE subject_id = ?",
                                     (company(0),)), "甲公司（二）")
        updated = json.loads(self.scalar(
            "SELECT details FROM audit_log WHERE action = 'record.updated'"))
        self.assertEqual((updated["before"]["amount"], updated["after"]["amount"]),
                         ("1.00", "2.00"))
        self.assertEqual(dict(self.sql(
            "SELECT record_id, amount_fen FROM records WHERE record_id IN ('R1', 'R3', 'R4')")),
            {"R1": 10000, "R3": 200, "R4": 500})
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), self.FILLER + 4)
        # Every subject with an inserted record is marked for the next incremental run.
        self.assertEqual(self.scalar("SELECT count(DISTINCT subject_id) FROM subject_marks"), 501)
        # The same file again changes nothing.
        again = json.loads(self.run_tool("rbl-import", "--json", self.csv_file(rows),
                                         check=3).stdout)
        self.assertEqual((again["inserted"], again["updated"], again["unchanged"],
                          again["rejected"]), (0, 0, self.FILLER + 7, 3))


if __name__ == "__main__":
    rbltest.main()
