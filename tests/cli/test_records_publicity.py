"""End-to-end tests of rbl-publish records (SPEC.md §11): records imported in the 双公示 layout
and as plain CSV, published as of several days with the shipped rules' 2026 publicity classes,
and the 双公示 CSV read back with Python's csv module and compared field by field; JSON Lines,
masking, the formula guard, manifests, channels and deltas; bad `publicity:` blocks rejected
with file:line:column."""

import calendar
import csv
import datetime
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import RULES, SAMPLES, SOURCE_DIR, uscc, ToolTestCase  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

TODAY = "2027-06-30"
PERSON = rbl_ids.make_resident_id("320102", datetime.date(1980, 5, 17), 123)
MASKED_PERSON = PERSON[:6] + "*" * 8 + PERSON[-4:]

COLUMNS_EN = ["subject_name", "subject_id", "record_id", "violation_type", "penalty_basis",
              "penalty_category", "penalty_content", "amount_10k_yuan", "decision_date",
              "authority", "publicity_until", "data_source", "domain", "kind", "subject_type",
              "source", "publicity_class", "publicity_from"]
COLUMNS_ZH = ["行政相对人名称", "统一社会信用代码", "决定书文号", "违法行为类型", "处罚依据",
              "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚机关", "公示截止期",
              "数据来源单位", "领域", "记录类型", "主体类型", "导入来源", "失信程度",
              "公示起始日期"]

# The 双公示 file: the layout's columns (amounts in ¥10,000, dates as the bureaus write them)
# and a severity column; imported through samples/mappings/shuanggongshi_penalty.yaml. The
# source's own 公示截止期 is left empty in every row: the export computes it.
LAYOUT_HEADER = ["行政相对人名称", "统一社会信用代码", "决定书文号", "违法行为类型", "处罚依据",
                 "处罚类别", "处罚内容", "罚款金额（万元）", "处罚决定日期", "处罚机关",
                 "数据来源单位", "severity", "公示截止期"]
LAYOUT_ROWS = [
    # name, id, document, type, basis, category, content, amount, date, authority, source, sev.
    ["甲公司", uscc(1), "宁市监罚〔2026〕1号", "超过保质期", "《食品安全法》第三十四条", "罚款",
     "罚款12.35万元", "12.35", "2026/4/10", "南京市市场监督管理局", "南京市市场监督管理局",
     "general"],
    ["甲公司", uscc(1), "宁市监罚〔2026〕2号", "营养成分不符", "《食品安全法》第一百二十四条",
     "罚款;没收违法所得", "罚款150万元", "150", "2026/5/20", "南京市市场监督管理局",
     "南京市市场监督管理局", "serious"],
    ["乙公司", uscc(2), "宁市监罚〔2026〕3号", "未清洗餐具", "《食品安全法》第五十六条", "警告",
     "警告", "", "2026/6/1", "南京市市场监督管理局", "南京市市场监督管理局", "minor"],
    ["张三", PERSON, "宁市监罚〔2026〕4号", "无证经营", "《食品安全法》第一百二十二条", "罚款",
     "罚款0.5万元", "0.5", "2026/7/1", "玄武区市场监督管理局", "玄武区市场监督管理局", "一般"],
    ["丙公司", uscc(3), "宁市监罚〔2026〕5号", "生产假冒食品", "《食品安全法》第一百二十三条",
     "吊销许可证", "吊销食品生产许可证", "80", "2026/3/1", "南京市市场监督管理局",
     "南京市市场监督管理局", ""],
    ['=HYPERLINK("http://x")', uscc(6), "-宁市监罚〔2026〕6号", "虚假宣传", "《广告法》第五十五条",
     "罚款", "罚款3万元", "3", "2026/6/15", "南京市市场监督管理局", "南京市市场监督管理局",
     "general"],
]
# Plain records: a withdrawn penalty, a kind not published, a domain that publishes nothing.
PLAIN_HEADER = ["record_id", "subject_id", "subject_name", "domain", "kind", "date", "status",
                "amount"]
PLAIN_ROWS = [
    ["宁市监罚〔2026〕7号", uscc(5), "丁公司", "market", "penalty", "2026-05-01", "withdrawn", ""],
    ["宁市监奖〔2026〕1号", uscc(5), "丁公司", "market", "award", "2026-05-02", "", ""],
    ["(2026)苏01执1号", uscc(5), "丁公司", "courts", "court_default", "2026-05-03", "", "1000"],
]


def add_months(day, months):
    """Calendar arithmetic as SPEC.md §3 has it: 2028-02-29 + 12 months = 2029-02-28."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


MAXIMUM_MONTHS = {"general": 12, "serious": 36}


def layout_date(text):
    year, month, day = (int(part) for part in text.split("/"))
    return datetime.date(year, month, day)


class RecordsCase(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.env["RBL_TODAY"] = TODAY
        self.import_csv("layout.csv", LAYOUT_HEADER, [row + [""] for row in LAYOUT_ROWS], "--source", "market-bureau",
                        "--mapping", SAMPLES / "mappings/shuanggongshi_penalty.yaml")
        self.import_csv("plain.csv", PLAIN_HEADER, PLAIN_ROWS)

    def import_csv(self, name, header, rows, *options):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        return self.run_tool("rbl-import", "-q", "--json", *options, self.write(name, out.getvalue()),
                             check=0)

    def publish(self, *args, check=0):
        return self.run_tool("rbl-publish", "records", *args, check=check)

    def read_csv(self, path):
        data = Path(path).read_bytes()
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))

    def expected(self, as_of):
        """The layout rows public on `as_of`, as the export must show them, by record id."""
        rows = {}
        for (name, subject, document, violation, basis, category, content, amount, date,
             authority, source, severity) in LAYOUT_ROWS:
            decided = layout_date(date)
            klass = {"general": "general", "一般": "general", "serious": "serious",
                     "minor": "minor"}.get(severity, "serious" if category == "吊销许可证" else
                                            "general")
            if klass == "minor":
                continue
            until = add_months(decided, MAXIMUM_MONTHS[klass])
            if not decided <= as_of <= until:
                continue
            person = subject == PERSON
            guard = "'" if name[:1] in "=+-@" else ""
            rows[document] = {
                "subject_name": guard + name, "subject_id": MASKED_PERSON if person else subject,
                "record_id": ("'" if document[:1] in "=+-@" else "") + document,
                "violation_type": violation, "penalty_basis": basis, "penalty_category": category,
                "penalty_content": content, "amount_10k_yuan": amount,
                "decision_date": decided.isoformat(), "authority": authority,
                "publicity_until": until.isoformat(), "data_source": source, "domain": "market",
                "kind": "penalty", "subject_type": "natural_person" if person else "legal_person",
                "source": "market-bureau", "publicity_class": klass,
                "publicity_from": decided.isoformat()}
        return rows


class Content(RecordsCase):
    def test_records_public_on_several_days_read_back_field_by_field(self):
        for as_of in ["2026-02-28", "2026-03-01", "2026-06-01", "2026-07-01", "2027-04-10",
                      "2027-04-11", "2027-06-30"]:
            with self.subTest(as_of=as_of):
                out = self.dir / f"records-{as_of}.csv"
                result = self.publish("--as-of", as_of, "--out", out, "--json")
                rows = self.read_csv(out)
                expected = self.expected(datetime.date.fromisoformat(as_of))
                self.assertEqual(json.loads(result.stdout)["rows"], len(expected))
                self.assertEqual(len(rows), len(expected))
                for row in rows:
                    self.assertEqual(list(row.keys()), COLUMNS_EN)
                    key = row["record_id"].removeprefix("'")
                    self.assertIn(key, expected)
                    for column in COLUMNS_EN:
                        self.assertEqual(row[column], expected[key][column], (as_of, key, column))

    def test_the_edges_of_a_general_record(self):
        def documents(as_of):
            out = self.dir / "r.csv"
            self.publish("--as-of", as_of, "--out", out)
            return {row["record_id"] for row in self.read_csv(out)}
        self.assertNotIn("宁市监罚〔2026〕1号", documents("2026-04-09"))
        self.assertIn("宁市监罚〔2026〕1号", documents("2026-04-10"))
        self.assertIn("宁市监罚〔2026〕1号", documents("2027-04-10"))   # its 公示截止期
        self.assertNotIn("宁市监罚〔2026〕1号", documents("2027-04-11"))
        # Minor, withdrawn, unpublished kinds and domains never appear.
        every = documents("2026-07-01")
        for never in ["宁市监罚〔2026〕3号", "宁市监罚〔2026〕7号", "宁市监奖〔2026〕1号",
                      "(2026)苏01执1号"]:
            self.assertNotIn(never, every)

    def test_chinese_headers_jsonl_and_unmask(self):
        out = self.dir / "zh.csv"
        self.publish("--as-of", "2026-07-01", "--lang", "zh", "--out", out)
        with open(out, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        self.assertEqual(header, COLUMNS_ZH)

        lines = self.publish("--as-of", "2026-07-01", "--format", "jsonl").stdout.splitlines()
        objects = {obj["record_id"]: obj for obj in map(json.loads, lines)}
        expected = self.expected(datetime.date(2026, 7, 1))
        self.assertEqual(len(objects), len(expected))
        for document, obj in objects.items():
            self.assertEqual(list(obj.keys()), COLUMNS_EN)
            want = expected[document]
            amount = obj["amount_10k_yuan"]
            self.assertEqual(str(amount) if amount is not None else "", want["amount_10k_yuan"])
        # JSON Lines is never altered by the formula guard.
        self.assertIn("-宁市监罚〔2026〕6号", objects)
        self.assertEqual(objects["-宁市监罚〔2026〕6号"]["subject_name"], '=HYPERLINK("http://x")')
        self.assertEqual(objects["宁市监罚〔2026〕4号"]["subject_id"], MASKED_PERSON)

        result = self.publish("--as-of", "2026-07-01", "--format", "jsonl", "--unmask")
        person = [json.loads(line) for line in result.stdout.splitlines()
                  if "宁市监罚〔2026〕4号" in line][0]
        self.assertEqual(person["subject_id"], PERSON)
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log "
                                     "WHERE action = 'publish.unmasked'"), 1)

    def test_one_decision_one_fact_and_a_reverted_import(self):
        # Another source's later copy of document 1 calls it serious: that copy counts.
        self.import_csv("copy.csv", PLAIN_HEADER + ["severity"],
                        [["宁市监罚〔2026〕1号", uscc(1), "甲公司", "market", "penalty",
                          "2026-04-10", "", "123500", "serious"]], "--source", "platform")
        batch = json.loads(self.import_csv(
            "mistake.csv", PLAIN_HEADER,
            [["宁市监罚〔2026〕9号", uscc(7), "戊公司", "market", "penalty", "2026-06-20", "",
              ""]]).stdout)["batch_id"]
        self.run_tool("rbl-import", "-q", "--revert", batch, check=0)
        out = self.dir / "r.csv"
        self.publish("--as-of", "2027-04-11", "--out", out)
        rows = {row["record_id"]: row for row in self.read_csv(out)}
        self.assertNotIn("宁市监罚〔2026〕9号", rows)
        copy = rows["宁市监罚〔2026〕1号"]
        self.assertEqual((copy["source"], copy["publicity_class"], copy["publicity_until"],
                          copy["amount_10k_yuan"]), ("platform", "serious", "2029-04-10", "12.35"))


class Channels(RecordsCase):
    def test_deltas_list_a_record_removed_after_its_publicity_ends(self):
        first = self.dir / "p1.csv"
        self.publish("--as-of", "2027-04-10", "--channel", "web", "--delta", "--out", first)
        rows = self.read_csv(first)
        self.assertEqual({row["change"] for row in rows}, {"added"})
        self.assertEqual(len(rows), len(self.expected(datetime.date(2027, 4, 10))))
        second = self.dir / "p2.csv"
        self.publish("--as-of", "2027-04-11", "--channel", "web", "--delta", "--out", second,
                     "--manifest")
        rows = self.read_csv(second)
        self.assertEqual([(row["change"], row["record_id"]) for row in rows],
                         [("removed", "宁市监罚〔2026〕1号")])
        self.assertEqual(rows[0]["publicity_until"], "2027-04-10")
        check = subprocess.run(["sha256sum", "-c", second.name + ".sha256"], cwd=self.dir,
                               capture_output=True, text=True)
        self.assertEqual(check.returncode, 0, check.stdout + check.stderr)
        digest = hashlib.sha256(second.read_bytes()).hexdigest()
        self.assertEqual(self.scalar("SELECT sha256 FROM publications ORDER BY publication_id "
                                     "DESC LIMIT 1"), digest)
        third = self.dir / "p3.csv"
        self.publish("--as-of", "2027-04-11", "--channel", "web", "--delta", "--out", third)
        self.assertFalse(third.exists())  # an empty delta writes no file by default
        self.publish("--as-of", "2027-04-11", "--channel", "web", "--delta", "--write-empty",
                     "--out", third)
        self.assertEqual(self.read_csv(third), [])

    def test_a_channel_keeps_its_filter_and_never_mixes_records_and_lists(self):
        self.publish("--as-of", "2027-04-10", "--channel", "web", "--out", self.dir / "a.csv")
        result = self.publish("--as-of", "2027-04-10", "--channel", "web", "--lang", "zh",
                              "--out", self.dir / "b.csv", check=2)
        self.assertIn("filter", result.stderr)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", TODAY, check=0)
        result = self.run_tool("rbl-publish", "--channel", "web", "--out", self.dir / "c.csv",
                               check=2)
        self.assertIn("filter", result.stderr)
        self.assertFalse((self.dir / "b.csv").exists())


class BadInputs(RecordsCase):
    def test_options_that_are_refused(self):
        self.assertIn("publishes no records", self.publish("--domain", "courts", check=2).stderr)
        self.assertIn("unknown domain", self.publish("--domain", "nowhere", check=2).stderr)
        self.assertIn("kind 'award'", self.publish("--kind", "award", check=2).stderr)
        self.assertIn("after today", self.publish("--as-of", "2027-07-01", check=2).stderr)
        self.assertIn("--status", self.run_tool("rbl-publish", "--status", "all", "records",
                                                check=2).stderr)
        self.publish("--delta", check=2)
        self.publish("--manifest", check=2)
        self.publish("--out", self.dir / "missing/r.csv", check=2)
        self.publish("--kind", "penalty", "--domain", "market", "--out", self.dir / "ok.csv")

    def test_bad_publicity_blocks_are_rejected_with_file_line_and_column(self):
        rules = self.dir / "rules"
        shutil.copytree(RULES, rules)
        market = (rules / "market.yaml").read_text(encoding="utf-8")
        lines = market.splitlines()
        maximum = next(n for n, line in enumerate(lines, 1) if "general: { minimum: 3m" in line)
        column = lines[maximum - 1].index("1y") + 1
        (rules / "market.yaml").write_text(
            market.replace("general: { minimum: 3m, maximum: 1y }",
                           "general: { minimum: 3m, maximum: 1w }")
                  .replace("  kinds: [penalty]\n", "  kinds: [penalty]\n  colour: red\n"),
            encoding="utf-8")
        env = {"RBL_RULES": str(rules)}
        for tool, args in [("rbl-rules", ["check"]), ("rbl-publish", ["records"])]:
            result = self.run_tool(tool, *args, env=env, check=2)
            colour = next(n for n, line in enumerate(lines, 1) if line == "  kinds: [penalty]") + 1
            self.assertIn(f"market.yaml:{colour}:3: unknown key 'colour'", result.stderr)
            self.assertIn(f"market.yaml:{maximum + 1}:{column}:", result.stderr)


if __name__ == "__main__":
    rbltest.main()
