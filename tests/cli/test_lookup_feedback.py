"""End-to-end tests of the loop of check, measure applied and report back (触发、实施、反馈):
a department checks a subject with rbl-check, reports the measure it applied with rbl-import
--feedback naming that check's lookup_id, and rbl-publish report counts both per department. A
lookup_id of no check, of another department's or of another subject's is rejected with its
reason."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from test_check import AS_OF, LISTED, PENDING, CheckCase  # noqa: E402

FINANCE = "省财政厅"
PLANNING = "省发改委"
HEADER = "entry_id,department,measure_id,applied_on,lookup_id\n"


class LookupFeedback(CheckCase):
    def lookup_of(self, department, subject):
        """Checks `subject` for `department`; returns the answer's lookup_id."""
        answer = self.check_json("--department", department, subject)
        return answer["subjects"][0]["lookup_id"]

    def feedback(self, text, *args, check):
        path = self.write("feedback.csv", HEADER + text)
        return json.loads(self.run_tool("rbl-import", "--feedback", path, "--json", *args,
                                        check=check).stdout)

    def report(self):
        out = self.dir / "report.html"
        self.run_tool("rbl-publish", "report", "--out", out, "-q", check=0)
        return out.read_text(encoding="utf-8")

    def test_feedback_naming_its_check_is_recorded_and_counted(self):
        lookup = self.lookup_of(FINANCE, LISTED)
        self.lookup_of(FINANCE, PENDING)
        entry = self.entry_of(LISTED)
        summary = self.feedback(f"{entry},{FINANCE},procurement,{AS_OF},{lookup}\n"
                                f"{entry},{PLANNING},procurement,{AS_OF},\n", check=0)
        self.assertEqual((summary["inserted"], summary["rejected"]), (2, 0))
        self.assertEqual(self.sql("SELECT department, lookup_id FROM feedback ORDER BY feedback_id"),
                         [(FINANCE, lookup), (PLANNING, None)])
        # 省财政厅: two checks, of two subjects with entries (one in force, one pending), and one
        # feedback row naming its check; 省发改委 reported without checking.
        html = self.report()
        self.assertIn("<th>naming a check</th>", html)
        self.assertIn(f"<tr><td>{FINANCE}</td><td>2</td><td>2</td><td>1</td><td>1</td></tr>",
                      html)
        self.assertIn(f"<tr><td>{PLANNING}</td><td>0</td><td>0</td><td>1</td><td>0</td></tr>",
                      html)

    def test_a_lookup_id_of_no_check_another_department_or_subject_is_rejected(self):
        own = self.lookup_of(FINANCE, LISTED)
        other_department = self.lookup_of(PLANNING, LISTED)
        other_subject = self.lookup_of(FINANCE, PENDING)
        entry = self.entry_of(LISTED)
        text = (f"{entry},{FINANCE},procurement,{AS_OF},999\n"
                f"{entry},{FINANCE},procurement,{AS_OF},{other_department}\n"
                f"{entry},{FINANCE},procurement,{AS_OF},{other_subject}\n"
                f"{entry},{FINANCE},procurement,{AS_OF},{own}\n")
        # --strict: one rejected row and nothing is loaded.
        strict = self.feedback(text, "--strict", check=3)
        self.assertEqual((strict["rejected"], strict["committed"]), (3, False))
        self.assertEqual(self.scalar("SELECT count(*) FROM feedback"), 0)
        summary = self.feedback(text, check=3)
        self.assertEqual((summary["rows"], summary["inserted"], summary["rejected"]), (4, 1, 3))
        self.assertEqual(summary["rejections"], [
            "line 2: there is no lookup 999",
            f"line 3: lookup {other_department} was made for {PLANNING}, not for {FINANCE}",
            f"line 4: lookup {other_subject} was about {PENDING}, not about {LISTED}, the "
            f"subject of entry {entry}"])
        # Only the good row, with its lookup; no row half-loaded.
        self.assertEqual(self.sql("SELECT lookup_id FROM feedback"), [(own,)])


if __name__ == "__main__":
    rbltest.main()
