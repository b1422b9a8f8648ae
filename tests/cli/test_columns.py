"""End-to-end tests of the column check of rbl-import (SPEC.md §2 "Columns", issue 11 point 1):
a misspelt or look-alike header is refused before anything is written, an unknown one is named
once, --allow-column accepts one on purpose, and a mapping's source column must be in the file."""

import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, ToolTestCase, uscc  # noqa: E402

MAPPING = SAMPLES / "mappings/shuanggongshi_penalty.yaml"
HEADER = "record_id,subject_id,subject_name,domain,kind,date,amount,authority"


def courts_row(n, amount="1200.50"):
    return f"R{n},{uscc(n)},公司{n},courts,court_default,2025-01-{10 + n:02d},{amount},某法院"


class ColumnCase(ToolTestCase):
    def state(self):
        """Every row of every table: what a refused import must leave as it was."""
        tables = self.table_names()
        return {name: sorted(map(repr, self.sql(f"SELECT * FROM {name}"))) for name in tables}

    def loaded(self):
        """A database holding the courts sample; returns its state."""
        self.run_tool("rbl-import", "--source", "courts", SAMPLES / "records/courts.csv", check=0)
        return self.state()

    def assert_refused(self, args, *needles):
        """Runs rbl-import ARGS on a loaded database: exit 2, each needle in the error, and
        every table as it was; then the same on no database: none is created."""
        before = self.loaded()
        result = self.run_tool("rbl-import", *args, check=2)
        for needle in needles:
            self.assertIn(needle, result.stderr)
        self.assertTrue(result.stderr.startswith("rbl-import: error: "), result.stderr)
        self.assertEqual(self.state(), before)
        fresh = self.dir / "fresh.db"
        self.run_tool("rbl-import", "--db", fresh, *args, check=2)
        self.assertFalse(fresh.exists())
        return result

    def import_json(self, *args, check=0):
        result = self.run_tool("rbl-import", "--json", *args, check=check)
        return json.loads(result.stdout), result.stderr

    def attrs(self, record_id):
        return json.loads(self.scalar("SELECT attrs FROM records WHERE record_id = ?",
                                      (record_id,)))


class MisspeltColumns(ColumnCase):
    def test_amout_is_refused_naming_amount(self):
        path = self.write("in.csv", HEADER.replace(",amount,", ",amout,") + "\n"
                          + courts_row(1) + "\n")
        result = self.assert_refused([path], "in.csv:1: column 7 'amout'",
                                     "close to 'amount' (a standard column)",
                                     "--allow-column 'amout'")
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)

    def test_violense_is_refused_naming_the_attribute_violence(self):
        text = (SAMPLES / "records/courts.csv").read_text(encoding="utf-8")
        path = self.write("courts.csv", text.replace(",violence,", ",violense,", 1))
        self.assert_refused([path], "column 17 'violense'",
                            "close to 'violence' (an attribute of courts)")

    def test_ascii_brackets_against_the_shipped_mappings_full_width_ones(self):
        text = (SAMPLES / "records/market_penalties_shuanggongshi.csv").read_text(encoding="utf-8")
        self.assertIn("罚款金额（万元）", text)
        path = self.write("market.csv", text.replace("罚款金额（万元）", "罚款金额(万元)", 1))
        self.assert_refused(["--mapping", MAPPING, path],
                            "column 8 '罚款金额(万元)' looks like '罚款金额（万元）'",
                            f"a source column of the mapping {MAPPING}",
                            "'(' (U+0028) where '罚款金额（万元）' has '（' (U+FF08)")

    def test_case_and_full_width_look_alikes(self):
        path = self.write("in.csv", HEADER.replace(",amount,", ",Amount,") + "\n"
                          + courts_row(1) + "\n")
        self.assert_refused([path], "'Amount' looks like 'amount'")
        path = self.write("in.csv", HEADER.replace(",date,", ",ｄａｔｅ,") + "\n"
                          + courts_row(1) + "\n")
        self.assert_refused([path], "'ｄａｔｅ' looks like 'date'")

    def test_json_lines_misspelling_on_a_later_line_writes_nothing(self):
        good = {"record_id": "J1", "subject_id": uscc(1), "subject_name": "甲",
                "domain": "labour", "kind": "wage_arrears", "date": "2025-05-01",
                "attrs": {"workers": 3}}
        lines = [good, dict(good, record_id="J2"),
                 dict(good, record_id="J3", attrs={"wokrers": 4})]
        path = self.write("in.jsonl", "".join(json.dumps(line, ensure_ascii=False) + "\n"
                                              for line in lines))
        self.assert_refused([path], "in.jsonl:3: the attrs member 'wokrers'",
                            "close to 'workers' (an attribute of labour)")

    def test_distinct_names_are_not_refused(self):
        # `rate` is one edit from `date`, but the file has `date`: a column of its own. Two
        # Chinese characters apart (行政相对人类别, 行政相对人名称) is another column too.
        path = self.write("in.csv", HEADER + ",rate,reason,行政相对人类别\n"
                          + courts_row(1) + ",0.5,x,法人\n")
        summary, _ = self.import_json(path)
        self.assertEqual(summary["inserted"], 1)
        self.assertEqual(summary["unknown_columns"], ["rate", "reason", "行政相对人类别"])


class UnknownColumns(ColumnCase):
    def test_unknown_header_is_named_once_and_the_data_imported(self):
        path = self.write("in.csv", HEADER + ",备注,violence\n"
                          + "".join(courts_row(n) + f",第{n}条,false\n" for n in range(1, 4)))
        summary, stderr = self.import_json(path)
        self.assertEqual(summary["inserted"], 3)
        self.assertEqual(summary["unknown_columns"], ["备注"])
        self.assertEqual(stderr.count("'备注'"), 1, stderr)
        self.assertIn("in.csv: column '备注' is not a standard column, not an attribute of courts",
                      stderr)
        self.assertEqual(self.attrs("R2"), {"备注": "第2条", "violence": False})
        self.assertEqual(self.scalar("SELECT amount_fen FROM records WHERE record_id = 'R1'"),
                         120050)

    def test_an_attribute_of_a_domain_not_in_the_file_is_unknown(self):
        # `rating` is declared by tax, not by courts: no courts rule can read it.
        path = self.write("in.csv", HEADER + ",rating,violence\n" + courts_row(1) + ",A,true\n")
        summary, stderr = self.import_json(path)
        self.assertEqual(summary["unknown_columns"], ["rating"])
        self.assertIn("column 'rating'", stderr)
        # In a file that also holds tax records it is known.
        path = self.write("in.csv", HEADER + ",rating\n" + courts_row(1) + ",\n"
                          + f"T1,{uscc(9)},税户,tax,rating,2025-03-01,,某税务局,A\n")
        summary, stderr = self.import_json(path)
        self.assertEqual(summary["unknown_columns"], [])
        self.assertNotIn("rating", stderr)

    def test_json_lines_unknown_name_is_named_once(self):
        base = {"subject_id": uscc(1), "subject_name": "甲", "domain": "labour",
                "kind": "wage_arrears", "date": "2025-05-01"}
        lines = [dict(base, record_id="J1", remark="a"),
                 dict(base, record_id="J2", workers=3, remark="b"),
                 dict(base, record_id="J3", attrs={"remark": "c", "paid_on": None})]
        path = self.write("in.jsonl", "".join(json.dumps(line, ensure_ascii=False) + "\n"
                                              for line in lines))
        summary, stderr = self.import_json(path)
        self.assertEqual(summary["inserted"], 3)
        self.assertEqual(summary["unknown_columns"], ["remark"])
        self.assertEqual(stderr.count("'remark'"), 1, stderr)

    def test_every_shipped_sample_has_only_known_columns(self):
        files = [[p] for p in sorted((SAMPLES / "records").glob("*"))
                 if p.suffix in (".csv", ".jsonl") and "gb18030" not in p.name
                 and "shuanggongshi" not in p.name]
        files.append(["--encoding", "gb18030", SAMPLES / "records/environment_gb18030.csv"])
        files.append(["--mapping", MAPPING,
                      SAMPLES / "records/market_penalties_shuanggongshi.csv"])
        files.append([SAMPLES / "bad/bad_rows.csv"])
        self.assertEqual(len(files), 12)
        for args in files:
            with self.subTest(args=args):
                result = self.run_tool("rbl-import", "--json", "--source", str(args[-1]), *args)
                self.assertIn(result.returncode, (0, 3), result.stderr)
                self.assertEqual(json.loads(result.stdout)["unknown_columns"], [], result.stderr)
                self.assertNotIn("column '", result.stderr)


class AllowColumn(ColumnCase):
    def test_allow_column_keeps_a_near_name_as_a_plain_attribute(self):
        path = self.write("in.csv", HEADER.replace(",amount,", ",amout,") + ",备注\n"
                          + courts_row(1) + ",x\n")
        summary, stderr = self.import_json("--allow-column", "amout", path)
        self.assertEqual(summary["inserted"], 1)
        self.assertEqual(summary["unknown_columns"], ["amout", "备注"])
        self.assertIsNone(self.scalar("SELECT amount_fen FROM records"))
        self.assertEqual(self.attrs("R1"), {"amout": "1200.50", "备注": "x"})
        self.assertNotIn("'amout'", stderr)  # accepted on purpose: no warning
        self.assertIn("'备注'", stderr)

    def test_allow_column_is_repeatable_and_names_what_the_file_lacks(self):
        path = self.write("in.csv", HEADER.replace(",amount,", ",amout,") + ",statsu\n"
                          + courts_row(1) + ",x\n")
        result = self.run_tool("rbl-import", "--allow-column", "amout", path, check=2)
        self.assertIn("'statsu' is not a known column, but close to 'status'", result.stderr)
        summary, stderr = self.import_json("--allow-column", "amout", "--allow-column", "statsu",
                                           "--allow-column", "nothing", path)
        self.assertEqual(summary["unknown_columns"], ["amout", "statsu"])
        self.assertEqual(self.attrs("R1"), {"amout": "1200.50", "statsu": "x"})
        self.assertIn("--allow-column 'nothing': ", stderr)
        self.assertIn("has no such column", stderr)


class MappingSources(ColumnCase):
    def test_a_mapped_column_missing_from_the_file_is_an_error(self):
        source = SAMPLES / "records/market_penalties_shuanggongshi.csv"
        with open(source, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        drop = rows[0].index("公示截止期")
        path = self.dir / "market.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(row[:drop] + row[drop + 1:] for row in rows)
        self.assert_refused(["--mapping", MAPPING, path],
                            f"the mapping {MAPPING} maps the column '公示截止期' "
                            "(to 'publicity_until'), which",
                            f"{path} does not have")

    def test_constants_need_no_column(self):
        mapping = self.write("m.yaml", "columns:\n  文号: record_id\n"
                             "constants:\n  domain: courts\n  kind: court_default\n")
        path = self.write("in.csv", f"文号,subject_id,subject_name,date\nR1,{uscc(1)},甲,2025-01-10\n")
        summary, _ = self.import_json("--mapping", mapping, path)
        self.assertEqual((summary["inserted"], summary["unknown_columns"]), (1, []))

    def test_json_lines_mapped_name_that_never_occurs_is_an_error(self):
        mapping = self.write("m.yaml", "columns:\n  code: subject_id\n  人数: workers\n")
        line = {"record_id": "J1", "code": uscc(1), "subject_name": "甲", "domain": "labour",
                "kind": "wage_arrears", "date": "2025-05-01"}
        path = self.write("in.jsonl", json.dumps(line, ensure_ascii=False) + "\n")
        self.assert_refused(["--mapping", mapping, path],
                            f"the mapping {mapping} maps the column '人数' (to 'workers')",
                            f"{path} does not have")
        path = self.write("in.jsonl", json.dumps(line, ensure_ascii=False) + "\n"
                          + json.dumps(dict(line, record_id="J2", 人数=4), ensure_ascii=False)
                          + "\n")
        summary, _ = self.import_json("--mapping", mapping, path)
        self.assertEqual(summary["inserted"], 2)


if __name__ == "__main__":
    rbltest.main()
