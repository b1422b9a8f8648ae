"""End-to-end tests of rbl-publish --format xlsx (SPEC.md §6, §11): the spreadsheets read back
with Python's zipfile and xml.etree (tests/cli/xlsx_reader.py) and checked cell by cell against
the CSV export of the same entries and records: identifiers and document numbers as text cells
(an 18-digit code too), dates as date cells, amounts as numbers, the header row frozen, Chinese
headers with --lang zh exactly as CSV has them, a formula-looking value kept as text, masking,
deltas, manifests, and department files as xlsx by default."""

import csv
import datetime
import hashlib
import io
import json
import stat
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import uscc, SOURCE_DIR, ToolTestCase  # noqa: E402
from xlsx_reader import plain, read_sheet  # noqa: E402
import test_publish  # noqa: E402
import test_records_publicity as records  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

AS_OF = test_publish.AS_OF
PERSON = test_publish.PERSON
MASKED_PERSON = PERSON[:6] + "*" * 8 + PERSON[-4:]
DATE_COLUMNS = {"decided_on", "effective_from", "expires_on", "ended_on"}


def government_code():
    """A valid code of a government body (registration 11) made of digits only: 18 digits that a
    spreadsheet would turn into 1.13...E+17 if it were a number."""
    for n in range(1000):
        first17 = f"1132000001{n:07d}"
        check = rbl_ids.uscc_check_char(first17)
        if check.isdigit():
            return first17 + check
    raise AssertionError("no all-digit code")


GOVERNMENT = government_code()
FORMULA_NAME = test_publish.NAMES[uscc(2)]  # =HYPERLINK("http://x")


class XlsxCase(test_publish.PublishCase):
    def setUp(self):
        ToolTestCase.setUp(self)
        self.use_rules({"market": test_publish.TEST_RULES})
        self.env["RBL_TODAY"] = AS_OF
        names = dict(test_publish.NAMES)
        names[GOVERNMENT] = "南京市某局"
        rows = []
        for n, subject in enumerate(names):
            rows.append([f"P{n}a", subject, names[subject], "market", "penalty", "2026-10-01"])
            rows.append([f"P{n}b", subject, names[subject], "market", "penalty", "2026-10-02"])
        rows.append(["A1", uscc(9), "乙公司", "market", "award", "2026-10-03"])
        self.load(rows)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", AS_OF, check=0)

    def both(self, *args, name="all"):
        """The same export as CSV (rows as dicts, the header) and as xlsx (the sheet)."""
        csv_path, xlsx_path = self.dir / f"{name}.csv", self.dir / f"{name}.xlsx"
        self.publish(*args, "--out", csv_path)
        self.publish(*args, "--format", "xlsx", "--out", xlsx_path)
        text = csv_path.read_text(encoding="utf-8")
        header = next(csv.reader(io.StringIO(text)))
        return self.read_csv(csv_path), header, read_sheet(xlsx_path)

    def assert_header_frozen(self, sheet, header):
        self.assertEqual([c.value for c in sheet.rows[0]], header)
        self.assertTrue(all(c.kind == "text" for c in sheet.rows[0]))
        self.assertEqual(sheet.frozen_rows, 1)
        self.assertIn('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>',
                      sheet.xml)

    def unguarded(self, text):
        """A CSV cell without the formula guard's apostrophe."""
        return text[1:] if text[:2] in ("'=", "'+", "'-", "'@") else text


class Entries(XlsxCase):
    def test_every_cell_as_csv_has_it_with_its_type(self):
        rows, header, sheet = self.both("--status", "all")
        self.assertEqual(header, test_publish.CSV_COLUMNS)
        self.assert_header_frozen(sheet, header)
        self.assertEqual(len(sheet.rows), len(rows) + 1)
        self.assertEqual(len(rows), 5)
        self.assertEqual(sheet.autofilter, f"A1:S{len(rows) + 1}")
        for row, cells in zip(rows, sheet.rows[1:]):
            cells = cells + [None] * (len(header) - len(cells))
            for column, cell in zip(header, cells):
                with self.subTest(entry=row["entry_id"], column=column):
                    if row[column] == "":
                        self.assertIsNone(cell)
                        continue
                    if column in DATE_COLUMNS:
                        self.assertEqual(cell.kind, "date")
                        self.assertEqual(cell.value.isoformat(), row[column])
                    elif column == "disputed":
                        self.assertEqual(cell.kind, "boolean")
                    else:
                        self.assertEqual(cell.kind, "text")  # entry_id and subject_id too
                        self.assertIn(cell.raw_type, ("s", "inlineStr"))
                    self.assertEqual(plain(cell), self.unguarded(row[column]))
        self.assertNotIn("<f>", sheet.xml)  # no formula anywhere

    def test_identifiers_stay_text_and_persons_masked(self):
        _, _, sheet = self.both("--status", "all")
        ids = [r[5].value for r in sheet.rows[1:]]
        self.assertIn(GOVERNMENT, ids)  # 18 digits, whole
        self.assertIn(MASKED_PERSON, ids)
        self.assertNotIn(PERSON, ids)
        unmasked = self.dir / "unmasked.xlsx"
        self.publish("--format", "xlsx", "--unmask", "--out", unmasked)
        cell = next(r[5] for r in read_sheet(unmasked).rows[1:] if r[5].value == PERSON)
        self.assertEqual(cell.kind, "text")

    def test_a_formula_looking_name_is_text_never_a_formula(self):
        _, _, sheet = self.both()
        names = {r[6].value: r[6] for r in sheet.rows[1:]}
        self.assertIn(FORMULA_NAME, names)  # as it is: a text cell needs no apostrophe
        self.assertEqual(names[FORMULA_NAME].kind, "text")
        self.assertIn('甲公司, "总部"\n南京分公司', names)
        self.assertNotIn("<f>", sheet.xml)

    def test_chinese_headers_as_csv_has_them_and_widths_by_display_width(self):
        rows, header, sheet = self.both("--lang", "zh", name="zh")
        self.assertEqual(header[:3], ["条目编号", "名单编号", "名单名称"])
        self.assert_header_frozen(sheet, header)
        self.assertEqual(sheet.sheet_name, "名单条目")
        self.assertEqual({r[2].value for r in sheet.rows[1:]}, {row["名单名称"] for row in rows})
        # Each column as wide as its widest cell's display width (a Chinese character two).
        for index, column in enumerate(header):
            widest = max([rbltest.display_width(column)] +
                         [rbltest.display_width(plain(r[index])) for r in sheet.rows[1:]
                          if index < len(r) and r[index] is not None and r[index].kind == "text"])
            with self.subTest(column=column):
                self.assertGreaterEqual(sheet.widths[index], min(widest, 58))
        self.assertGreaterEqual(sheet.widths[2], 2 * len("严重违法失信名单"))

    def test_manifest_checksum_mode_and_summary(self):
        out = self.dir / "lists.xlsx"
        summary = json.loads(self.publish("--format", "xlsx", "--out", out, "--manifest",
                                          "--json").stdout)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
        self.assertEqual(summary["sha256"], digest)
        self.assertTrue(summary["written"])
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o600)
        check = subprocess.run(["sha256sum", "-c", "lists.xlsx.sha256"], cwd=self.dir,
                               capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        leftovers = [p.name for p in self.dir.iterdir() if p.name.startswith(".")]
        self.assertEqual(leftovers, [])

    def test_a_delta_in_xlsx(self):
        first = self.dir / "d1.xlsx"
        self.publish("--format", "xlsx", "--channel", "sheets", "--delta", "--out", first)
        sheet = read_sheet(first)
        self.assertEqual(sheet.rows[0][0].value, "change")
        self.assertEqual([c.value for c in sheet.rows[0][1:]], test_publish.CSV_COLUMNS)
        self.assertEqual({r[0].value for r in sheet.rows[1:]}, {"added"})
        self.assertEqual(len(sheet.rows), 1 + 5)  # the effective entries
        self.assertEqual(self.scalar("SELECT format FROM publications"), "xlsx")
        # Nothing changed: no file, unless --write-empty, which writes the header alone.
        second = self.dir / "d2.xlsx"
        summary = json.loads(self.publish("--format", "xlsx", "--channel", "sheets", "--delta",
                                          "--out", second, "--json").stdout)
        self.assertFalse(second.exists())
        self.assertFalse(summary["written"])
        third = self.dir / "d3.xlsx"
        self.publish("--format", "xlsx", "--channel", "sheets", "--delta", "--write-empty",
                     "--out", third)
        self.assertEqual(len(read_sheet(third).rows), 1)

    def test_xlsx_to_stdout_is_the_same_workbook(self):
        result = subprocess.run([str(rbltest.BIN_DIR / "rbl-publish"), "--format", "xlsx"],
                                env=self.env, cwd=self.dir, capture_output=True)
        self.assertEqual(result.returncode, 0, result.stderr)
        path = self.dir / "stdout.xlsx"
        path.write_bytes(result.stdout)
        self.assertEqual(len(read_sheet(path).rows), 1 + 5)


class Departments(XlsxCase):
    def test_department_files_are_xlsx_by_default(self):
        folder = self.dir / "departments"
        summary = json.loads(self.publish("--by-department", folder, "--json").stdout)
        self.assertEqual(sorted(p.name for p in folder.iterdir()),
                         ["省发改委.xlsx", "省财政厅.xlsx", "金融监管局.xlsx"])
        self.assertEqual(sorted(Path(f).name for f in summary["files"]),
                         ["省发改委.xlsx", "省财政厅.xlsx", "金融监管局.xlsx"])
        sheet = read_sheet(folder / "金融监管局.xlsx")
        header = [c.value for c in sheet.rows[0]]
        self.assertEqual(header[-2:], ["measures", "measures_reported"])
        self.assertEqual({r[header.index("measures")].value for r in sheet.rows[1:]},
                         {"从严审核信贷"})
        self.assertEqual(sheet.frozen_rows, 1)
        # --format still chooses, and the department option writes xlsx when asked.
        csv_folder = self.dir / "csv"
        self.publish("--by-department", csv_folder, "--format", "csv")
        self.assertEqual(sorted(p.suffix for p in csv_folder.iterdir()), [".csv"] * 3)
        one = self.dir / "finance.xlsx"
        self.publish("--department", "金融监管局", "--format", "xlsx", "--lang", "zh",
                     "--out", one)
        self.assertEqual([c.value for c in read_sheet(one).rows[0]][-2:],
                         ["联合奖惩措施", "已反馈措施"])

    def test_help_says_department_files_default_to_xlsx(self):
        text = self.run_tool("rbl-publish", "--help", check=0).stdout
        self.assertIn("xlsx (the default of --by-department)", text)


class Records(records.RecordsCase):
    def both(self, *args, name="records"):
        csv_path, xlsx_path = self.dir / f"{name}.csv", self.dir / f"{name}.xlsx"
        self.publish("--as-of", "2026-12-01", *args, "--out", csv_path)
        self.publish("--as-of", "2026-12-01", *args, "--format", "xlsx", "--out", xlsx_path)
        text = csv_path.read_text(encoding="utf-8")
        return self.read_csv(csv_path), next(csv.reader(io.StringIO(text))), read_sheet(xlsx_path)

    def test_records_cell_by_cell(self):
        rows, header, sheet = self.both()
        self.assertEqual(header, records.COLUMNS_EN)
        self.assertEqual([c.value for c in sheet.rows[0]], header)
        self.assertEqual(sheet.frozen_rows, 1)
        self.assertEqual(sheet.sheet_name, "records")
        self.assertEqual(len(sheet.rows), len(rows) + 1)
        self.assertGreaterEqual(len(rows), 4)
        dates = {"decision_date", "publicity_until", "publicity_from"}
        for row, cells in zip(rows, sheet.rows[1:]):
            cells = cells + [None] * (len(header) - len(cells))
            for column, cell in zip(header, cells):
                with self.subTest(record=row["record_id"], column=column):
                    if row[column] == "":
                        self.assertIsNone(cell)
                    elif column in dates:
                        self.assertEqual(cell.kind, "date")
                        self.assertEqual(cell.value.isoformat(), row[column])
                    elif column == "amount_10k_yuan":
                        self.assertEqual(cell.kind, "number")
                        self.assertAlmostEqual(cell.value, float(row[column]))
                    else:
                        self.assertEqual(cell.kind, "text")
                        text = row[column]
                        self.assertEqual(cell.value, text[1:] if text[:2] in ("'=", "'-") else text)
        by_document = {r[2].value: r for r in sheet.rows[1:]}
        guarded = by_document["-宁市监罚〔2026〕6号"]  # a document number beginning with '-'
        self.assertEqual(guarded[0].value, '=HYPERLINK("http://x")')
        self.assertEqual(guarded[0].kind, "text")
        self.assertIn(records.MASKED_PERSON, [r[1].value for r in sheet.rows[1:]])
        self.assertNotIn("<f>", sheet.xml)

    def test_records_in_chinese_and_as_a_delta(self):
        _, header, sheet = self.both("--lang", "zh", name="zh")
        self.assertEqual(header, records.COLUMNS_ZH)
        self.assertEqual([c.value for c in sheet.rows[0]], records.COLUMNS_ZH)
        self.assertEqual(sheet.sheet_name, "公示记录")
        first = self.dir / "p1.xlsx"
        self.publish("--as-of", "2027-04-10", "--channel", "web", "--delta", "--format", "xlsx",
                     "--out", first)
        delta = read_sheet(first)
        self.assertEqual(delta.rows[0][0].value, "change")
        self.assertEqual({r[0].value for r in delta.rows[1:]}, {"added"})


if __name__ == "__main__":
    rbltest.main()
