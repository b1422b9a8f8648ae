"""End-to-end tests of rbl-publish (SPEC.md §6) and rbl-import --feedback: the files read back
with Python's csv and json modules and compared field by field with the database; masking, the
formula guard, deltas over three publications, manifests, modes, departments, the report, and
bad inputs that write nothing."""

import csv
import datetime
import hashlib
import io
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, SOURCE_DIR, ToolTestCase  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

TEST_RULES = """domain: market
title: Market
title_zh: 市场
version: "t1"
lists:
  - id: market.black.serious
    kind: black
    title: Serious violators
    title_zh: 严重违法失信名单
    basis: 测试依据, "第一条"
    authority: 测试局
    criteria:
      count: { kind: penalty, within: 1y }
      at_least: 2
    validity: 2y
    procedure: { appeal_days: 5 }
    measures:
      - { id: procurement, text_zh: 限制参与政府采购, departments: [省财政厅, 省发改委] }
      - { id: credit, text_zh: 从严审核信贷, departments: [金融监管局] }
  - id: market.red.good
    kind: red
    title: Good standing
    title_zh: 守信激励名单
    basis: 测试依据
    authority: 测试局
    criteria:
      exists: { kind: award, within: 1y }
    validity: 1y
    measures:
      - { id: fast_track, text_zh: 绿色通道, departments: [省发改委] }
"""

AS_OF = "2026-11-20"
CSV_COLUMNS = ["entry_id", "list_id", "list_title", "kind", "domain", "subject_id",
               "subject_name", "subject_type", "status", "decided_on", "effective_from",
               "expires_on", "ended_on", "end_reason", "authority", "basis", "reason",
               "evidence", "disputed"]




PERSON = rbl_ids.make_resident_id("320102", datetime.date(1980, 5, 17), 123)
NAMES = {uscc(1): '甲公司, "总部"\n南京分公司', uscc(2): "=HYPERLINK(\"http://x\")", PERSON: "张三"}


class PublishCase(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": TEST_RULES})
        self.env["RBL_TODAY"] = AS_OF
        rows = []
        for n, subject in enumerate(NAMES):
            rows.append([f"P{n}a", subject, NAMES[subject], "market", "penalty", "2026-10-01"])
            rows.append([f"P{n}b", subject, NAMES[subject], "market", "penalty", "2026-10-02"])
        rows.append(["A1", uscc(9), "乙公司", "market", "award", "2026-10-03"])
        self.load(rows)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", AS_OF, check=0)

    def load(self, rows, name="in.csv"):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["record_id", "subject_id", "subject_name", "domain", "kind", "date"])
        writer.writerows(rows)
        self.run_tool("rbl-import", "-q", self.write(name, out.getvalue()), check=0)

    def publish(self, *args, check=0):
        return self.run_tool("rbl-publish", *args, check=check)

    def read_csv(self, path, bom=False):
        data = Path(path).read_bytes()
        self.assertEqual(data.startswith(b"\xef\xbb\xbf"), bom)
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))

    def db_entries(self):
        """Each entry's row, with its evidence's record ids joined by ';' (column 17), read
        with SQL both stores speak."""
        evidence = self.evidence_ids()
        query = ("SELECT e.entry_id, e.list_id, e.list_title, e.kind, e.domain, e.subject_id, "
                 "s.name, s.subject_type, e.status, e.decided_on, e.effective_from, e.expires_on, "
                 "e.ended_on, e.end_reason, e.authority, e.basis, e.explanation, e.disputed "
                 "FROM entries e JOIN subjects s USING (subject_id) ORDER BY e.entry_id")
        return {row[0]: row[:17] + (evidence.get(row[0]), row[17])
                for row in self.sql(query)}


class Content(PublishCase):
    def test_csv_and_jsonl_read_back_field_by_field(self):
        out = self.dir / "all.csv"
        self.publish("--status", "all", "--out", out)
        rows = self.read_csv(out)
        self.assertEqual(list(rows[0].keys()), CSV_COLUMNS)
        entries = self.db_entries()
        self.assertEqual([int(r["entry_id"]) for r in rows], sorted(entries))
        for row in rows:
            db = entries[int(row["entry_id"])]
            expected_id = db[5] if db[7] != "natural_person" else db[5][:6] + "*" * 8 + db[5][-4:]
            name = db[6] if not db[6].startswith("=") else "'" + db[6]
            self.assertEqual(row["subject_id"], expected_id)
            self.assertEqual(row["subject_name"], name)
            for column, value in zip(CSV_COLUMNS, db):
                if column in ("entry_id", "subject_id", "subject_name", "reason", "disputed"):
                    continue
                self.assertEqual(row[column], "" if value is None else str(value), column)
            self.assertEqual(row["reason"], db[16].rstrip("\n"))
            self.assertEqual(row["disputed"], "true" if db[18] else "false")

        lines = self.publish("--format", "jsonl", "--status", "all").stdout.splitlines()
        objects = [json.loads(line) for line in lines]
        self.assertEqual(len(objects), len(entries))
        for obj in objects:
            db = entries[obj["entry_id"]]
            self.assertEqual(obj["subject_name"], db[6])  # JSON Lines is never altered
            self.assertEqual(obj["evidence"], db[17].split(";"))
            self.assertIs(obj["disputed"], bool(db[18]))
            self.assertIsNone(obj["ended_on"])
            self.assertEqual(obj["status"], db[8])
            self.assertEqual(list(obj.keys()), CSV_COLUMNS)

    def test_names_with_commas_quotes_line_breaks_and_chinese_survive(self):
        rows = self.read_csv(self.publish_to("names.csv"))
        names = {r["subject_name"] for r in rows}
        self.assertIn('甲公司, "总部"\n南京分公司', names)
        self.assertIn("张三", names)

    def publish_to(self, name, *args):
        out = self.dir / name
        self.publish("--out", out, *args)
        return out

    def test_formula_guard_in_csv_only(self):
        rows = self.read_csv(self.publish_to("guard.csv"))
        self.assertIn("'=HYPERLINK(\"http://x\")", {r["subject_name"] for r in rows})
        objects = [json.loads(l) for l in self.publish("--format", "jsonl").stdout.splitlines()]
        self.assertIn("=HYPERLINK(\"http://x\")", {o["subject_name"] for o in objects})

    def test_natural_persons_are_masked_unless_unmask_which_is_audited(self):
        masked = self.publish("--format", "jsonl").stdout
        self.assertNotIn(PERSON, masked)
        self.assertIn(PERSON[:6] + "********" + PERSON[-4:], masked)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE action = "
                                     "'publish.unmasked'"), 0)
        unmasked = self.publish("--format", "jsonl", "--unmask", "--operator", "analyst").stdout
        self.assertIn(PERSON, unmasked)
        audit = self.sql("SELECT operator, details FROM audit_log WHERE action = "
                         "'publish.unmasked'")
        self.assertEqual(len(audit), 1)
        self.assertEqual(audit[0][0], "analyst")

    def test_lang_zh_bom_and_the_same_data_gives_the_same_bytes(self):
        first = self.publish_to("zh1.csv", "--lang", "zh", "--bom")
        second = self.publish_to("zh2.csv", "--lang", "zh", "--bom")
        self.assertEqual(first.read_bytes(), second.read_bytes())
        rows = self.read_csv(first, bom=True)
        self.assertEqual(list(rows[0].keys())[:3], ["条目编号", "名单编号", "名单名称"])
        self.assertIn("严重违法失信名单", {r["名单名称"] for r in rows})

    def test_manifest_checks_with_sha256sum_and_files_are_private(self):
        out = self.dir / "m.csv"
        summary = json.loads(self.publish("--out", out, "--manifest", "--json").stdout)
        self.assertEqual(summary["sha256"], hashlib.sha256(out.read_bytes()).hexdigest())
        check = subprocess.run(["sha256sum", "-c", "m.csv.sha256"], cwd=self.dir,
                               capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o600)
        self.assertEqual(stat.S_IMODE((self.dir / "m.csv.sha256").stat().st_mode), 0o600)
        wide = self.publish_to("wide.csv", "--mode", "0640")
        self.assertEqual(stat.S_IMODE(wide.stat().st_mode), 0o640)
        self.assertIsNone(summary["publication_id"])
        for key in ("rows", "out", "sha256", "publication_id"):
            self.assertIn(key, summary)

    def test_a_named_pipe_is_written_in_place_not_replaced(self):
        # Regression (was a bug, found on /dev/null): the finished export was renamed over the
        # target, so a device or a pipe named by --out was replaced by a regular file.
        pipe = self.dir / "pipe"
        os.mkfifo(pipe)
        reader = subprocess.Popen(["cat", str(pipe)], stdout=subprocess.PIPE)
        self.publish("--format", "jsonl", "--out", pipe)
        data, _ = reader.communicate(timeout=60)
        self.assertEqual(len(data.splitlines()), 4)
        self.assertTrue(stat.S_ISFIFO(pipe.lstat().st_mode))
        folder = self.dir / "a_folder"
        folder.mkdir()
        self.assertIn("is a folder", self.publish("--out", folder, check=2).stderr)

    def test_filters_kind_domain_subject_status_and_as_of(self):
        def ids(*args):
            return [json.loads(l)["entry_id"]
                    for l in self.publish("--format", "jsonl", *args).stdout.splitlines()]
        everything = ids("--status", "all")
        self.assertEqual(len(everything), 4)
        self.assertEqual(len(ids("--kind", "red")), 1)
        self.assertEqual(len(ids("--kind", "black", "--domain", "market")), 3)
        self.assertEqual(len(ids("--subject", uscc(1))), 1)
        self.assertEqual(ids("--as-of", "2026-11-19"), [])  # decided on 11-20
        self.assertEqual(ids("--status", "withdrawn"), [])

    def test_departments_get_the_entries_whose_measures_name_them(self):
        rows = [json.loads(l) for l in
                self.publish("--format", "jsonl", "--department", "金融监管局").stdout.splitlines()]
        self.assertEqual({r["list_id"] for r in rows}, {"market.black.serious"})
        self.assertEqual(rows[0]["measures"], [{"id": "credit", "text_zh": "从严审核信贷"}])
        folder = self.dir / "departments"
        folder.mkdir()
        summary = json.loads(self.publish("--by-department", folder, "--format", "csv",
                                          "--json").stdout)
        self.assertEqual(sorted(p.name for p in folder.iterdir()),
                         ["省发改委.csv", "省财政厅.csv", "金融监管局.csv"])
        self.assertEqual(len(self.read_csv(folder / "省发改委.csv")), 4)  # black 3 + red 1
        self.assertEqual(summary["rows"], 3 + 4 + 3)


class Channels(PublishCase):
    def delta(self, name):
        out = self.dir / name
        summary = json.loads(self.publish("--channel", "website", "--delta", "--out", out,
                                          "--json").stdout)
        return summary, {int(r["entry_id"]): r for r in self.read_csv(out)}

    def test_deltas_over_three_publications(self):
        first, rows = self.delta("d1.csv")
        self.assertEqual({r["change"] for r in rows.values()}, {"added"})
        self.assertEqual(len(rows), 4)
        self.assertEqual(first["publication_id"], 1)
        self.assertEqual(self.scalar("SELECT count(*) FROM publication_rows "
                                     "WHERE publication_id = 1"), 4)

        # Nothing changed: no file (--write-empty would write the header alone), the
        # publication still recorded.
        second = json.loads(self.publish("--channel", "website", "--delta", "--out",
                                         self.dir / "d2.csv", "--json").stdout)
        self.assertFalse((self.dir / "d2.csv").exists())
        self.assertEqual((second["rows"], second["written"], second["sha256"]), (0, False, None))
        self.assertEqual(second["publication_id"], 2)

        # An objection marks entry 1 disputed (updated); an upheld one revokes entry 2 (removed
        # from the effective list); a new subject is listed (added).
        self.run_tool("rbl-appeal", "file", "1", "--reason", "名称有误", check=0)
        filed = json.loads(self.run_tool("rbl-appeal", "file", "2", "--reason", "x", "--json",
                                         check=0).stdout)
        self.run_tool("rbl-appeal", "decide", filed["appeal_id"], "--outcome", "upheld",
                      "--note", "有误", check=0)
        self.load([["N1", uscc(7), "丙公司", "market", "penalty", "2026-11-01"],
                   ["N2", uscc(7), "丙公司", "market", "penalty", "2026-11-02"]], "new.csv")
        self.run_tool("rbl-adjudicate", "-q", "--as-of", AS_OF, check=0)
        third, rows = self.delta("d3.csv")
        changes = {entry_id: row["change"] for entry_id, row in rows.items()}
        new_entry = self.scalar("SELECT entry_id FROM entries WHERE subject_id = ?", (uscc(7),))
        self.assertEqual(changes, {1: "updated", 2: "removed", new_entry: "added"})
        self.assertEqual(rows[1]["disputed"], "true")
        self.assertEqual(rows[2]["status"], "revoked")
        self.assertEqual(third["publication_id"], 3)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE action = "
                                     "'publish.channel'"), 3)

    def test_a_channel_keeps_its_filter(self):
        self.publish("--channel", "notices", "--status", "effective", "--out",
                     self.dir / "a.csv")
        before = self.scalar("SELECT count(*) FROM publications")
        bad = self.publish("--channel", "notices", "--delta", "--kind", "red", "--out",
                           self.dir / "b.csv", check=2)
        self.assertIn("channel 'notices' publishes with the filter", bad.stderr)
        self.assertFalse((self.dir / "b.csv").exists())
        self.assertEqual(self.scalar("SELECT count(*) FROM publications"), before)


class BadInputs(PublishCase):
    def assert_refused(self, *args, message):
        before = (self.scalar("SELECT count(*) FROM publications"),
                  self.scalar("SELECT count(*) FROM audit_log"))
        result = self.publish(*args, check=2)
        self.assertIn(message, result.stderr)
        self.assertTrue(result.stderr.startswith("rbl-publish: error: "), result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertEqual((self.scalar("SELECT count(*) FROM publications"),
                          self.scalar("SELECT count(*) FROM audit_log")), before)
        leftovers = [p.name for p in self.dir.iterdir() if p.name.startswith("out")]
        self.assertEqual(leftovers, [])

    def test_each_is_exit_2_and_writes_nothing(self):
        out = str(self.dir / "out.csv")
        self.assert_refused("--domain", "nowhere", "--out", out, message="unknown domain")
        self.assert_refused("--status", "gone", "--out", out, message="unknown status")
        self.assert_refused("--kind", "grey", "--out", out, message="unknown kind")
        self.assert_refused("--as-of", "2099-01-01", "--out", out, message="after today")
        self.assert_refused("--out", str(self.dir / "missing" / "x.csv"),
                            message="folder")
        self.assert_refused("--channel", "../etc", "--out", out, message="channel name")
        self.assert_refused("--delta", "--out", out, message="--delta needs --channel")
        self.assert_refused("--manifest", message="--manifest needs --out")
        self.assert_refused("--mode", "rw", "--out", out, message="--mode")
        self.assert_refused("--format", "xml", "--out", out, message="--format")

    def test_no_run_yet_and_no_database(self):
        self.remove_database()
        self.publish(check=2)
        self.run_tool("rbl-import", "-q", self.write("one.csv", "record_id,subject_id,"
                      f"subject_name,domain,kind,date\nX,{uscc(3)},丁,market,penalty,2026-01-01\n"),
                      check=0)
        result = self.publish(check=2)
        self.assertIn("no adjudication has run yet", result.stderr)


class Report(PublishCase):
    def test_report_is_one_self_contained_page(self):
        self.run_tool("rbl-appeal", "file", "1", "--reason", "x", check=0)
        out = self.dir / "report.html"
        self.publish("report", "--out", out, "-q")
        html = out.read_text(encoding="utf-8")
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIn("<svg", html)
        self.assertIn("market.black.serious", html)
        self.assertIn("Open objections (异议): <b>1</b>", html)
        self.assertNotIn("http://", html.replace("http://www.w3.org/2000/svg", "")
                         .replace('http://x', ''))
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o600)

    def test_report_renders_in_headless_chromium(self):
        chromium = shutil.which("chromium")
        if chromium is None:
            self.skipTest("chromium is not installed (make report-check installs it)")
        out = self.dir / "report.html"
        self.publish("report", "--out", out, "-q")
        shot = self.dir / "report.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--screenshot={shot}", "--window-size=1000,1400", out.as_uri()],
                       capture_output=True, timeout=120)
        self.assertTrue(shot.exists() and shot.stat().st_size > 10000)


class Feedback(PublishCase):
    def test_feedback_is_checked_against_the_entry_measures(self):
        text = ("entry_id,department,measure_id,applied_on,note\n"
                "1,省财政厅,procurement,2026-11-20,已限制\n"
                "1,金融监管局,procurement,2026-11-20,\n"
                "1,省财政厅,nothing,2026-11-20,\n"
                "99,省财政厅,procurement,2026-11-20,\n"
                "1,省财政厅,procurement,2026-11-19,\n"
                "1,省财政厅,procurement,2026-11-21,\n")
        path = self.write("feedback.csv", text)
        result = self.run_tool("rbl-import", "--feedback", path, "--json", check=3)
        summary = json.loads(result.stdout)
        self.assertEqual((summary["rows"], summary["inserted"], summary["rejected"]), (6, 1, 5))
        self.assertIn("line 3: measure 'procurement' of entry 1 is not one for 金融监管局",
                      summary["rejections"][0])
        again = json.loads(self.run_tool("rbl-import", "--feedback", path, "--json",
                                         check=3).stdout)
        self.assertEqual((again["inserted"], again["unchanged"]), (0, 1))
        self.assertEqual(self.scalar("SELECT count(*) FROM feedback"), 1)
        out = self.dir / "report.html"
        self.publish("report", "--out", out, "-q")
        self.assertIn("<td>market.black.serious</td><td>省财政厅</td><td>3</td><td>1</td>",
                      out.read_text(encoding="utf-8"))
        rows = [json.loads(l) for l in self.publish("--format", "jsonl", "--department",
                                                    "省财政厅").stdout.splitlines()]
        self.assertEqual({r["entry_id"]: r["measures_reported"] for r in rows},
                         {1: ["procurement"], 2: [], 3: []})


if __name__ == "__main__":
    rbltest.main()
