"""End-to-end tests of the tamper-evident state (SPEC.md §7, issue 11 point 3): after a real
history — the samples imported, a record corrected by a second import, a stray batch imported
and reverted, an adjudication, an objection upheld with the evidence withdrawn — `rbl-audit
verify` is whole; then each edit made behind rbl's back with the sqlite3 shell (an entry's
status, a record's amount, a record deleted or put in, an entry deleted, the last audit rows
deleted) makes it exit 1 naming what changed. `rbl-audit head` and the publication manifest
give the head that catches the deleted rows."""

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, ToolTestCase  # noqa: E402


class AuditState(ToolTestCase):
    def setUp(self):
        super().setUp()
        for name in ("courts.csv", "tax.csv", "government.csv", "labour.jsonl"):
            self.run_tool("rbl-import", SAMPLES / "records" / name, check=0)
        # The court sends its file again with one amount corrected: record.updated.
        courts = (SAMPLES / "records" / "courts.csv").read_text(encoding="utf-8")
        self.assertIn(",3865200.00,", courts)
        self.corrected = self.write("courts_corrected.csv",
                                    courts.replace(",3865200.00,", ",3865300.00,", 1))
        self.run_tool("rbl-import", self.corrected, check=0)
        # A file imported under the wrong source, then reverted (set-based).
        stray = json.loads(self.run_tool("rbl-import", "--source", "stray", "--json",
                                         SAMPLES / "records" / "government.csv",
                                         check=0).stdout)
        self.run_tool("rbl-import", "--revert", stray["batch_id"], check=0)
        self.run_tool("rbl-adjudicate", check=0)
        # An objection upheld with the evidence withdrawn: entry.*, record.withdrawn.
        self.appealed = self.scalar("SELECT min(entry_id) FROM entries WHERE status = 'notice'")
        self.assertIsNotNone(self.appealed)
        filed = json.loads(self.run_tool("rbl-appeal", "file", self.appealed, "--reason", "错误",
                                         "--json", check=0).stdout)
        self.run_tool("rbl-appeal", "decide", filed["appeal_id"], "--outcome", "upheld",
                      "--withdraw-records", "--note", "处罚已撤销", check=0)

    # -- helpers -----------------------------------------------------------------------------

    def verify(self, *args, check):
        result = self.run_tool("rbl-audit", "verify", "--json", *args, check=check)
        return json.loads(result.stdout), result.stderr

    def assert_caught(self, *args, names):
        """verify exits 1, and its problem, JSON and message name `names`; returns the JSON."""
        summary, stderr = self.verify(*args, check=1)
        self.assertFalse(summary["ok"])
        self.assertIn(names, summary["problem"])
        self.assertIn(names, stderr)
        return summary

    def a_batch_record(self):
        """(rec, source/record_id) of a record that only its import batch vouches for."""
        return self.sql("SELECT rec, source || '/' || record_id FROM records "
                        "WHERE inserted_batch = 1 AND status = 'active' "
                        "AND source || '/' || record_id NOT IN "
                        "(SELECT substr(object, 8) FROM audit_log WHERE object LIKE 'record:%') "
                        "AND rec NOT IN (SELECT rec FROM entry_evidence) ORDER BY rec LIMIT 1")[0]

    # -- the whole history verifies ------------------------------------------------------------

    def test_a_real_history_verifies_and_every_change_carries_its_state(self):
        summary, stderr = self.verify(check=0)
        self.assertTrue(summary["ok"])
        self.assertIsNone(summary["first_bad"])
        self.assertEqual(summary["problems"], [])
        self.assertEqual(summary["entries_checked"], self.scalar("SELECT count(*) FROM entries"))
        self.assertEqual(summary["records_checked"], self.scalar("SELECT count(*) FROM records"))
        self.assertEqual(summary["unchecked"], 0)
        self.assertIn("are what it says they became", stderr)
        actions = {a for (a,) in self.sql("SELECT DISTINCT action FROM audit_log")}
        for action in ("record.updated", "import.revert", "record.withdrawn", "entry.created",
                       "entry.withdrawn"):
            self.assertIn(action, actions)
        # Every row that creates or changes an entry or a record carries the new state's hash.
        for action, details in self.sql(
                "SELECT action, details FROM audit_log WHERE action LIKE 'entry.%' "
                "OR action LIKE 'record.%'"):
            self.assertRegex(json.loads(details)["state"], "^[0-9a-f]{64}$", action)
        for (details,) in self.sql("SELECT details FROM audit_log WHERE action = 'import.batch'"):
            self.assertRegex(json.loads(details)["inserted_digest"], "^[0-9a-f]{512}$")

    # -- an entry ------------------------------------------------------------------------------

    def test_an_entry_edited_with_the_sqlite3_shell_is_named_with_its_row(self):
        entry, status = self.sql("SELECT entry_id, status FROM entries WHERE status IN "
                                 "('notice', 'publicity', 'effective') ORDER BY entry_id")[0]
        row = self.scalar("SELECT max(seq) FROM audit_log WHERE object = ?", (f"entry:{entry}",))
        self.shell(f"UPDATE entries SET status = 'expired' WHERE entry_id = {entry}")
        summary = self.assert_caught(names=f"entry {entry}: its content is not what audit row "
                                           f"{row}")
        self.assertEqual(summary["object"], f"entry:{entry}")
        self.assertEqual(summary["first_bad"], row)
        self.assertIn(f"its status is 'expired', the row says '{status}'", summary["problem"])

    def test_an_entry_explanation_edited_is_caught_too(self):
        entry = self.scalar("SELECT min(entry_id) FROM entries")
        self.shell(f"UPDATE entries SET explanation = explanation || ' ' WHERE entry_id = {entry}")
        summary = self.assert_caught(names=f"entry {entry}: its content is not what audit row")
        self.assertEqual(summary["object"], f"entry:{entry}")

    def test_an_entry_deleted_is_named(self):
        entry = self.scalar("SELECT max(entry_id) FROM entries")
        self.shell(f"DELETE FROM entry_evidence WHERE entry_id = {entry}; "
                   f"DELETE FROM entries WHERE entry_id = {entry}")
        summary = self.assert_caught(names=f"entry {entry} no longer exists")
        self.assertEqual(summary["object"], f"entry:{entry}")

    def test_an_entry_put_in_by_hand_is_named(self):
        entry = self.scalar("SELECT max(entry_id) FROM entries")
        self.shell("INSERT INTO entries (entry_id, list_id, subject_id, status, decided_on, "
                   "effective_from, "
                   "expires_on, kind, domain, list_title, list_title_zh, basis, authority, terms, "
                   "rule_version, rule_sha256, explanation, created_run, updated_run) "
                   f"SELECT {entry + 1}, list_id, subject_id, 'effective', decided_on, "
                   "effective_from, "
                   "expires_on, kind, domain, list_title, list_title_zh, basis, authority, terms, "
                   "rule_version, rule_sha256, explanation, created_run, updated_run "
                   f"FROM entries WHERE entry_id = {entry}")
        summary = self.assert_caught(names=f"entry {entry + 1} has no audit row")
        self.assertEqual(summary["object"], f"entry:{entry + 1}")

    def test_evidence_removed_from_an_entry_is_caught(self):
        entry = self.scalar("SELECT min(entry_id) FROM entry_evidence")
        self.shell(f"DELETE FROM entry_evidence WHERE entry_id = {entry} AND rec = "
                   f"(SELECT min(rec) FROM entry_evidence WHERE entry_id = {entry})")
        self.assert_caught(names=f"entry {entry}: its content is not what audit row")

    # -- a record ------------------------------------------------------------------------------

    def test_a_record_edited_with_the_sqlite3_shell_is_caught_by_its_batch(self):
        rec, key = self.a_batch_record()
        batch_row = self.scalar("SELECT seq FROM audit_log WHERE action = 'import.batch' "
                                "AND object = 'batch:1'")
        self.shell(f"UPDATE records SET amount_fen = coalesce(amount_fen, 0) + 100 "
                   f"WHERE rec = {rec}")
        summary = self.assert_caught(names="records inserted by batch 1 are not what audit row "
                                           f"{batch_row} (import.batch)")
        self.assertIn("changed outside rbl", summary["problem"])
        self.assertEqual(summary["object"], "batch:1")

    def test_a_record_changed_by_a_row_and_then_edited_is_named(self):
        key = json.loads(self.scalar("SELECT details FROM audit_log WHERE action = "
                                     "'record.updated'"))
        object_ = self.scalar("SELECT object FROM audit_log WHERE action = 'record.updated'")
        row = self.scalar("SELECT max(seq) FROM audit_log WHERE object = ?", (object_,))
        source, record_id = object_[len("record:"):].split("/", 1)
        self.assertEqual(key["after"]["amount"], "3865300.00")
        self.sql("UPDATE records SET amount_fen = 1 WHERE source = ? AND record_id = ?",
                 (source, record_id))
        summary = self.assert_caught(names=f"record {source}/{record_id}: its content is not "
                                           f"what audit row {row} ")
        self.assertEqual(summary["object"], object_)

    def test_a_record_withdrawn_by_the_office_and_reactivated_is_named(self):
        object_ = self.scalar("SELECT min(object) FROM audit_log WHERE action = "
                              "'record.withdrawn'")
        source, record_id = object_[len("record:"):].split("/", 1)
        self.sql("UPDATE records SET status = 'active', withdrawn_by = NULL "
                 "WHERE source = ? AND record_id = ?", (source, record_id))
        summary = self.assert_caught(names=f"record {source}/{record_id}: its content is not")
        self.assertEqual(summary["object"], object_)

    def test_a_reverted_record_reactivated_is_caught(self):
        batch = self.scalar("SELECT min(inserted_batch) FROM records WHERE source = 'stray'")
        self.shell(f"UPDATE records SET status = 'active', withdrawn_by = NULL WHERE rec = "
                   f"(SELECT min(rec) FROM records WHERE inserted_batch = {batch})")
        self.assert_caught(names=f"records inserted by batch {batch} are not what audit row")

    def test_a_record_deleted_is_caught_by_its_batch(self):
        rec, _ = self.a_batch_record()
        self.shell(f"DELETE FROM records WHERE rec = {rec}")
        summary = self.assert_caught(names="records inserted by batch 1 are not what audit row")
        self.assertIn("1 record removed outside rbl", summary["problem"])

    def test_a_record_inserted_by_hand_is_caught(self):
        self.shell("INSERT INTO records (source, record_id, subject_id, domain, kind, date, "
                   "amount_fen, status, attrs, content_hash, inserted_batch, updated_batch, "
                   "seen_batch) SELECT source, record_id || '-x', subject_id, domain, kind, date, "
                   "amount_fen, status, attrs, content_hash, inserted_batch, updated_batch, "
                   "seen_batch FROM records WHERE rec = 1")
        summary = self.assert_caught(names="records inserted by batch 1 are not what audit row")
        self.assertIn("1 record added outside rbl", summary["problem"])

    def test_a_record_claiming_a_batch_that_never_was_is_caught(self):
        self.shell("INSERT INTO records (source, record_id, subject_id, domain, kind, date, "
                   "status, attrs, content_hash, inserted_batch, updated_batch, seen_batch) "
                   "SELECT source, 'forged', subject_id, domain, kind, date, status, attrs, "
                   "content_hash, 999, 999, 999 FROM records WHERE rec = 1")
        summary = self.assert_caught(names="1 record says batch 999 inserted it, but the audit "
                                           "log has no import.batch row")
        self.assertEqual(summary["object"], "batch:999")

    # -- the head ------------------------------------------------------------------------------

    def test_head_prints_the_last_row(self):
        head = self.run_tool("rbl-audit", "head", check=0).stdout.strip()
        seq, hash_ = self.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")[0]
        self.assertEqual(head, f"{seq}:{hash_}")
        as_json = json.loads(self.run_tool("rbl-audit", "head", "--json", check=0).stdout)
        self.assertEqual((as_json["seq"], as_json["hash"], as_json["head"]), (seq, hash_, head))
        summary, stderr = self.verify("--head", head, check=0)
        self.assertTrue(summary["ok"])
        self.assertTrue(summary["head_checked"])
        self.assertIn(f"holds the head {head}", stderr)

    def test_the_last_rows_deleted_are_caught_given_a_head_kept_outside(self):
        head = self.run_tool("rbl-audit", "head", check=0).stdout.strip()
        last = int(head.split(":")[0])
        self.shell(f"DELETE FROM audit_log WHERE seq > {last - 3}")
        summary = self.assert_caught("--head", head, names=f"the head {head} is gone")
        self.assertEqual(summary["first_bad"], last - 2)
        self.assertIn(f"rows {last - 2} to {last}", summary["problem"])

    def test_a_deleted_row_that_changed_no_state_needs_the_head(self):
        # A publication's row changes no entry or record: deleting it leaves a chain and a
        # state that agree — what a chain alone cannot see, and the head kept outside does.
        self.run_tool("rbl-publish", "--out", self.dir / "list.csv", "--channel", "website",
                      check=0)
        head = self.run_tool("rbl-audit", "head", check=0).stdout.strip()
        last = int(head.split(":")[0])
        self.shell(f"DELETE FROM audit_log WHERE seq = {last}")
        self.verify(check=0)
        summary = self.assert_caught("--head", head, names=f"the head {head} is gone")
        self.assertEqual(summary["first_bad"], last)

    def test_rows_deleted_at_the_end_without_a_head_still_show_in_the_state(self):
        # Without a head, truncation is caught only where the state has moved on since: here
        # the entry the appeal withdrew no longer matches its latest remaining row.
        decided = self.scalar("SELECT min(seq) FROM audit_log WHERE action = 'appeal.decided'")
        self.shell(f"DELETE FROM audit_log WHERE seq >= {decided}")
        summary = self.assert_caught(names=f"entry {self.appealed}: its content is not what")
        self.assertIn("its status is 'withdrawn'", summary["problem"])

    def test_a_rewritten_head_row_is_caught(self):
        head = self.run_tool("rbl-audit", "head", check=0).stdout.strip()
        seq = int(head.split(":")[0])
        wrong = f"{seq}:{'0' * 64}"
        summary = self.assert_caught("--head", wrong, names=f"row {seq} is not the row of the head")
        self.assertEqual(summary["first_bad"], seq)

    def test_a_malformed_head_is_a_usage_error(self):
        result = self.run_tool("rbl-audit", "verify", "--head", "12", check=2)
        self.assertIn("SEQ:HASH", result.stderr)

    def test_the_manifest_carries_the_head_after_the_publications_rows(self):
        out = self.dir / "list.csv"
        published = json.loads(self.run_tool("rbl-publish", "--out", out, "--manifest",
                                             "--channel", "website", "--json", check=0).stdout)
        head = self.run_tool("rbl-audit", "head", check=0).stdout.strip()
        self.assertEqual(published["audit_head"], head)
        last_action = self.scalar("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")
        self.assertEqual(last_action, "publish.channel")  # the head includes its own row
        manifest = (self.dir / "list.csv.sha256").read_text(encoding="utf-8")
        self.assertIn(f"# rbl-audit head {head}\n", manifest)
        for flags in ([], ["--strict"]):
            check = subprocess.run(["sha256sum", "-c", *flags, "list.csv.sha256"], cwd=self.dir,
                                   capture_output=True, text=True)
            self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
            self.assertNotIn("improperly formatted", check.stderr)
        self.verify("--head", head, check=0)

    # -- logs from before state hashes -----------------------------------------------------------

    @rbltest.sqlite_only("rewrites the audit log, which PostgreSQL keeps append-only")
    def test_rows_without_state_hashes_are_counted_not_failed(self):
        # A log written before this change: no state, no digests (and re-hashed, so that the
        # chain itself is whole, as it was then).
        connection = sqlite3.connect(self.db)
        rows = connection.execute("SELECT seq, at, operator, login, tool, action, object, details "
                                  "FROM audit_log ORDER BY seq").fetchall()
        previous = "0" * 64
        for seq, at, operator, login, tool, action, object_, details in rows:
            fields = json.loads(details)
            for key in ("state", "previous_state", "inserted_digest", "withdrawn_before",
                        "withdrawn_after"):
                fields.pop(key, None)
            details = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
            hashed = "".join(f"{len(v.encode())}:{v}\n" for v in
                             (str(seq), at, operator, login, tool, action, object_, details,
                              previous))
            hash_ = hashlib.sha256(hashed.encode()).hexdigest()
            connection.execute("UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? "
                               "WHERE seq = ?", (details, previous, hash_, seq))
            previous = hash_
        connection.commit()
        connection.close()
        summary, stderr = self.verify(check=0)
        self.assertTrue(summary["ok"])
        entries = self.scalar("SELECT count(*) FROM entries")
        records = self.scalar("SELECT count(*) FROM records")
        self.assertEqual(summary["unchecked"], entries + records)
        self.assertEqual(summary["entries_checked"], 0)
        self.assertIn("could not be checked", stderr)


if __name__ == "__main__":
    rbltest.main()
