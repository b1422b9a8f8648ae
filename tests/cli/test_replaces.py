"""End-to-end tests of `replaces:` (docs/RULES.md): a list renamed in a revision of the rules. The
old list's entries run to their expiry (SPEC.md §4), and while one is open, or once its facts are
used, the new list does not list the subject a second time; subjects the old list never had are
listed by the new one as usual. And the mistakes `rbl-rules check` refuses."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402


def environment(list_id, replaces=""):
    return f"""domain: environment
title: Environment
title_zh: 环境
version: "{list_id}"
attributes:
  grade: text
lists:
  - id: {list_id}
    kind: black
    title: Black grade
    title_zh: 黑色等级
    basis: 测试依据
    authority: 测试局
{replaces}    criteria:
      exists: {{ kind: rating, within: 1y, where: "grade in ['red', 'black']" }}
    term: {{ from: evidence, length: 1y }}
    procedure: {{ appeal_days: 5 }}
"""


class Replaces(ToolTestCase):
    def load(self, today, rows, name):
        text = "record_id,subject_id,subject_name,domain,kind,date,grade\n"
        text += "".join(",".join(row) + "\n" for row in rows)
        self.run_tool("rbl-import", self.write(name, text), env={"RBL_TODAY": today}, check=0)

    def adjudicate(self, as_of, rules):
        self.env["RBL_RULES"] = str(rules)
        result = self.run_tool("rbl-adjudicate", "--json", "--as-of", as_of,
                               env={"RBL_TODAY": as_of}, check=0)
        return json.loads(result.stdout)

    def entries(self):
        return self.sql("SELECT list_id, subject_id, status FROM entries ORDER BY entry_id")

    def folder(self, name, text):
        rules = self.dir / name
        rules.mkdir()
        (rules / "calendar.yaml").write_text((rbltest.RULES / "calendar.yaml").read_text(
            encoding="utf-8"), encoding="utf-8")
        (rules / "environment.yaml").write_text(text, encoding="utf-8")
        return rules

    def test_a_renamed_list_does_not_list_its_subjects_twice(self):
        old = self.folder("old", environment("environment.black.red_grade"))
        new = self.folder("new", environment(
            "environment.black.black_grade",
            "    replaces: [environment.black.red_grade]\n"))
        without = self.folder("without", environment("environment.black.black_grade"))
        self.env["RBL_RULES"] = str(old)
        self.load("2026-03-02", [["E1", uscc(1), "公司1", "environment", "rating", "2026-03-01",
                                  "red"]], "a.csv")
        self.adjudicate("2026-03-02", old)
        # The same rating re-sent in the new scheme's words, and a subject the old list never had.
        self.env["RBL_RULES"] = str(new)
        self.load("2026-04-01", [["E1", uscc(1), "公司1", "environment", "rating", "2026-03-01",
                                  "black"],
                                 ["E2", uscc(2), "公司2", "environment", "rating", "2026-03-20",
                                  "black"]], "b.csv")
        summary = self.adjudicate("2026-04-01", new)
        self.assertEqual(summary["created"], 1)
        self.assertEqual(self.entries(), [
            ("environment.black.red_grade", uscc(1), "effective"),
            ("environment.black.black_grade", uscc(2), "effective")])
        # The old entry runs to its expiry; the same rating does not list the subject again.
        self.adjudicate("2027-03-01", new)
        self.assertEqual(self.entries()[0][2], "expired")
        self.adjudicate("2027-03-02", new)
        self.assertEqual(len(self.entries()), 2)

        # Without replaces:, the renamed list would list the first subject a second time.
        self.use_database(self.other_database("without"))
        self.env["RBL_RULES"] = str(old)
        self.load("2026-03-02", [["E1", uscc(1), "公司1", "environment", "rating", "2026-03-01",
                                  "red"]], "c.csv")
        self.adjudicate("2026-03-02", old)
        self.adjudicate("2026-04-01", without)
        self.assertEqual([row[0] for row in self.entries()],
                         ["environment.black.red_grade", "environment.black.black_grade"])

    def test_mistakes_are_refused(self):
        for replaces, says in [
            ("    replaces: [environment.black.black_grade]\n", "which is still in the rules"),
            ("    replaces: [environment.red.green_grade]\n", "which is no black list id"),
        ]:
            rules = self.folder(f"bad{len(says)}", environment("environment.black.black_grade",
                                                               replaces))
            result = self.run_tool("rbl-rules", "--rules", str(rules), "check", check=2)
            self.assertIn(says, result.stderr)
            self.assertIn("environment.yaml:", result.stderr)


if __name__ == "__main__":
    rbltest.main()
