"""End-to-end test of one truth per day (issue: the people at the keyboard, point 5): for the
same day the export, the subject's credit report, the summary report and rbl-check show the
same entries — an appeal decided after the day is not shown, one decided by then is, open
objections are counted alike — and that day may be any day up to today: after the last run a
warning, not a refusal."""

import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402
from test_adjudicate import TEST_RULES  # noqa: E402

TODAY = "2026-08-10"
SUBJECTS = [uscc(1), uscc(2), uscc(3)]


def page_text(path):
    text = re.sub(r"<[^>]+>", " ", Path(path).read_text(encoding="utf-8"))
    return re.sub(r"\s+", " ", text)


class OneTruth(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": TEST_RULES})
        self.env["RBL_TODAY"] = TODAY
        text = "record_id,subject_id,subject_name,domain,kind,date,severity,status\n"
        for n, subject in enumerate(SUBJECTS, start=1):
            for day in ("05", "06"):
                text += f"P{n}{day},{subject},主体{n},market,penalty,2026-01-{day},serious,\n"
        self.run_tool("rbl-import", self.write("in.csv", text), check=0)
        for as_of in ("2026-01-06", "2026-01-20"):  # in notice, then in force
            self.run_tool("rbl-adjudicate", "-q", "--as-of", as_of, check=0)
        self.entries = dict(self.sql("SELECT subject_id, entry_id FROM entries"))
        # Entry 1: a repair received 08-01, granted 08-05. Entry 2: an objection received
        # 08-01, rejected 08-06. Entry 3: an objection received 08-02, open.
        repair = self.run_tool("rbl-appeal", "repair", self.entries[uscc(1)], "--reason", "已履行",
                               "--received", "2026-08-01", check=0).stdout.strip()
        self.run_tool("rbl-appeal", "decide", repair, "--outcome", "upheld", "--note", "ok",
                      "--date", "2026-08-05", check=0)
        rejected = self.run_tool("rbl-appeal", "file", self.entries[uscc(2)], "--reason", "异议",
                                 "--received", "2026-08-01", check=0).stdout.strip()
        self.run_tool("rbl-appeal", "decide", rejected, "--outcome", "rejected", "--note", "无误",
                      "--date", "2026-08-06", check=0)
        self.run_tool("rbl-appeal", "file", self.entries[uscc(3)], "--reason", "异议",
                      "--received", "2026-08-02", check=0)

    def exported(self, day):
        """{subject: (status, disputed)} of the entries export as of DAY (all statuses)."""
        result = self.run_tool("rbl-publish", "--format", "jsonl", "--status", "all",
                               "--as-of", day, check=0)
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        return {row["subject_id"]: (row["status"], row["disputed"]) for row in rows}, result

    def checked(self, day):
        """{subject: (status, disputed)} of rbl-check as of DAY; a subject on no list: None."""
        result = self.run_tool("rbl-check", "--json", "--as-of", day, *SUBJECTS, check=0)
        answers = json.loads(result.stdout)["subjects"]
        return {a["subject_id"]: ((a["entries"][0]["status"], a["entries"][0]["disputed"])
                                  if a["entries"] else None) for a in answers}

    def reported_objections(self, day):
        out = self.dir / f"report-{day}.html"
        result = self.run_tool("rbl-publish", "report", "--as-of", day, "--out", out, check=0)
        return int(re.search(r"Open objections \(异议\): (\d+)", page_text(out)).group(1)), result

    def subject_page(self, subject, day):
        out = self.dir / f"subject-{day}.html"
        result = self.run_tool("rbl-publish", "subject-report", subject, "--as-of", day,
                               "--out", out, check=0)
        return page_text(out), result

    def test_the_same_day_shows_the_same_state_everywhere(self):
        # 08-03: the repair and the rejection come later; two objections are open.
        exported, export_run = self.exported("2026-08-03")
        self.assertEqual(exported, {uscc(1): ("effective", False), uscc(2): ("effective", True),
                                    uscc(3): ("effective", True)})
        self.assertEqual(self.checked("2026-08-03"), exported)
        objections, report_run = self.reported_objections("2026-08-03")
        self.assertEqual(objections, sum(disputed for _, disputed in exported.values()))
        page, subject_run = self.subject_page(uscc(1), "2026-08-03")
        self.assertIn("有效", page)
        self.assertIn("办理中", page)  # the repair, open that day
        self.assertNotIn("已支持", page)
        # After the last run (01-20): allowed, with a warning naming it.
        for run in (export_run, report_run, subject_run):
            self.assertIn("lies after the last run's as-of 2026-01-20", run.stderr)

        # 08-07: the repair ended entry 1, the rejection lifted entry 2's dispute.
        exported, _ = self.exported("2026-08-07")
        self.assertEqual(exported, {uscc(1): ("repaired", False), uscc(2): ("effective", False),
                                    uscc(3): ("effective", True)})
        checked = self.checked("2026-08-07")
        self.assertIsNone(checked[uscc(1)])
        self.assertEqual({s: v for s, v in exported.items() if s != uscc(1)},
                         {s: v for s, v in checked.items() if s != uscc(1)})
        self.assertEqual(self.reported_objections("2026-08-07")[0], 1)
        page, _ = self.subject_page(uscc(1), "2026-08-07")
        self.assertIn("已支持", page)

    def test_any_day_up_to_today_but_not_after(self):
        self.run_tool("rbl-publish", "--as-of", TODAY, "--out", self.dir / "today.csv", check=0)
        ahead = self.run_tool("rbl-publish", "--as-of", "2026-08-11", "--out",
                              self.dir / "ahead.csv", check=2)
        self.assertIn("after today", ahead.stderr)
        # Up to the last run: no warning.
        quiet = self.run_tool("rbl-publish", "--as-of", "2026-01-20", "--out",
                              self.dir / "run.csv", check=0)
        self.assertNotIn("warning", quiet.stderr)


if __name__ == "__main__":
    rbltest.main()
