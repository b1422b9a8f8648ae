"""End-to-end tests of `rbl-import FILE...` (SPEC.md §2; issue 14): several files in one go, each
its own batch with its own SHA-256, counts and audit row; a file that fails stops the run with
its error, the files before it imported, the files after it not; --rejects as a folder."""

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, ToolTestCase  # noqa: E402

HEADER = "record_id,subject_id,subject_name,domain,kind,date,amount\n"


class SeveralFiles(ToolTestCase):
    def file(self, name, rows, header=HEADER):
        return self.write(name, header + "".join(",".join(r) + "\n" for r in rows))

    def court(self, n, record_id, date="2026-01-10"):
        return [record_id, uscc(n), f"公司{n}", "courts", "court_default", date, "1000"]

    def batches(self):
        return self.sql("SELECT file_name, file_sha256, rows, inserted, rejected FROM "
                        "import_batches ORDER BY batch_id")

    def test_each_file_is_its_own_batch(self):
        a = self.file("a.csv", [self.court(1, "A1"), self.court(2, "A2")])
        b = self.file("b.csv", [self.court(3, "B1")])
        c = self.file("c.csv", [self.court(4, "C1"), self.court(5, "C2"), self.court(6, "C3")])
        result = self.run_tool("rbl-import", "--json", a, b, c, check=0)
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual([line["inserted"] for line in lines], [2, 1, 3])
        self.assertEqual(len({line["batch_id"] for line in lines}), 3)
        batches = self.batches()
        self.assertEqual([row[2:] for row in batches], [(2, 2, 0), (1, 1, 0), (3, 3, 0)])
        for row, path in zip(batches, (a, b, c)):
            self.assertEqual(row[1], hashlib.sha256(Path(path).read_bytes()).hexdigest())
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE action = "
                                     "'import.batch'"), 3)
        for path in (a, b, c):
            self.assertIn(str(path), result.stderr)

    def test_a_failing_file_stops_the_run_and_keeps_the_ones_before(self):
        a = self.file("a.csv", [self.court(1, "A1")])
        broken = self.file("broken.csv", [["X1", uscc(2), "公司2", "courts"]],
                           header="record_id,subject_id,subject_name,domain\n")
        c = self.file("c.csv", [self.court(3, "C1")])
        result = self.run_tool("rbl-import", a, broken, c, check=2)
        self.assertIn("1 later file not imported (the first: ", result.stderr)
        self.assertIn("c.csv", result.stderr)
        self.assertIn("broken.csv", result.stderr)
        self.assertEqual([Path(row[0]).name for row in self.batches()], ["a.csv"])
        # The same command again, once the file is fixed: the first is unchanged, the rest go in.
        fixed = self.file("broken.csv", [["X1", uscc(2), "公司2", "courts", "court_default",
                                          "2026-01-10", "1000"]])
        again = self.run_tool("rbl-import", "--json", a, fixed, c, check=0)
        lines = [json.loads(line) for line in again.stdout.splitlines()]
        self.assertEqual([(line["inserted"], line["unchanged"]) for line in lines],
                         [(0, 1), (1, 0), (1, 0)])
        self.assertEqual(self.scalar("SELECT count(*) FROM records"), 3)

    def test_rejected_rows_of_several_files_go_into_a_folder(self):
        bad = [self.court(1, "G1"), ["B1", uscc(1)[:-1] + "0", "公司", "courts",
                                     "court_default", "2026-01-10", "1000"]]
        a = self.file("a.csv", bad)
        b = self.file("b.csv", [self.court(2, "G2"), self.court(3, "G3", date="2026-02-30")])
        folder = self.dir / "rejects"
        folder.mkdir()
        result = self.run_tool("rbl-import", "--rejects", str(folder), a, b, check=3)
        self.assertEqual(sorted(p.name for p in folder.iterdir()),
                         ["a.csv.rejects.csv", "b.csv.rejects.csv"])
        self.assertIn("B1", (folder / "a.csv.rejects.csv").read_text(encoding="utf-8"))
        self.assertIn("2026-02-30", (folder / "b.csv.rejects.csv").read_text(encoding="utf-8"))
        self.assertEqual([row[3:] for row in self.batches()], [(1, 1), (1, 1)])
        self.assertIn("1 rejected", result.stderr)

    def test_mistakes_in_the_file_list_import_nothing(self):
        a = self.file("a.csv", [self.court(1, "A1")])
        b = self.file("b.csv", [self.court(2, "B1")])
        not_a_folder = self.write("rejects.csv", "")
        result = self.run_tool("rbl-import", "--rejects", not_a_folder, a, b, check=2)
        self.assertIn("names a folder that exists", result.stderr)
        twice = self.run_tool("rbl-import", a, b, a, check=2)
        self.assertIn("is given twice", twice.stderr)
        sub = self.dir / "sub"
        sub.mkdir()
        other_a = self.file("sub/a.csv", [self.court(3, "A3")])
        folder = self.dir / "rej"
        folder.mkdir()
        clash = self.run_tool("rbl-import", "--rejects", str(folder), a, other_a, check=2)
        self.assertIn("would write their rejects to the same file", clash.stderr)
        self.assertFalse(self.database_exists() and self.scalar(
            "SELECT count(*) FROM import_batches"))


if __name__ == "__main__":
    rbltest.main()
