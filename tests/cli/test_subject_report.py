"""End-to-end tests of rbl-publish subject-report and verify-report (SPEC.md §10): the HTML read
back with Python's html.parser and compared with the database field by field, the PDF read with
pdftotext, masking of natural persons, "no record found" for a covered domain without records,
the register and the audit row, and verification of issued and edited files."""

import datetime
import hashlib
import html.parser
import io
import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rbltest import uscc, SOURCE_DIR, ToolTestCase  # noqa: E402

sys.path.insert(0, str(SOURCE_DIR / "bench"))
import rbl_ids  # noqa: E402

MARKET = """domain: market
title: Market
title_zh: 市场
version: "t1"
attributes:
  publicity_until: date
lists:
  - id: market.black.serious
    kind: black
    title: Serious violators
    title_zh: 严重违法失信名单
    basis: 《测试条例》第一条
    authority: 测试市场监督管理局
    criteria:
      count: { kind: penalty, within: 1y }
      at_least: 2
    validity: 2y
    procedure: { appeal_days: 5 }
"""

LABOUR = """domain: labour
title: Labour
title_zh: 劳动
version: "t1"
lists:
  - id: labour.black.arrears
    kind: black
    title: Wage arrears
    title_zh: 拖欠工资失信名单
    basis: 测试依据
    authority: 测试人社局
    criteria:
      exists: { kind: wage_arrears, within: 1y }
    validity: 1y
"""

AS_OF = "2026-11-20"
COMPANY = uscc(1)
PERSON = rbl_ids.make_resident_id("320102", datetime.date(1980, 5, 17), 123)
ROWS = [
    ["宁市监罚〔2026〕17号", COMPANY, "甲建材有限公司", "market", "penalty", "2026-09-01",
     "12350.50", "南京市市场监督管理局", "2027-09-01"],
    ["宁市监罚〔2026〕42号", COMPANY, "甲建材有限公司", "market", "penalty", "2026-10-02",
     "800", "南京市鼓楼区市场监督管理局", ""],
    ["宁市监奖〔2026〕3号", COMPANY, "甲建材有限公司", "market", "award", "2026-08-01",
     "", "南京市市场监督管理局", ""],
    ["宁市监罚〔2020〕1号", COMPANY, "甲建材有限公司", "market", "penalty", "2020-01-05",
     "100", "南京市市场监督管理局", ""],
    ["P1", PERSON, "张三", "market", "penalty", "2026-10-01", "200", "测试局", ""],
    ["P2", PERSON, "张三", "market", "penalty", "2026-10-03", "300", "测试局", ""],
]


class FieldReader(html.parser.HTMLParser):
    """Collects data-field texts: the page's own, and those of each row with a data-record,
    data-entry or data-appeal attribute; the domains' sections and the number's meta element."""

    def __init__(self):
        super().__init__()
        self.page, self.rows, self.domains, self.meta = {}, {}, {}, {}
        self.row = None
        self.field = None
        self.domain = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content")
        if "data-domain" in attrs:
            self.domain = attrs["data-domain"]
            self.domains[self.domain] = []
        for kind in ("record", "entry", "appeal"):
            if f"data-{kind}" in attrs:
                self.row = {}
                self.rows.setdefault(kind, []).append(self.row)
                if kind == "record":
                    self.domains[self.domain].append(self.row)
        if "data-field" in attrs:
            self.field = attrs["data-field"]
            (self.row if self.row is not None else self.page)[self.field] = ""

    def handle_endtag(self, tag):
        if tag in ("td", "dd", "p", "code", "span"):
            self.field = None
        if tag == "tr":
            self.row = None
        if tag == "section":
            self.domain = None

    def handle_data(self, data):
        if self.field is not None:
            target = self.row if self.row is not None else self.page
            target[self.field] += data


class SubjectReportCase(ToolTestCase):
    def setUp(self):
        super().setUp()
        self.use_rules({"market": MARKET, "labour": LABOUR})
        self.env["RBL_TODAY"] = AS_OF
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["record_id", "subject_id", "subject_name", "domain", "kind", "date",
                         "amount", "authority", "publicity_until"])
        writer.writerows(ROWS)
        self.run_tool("rbl-import", "-q", self.write("in.csv", out.getvalue()), check=0)
        self.run_tool("rbl-adjudicate", "-q", "--as-of", AS_OF, check=0)

    def issue(self, subject, name, *args, check=0):
        out = self.dir / name
        result = self.run_tool("rbl-publish", "subject-report", subject, "--out", out, "--json",
                               "-q", *args, check=check)
        return out, (json.loads(result.stdout) if check == 0 else result)

    def verify(self, path, check):
        return self.run_tool("rbl-publish", "verify-report", path, check=check)

    def read_html(self, path):
        reader = FieldReader()
        reader.feed(path.read_text(encoding="utf-8"))
        return reader


class Html(SubjectReportCase):
    def test_the_report_is_the_database_field_by_field(self):
        entry_id = self.scalar("SELECT entry_id FROM entries WHERE subject_id = ?", (COMPANY,))
        self.run_tool("rbl-appeal", "file", entry_id, "--reason", "处罚已撤销", check=0)
        path, summary = self.issue(COMPANY, "report.html", "--office", "测试信用中心")
        page = self.read_html(path)
        self.assertEqual(page.meta["rbl-report-number"], summary["number"])
        self.assertEqual(page.page["number"], summary["number"])
        self.assertEqual(page.page["office"], "测试信用中心")
        self.assertEqual(page.page["operator"], "tester")
        self.assertEqual(page.page["as_of"], AS_OF)
        self.assertEqual(page.page["period"], "2023-11-20 至 2026-11-20")
        self.assertEqual(page.page["subject_id"], COMPANY)
        self.assertEqual(page.page["subject_name"], "甲建材有限公司")
        self.assertEqual(page.page["region"], "320102")
        # Records: the period's, penalties first, each field as stored.
        stored = [row[:5] + (json.loads(row[5]).get("publicity_until"),) for row in self.sql(
            "SELECT record_id, kind, date, authority, amount_fen, attrs FROM records "
            "WHERE subject_id = ? AND date >= '2023-11-20' "
            "ORDER BY CASE WHEN kind = 'penalty' THEN 0 ELSE 1 END, kind, date", (COMPANY,))]
        shown = page.domains["market"]
        self.assertEqual([r["record_id"] for r in shown], [row[0] for row in stored])
        self.assertNotIn("宁市监罚〔2020〕1号", [r["record_id"] for r in shown])
        for row, record in zip(stored, shown):
            self.assertEqual(record["date"], row[2])
            self.assertEqual(record["authority"], row[3])
            self.assertEqual(record["amount"], f"{row[4] // 100}.{row[4] % 100:02d}" if row[4]
                             is not None else "")
            self.assertEqual(record["publicity_until"], row[5] or "")
        self.assertEqual(shown[0]["kind"], "行政处罚")
        # A covered domain without records says so.
        self.assertEqual(page.domains["labour"], [])
        self.assertIn('data-domain="labour">\n<h3>labour</h3>\n<p class="none" '
                      'data-field="no_record">未发现记录</p>', path.read_text(encoding="utf-8"))
        # Entries in force in the period, with their kept basis and authority.
        entry = self.sql("SELECT entry_id, list_title_zh, basis, authority, decided_on, "
                         "effective_from, expires_on FROM entries WHERE subject_id = ?",
                         (COMPANY,))
        self.assertEqual(len(page.rows["entry"]), len(entry))
        shown_entry = page.rows["entry"][0]
        self.assertEqual(shown_entry["list"], f"{entry[0][1]}（黑名单）")
        self.assertEqual(shown_entry["basis"], entry[0][2])
        self.assertEqual(shown_entry["authority"], entry[0][3])
        self.assertEqual(shown_entry["decided_on"], entry[0][4])
        self.assertEqual(shown_entry["effective_from"], entry[0][5])
        self.assertEqual(shown_entry["expires_on"], entry[0][6])
        # The open objection.
        self.assertEqual(page.rows["appeal"][0]["type"], "异议")
        self.assertEqual(page.rows["appeal"][0]["reason"], "处罚已撤销")
        self.assertEqual(page.rows["appeal"][0]["outcome"], "办理中")
        # Footer digest, register and audit.
        self.assertEqual(page.page["content_sha256"], summary["content_sha256"])
        registered = self.sql("SELECT number, subject_id, format, content_sha256, file_sha256, "
                              "operator FROM subject_reports")
        self.assertEqual(registered, [(summary["number"], COMPANY, "html",
                                       summary["content_sha256"],
                                       hashlib.sha256(path.read_bytes()).hexdigest(), "tester")])
        self.assertEqual(self.scalar("SELECT count(*) FROM audit_log WHERE action = "
                                     "'report.issued' AND object = ?",
                                     (f"report:{summary['number']}",)), 1)
        self.run_tool("rbl-audit", "verify", check=0)

    def test_an_issued_report_verifies_and_an_edited_one_does_not(self):
        path, summary = self.issue(COMPANY, "report.html")
        self.assertIn(summary["number"], self.verify(path, 0).stderr)
        edited = self.dir / "edited.html"
        edited.write_text(path.read_text(encoding="utf-8").replace("12350.50", "1.00"),
                          encoding="utf-8")
        result = self.verify(edited, 1)
        self.assertIn("was changed", result.stderr)
        forged = self.dir / "forged.html"
        forged.write_text(path.read_text(encoding="utf-8").replace(summary["number"],
                                                                  "XYBG-20260101-999999"),
                          encoding="utf-8")
        self.assertIn("not in this office's register", self.verify(forged, 1).stderr)
        other = self.write("other.html", "<!DOCTYPE html><p>hello</p>")
        self.assertIn("carries no report number", self.verify(other, 1).stderr)

    def test_a_natural_person_is_masked(self):
        path, _ = self.issue(PERSON, "person.html")
        page = self.read_html(path)
        self.assertEqual(page.page["subject_id"], PERSON[:6] + "*" * 8 + PERSON[-4:])
        self.assertNotIn(PERSON, path.read_text(encoding="utf-8"))
        self.assertEqual(page.page["subject_type"], "自然人")

    def test_domains_and_period_options(self):
        path, _ = self.issue(COMPANY, "labour.html", "--domain", "labour")
        page = self.read_html(path)
        self.assertEqual(list(page.domains), ["labour"])
        self.assertEqual(page.rows.get("entry", []), [])  # the market entry is not covered
        path, _ = self.issue(COMPANY, "old.html", "--from", "2020-01-01", "--to", "2020-12-31")
        self.assertEqual([r["record_id"] for r in self.read_html(path).domains["market"]],
                         ["宁市监罚〔2020〕1号"])

    def test_bad_options_are_usage_errors_and_write_nothing(self):
        for args, message in [(["--domain", "nope"], "unknown domain"),
                              (["--from", "2026-11-01", "--to", "2026-10-01"], "lies after"),
                              (["--as-of", "2026-11-21"], "after today"),
                              ]:
            _, result = self.issue(COMPANY, "bad.html", *args, check=2)
            self.assertIn(message, result.stdout + result.stderr)
        _, result = self.issue(uscc(77), "bad.html", check=2)
        self.assertIn("unknown subject", result.stdout)
        _, result = self.issue(COMPANY, "bad.txt", check=2)
        self.assertIn("FILE.html or FILE.pdf", result.stdout)
        self.assertFalse((self.dir / "bad.html").exists())
        self.assertEqual(self.scalar("SELECT count(*) FROM subject_reports"), 0)

    def test_renders_in_headless_chromium(self):
        chromium = shutil.which("chromium")
        if chromium is None:
            self.skipTest("chromium is not installed (make report-check installs it)")
        path, _ = self.issue(COMPANY, "report.html")
        shot = self.dir / "report.png"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                        f"--screenshot={shot}", "--window-size=900,1300", path.as_uri()],
                       capture_output=True, timeout=120)
        self.assertTrue(shot.exists() and shot.stat().st_size > 10000)


class Pdf(SubjectReportCase):
    def pdftotext(self, path):
        tool = shutil.which("pdftotext")
        if tool is None:
            self.skipTest("pdftotext is missing (Debian's poppler-utils; make deps installs it)")
        return subprocess.run([tool, "-layout", path, "-"], capture_output=True, text=True,
                              check=True).stdout

    def test_the_pdf_has_the_chinese_names_and_figures_and_verifies(self):
        path, summary = self.issue(COMPANY, "report.pdf")
        self.assertTrue(path.read_bytes().startswith(b"%PDF-"))
        # Table cells wrap, so compare without white space.
        text = re.sub(r"\s", "", self.pdftotext(path))
        for expected in ["公共信用信息报告", summary["number"], "甲建材有限公司", COMPANY,
                         "宁市监罚〔2026〕17号", "12350.50", "南京市市场监督管理局", "2027-09-01",
                         "严重违法失信名单", "《测试条例》第一条", "未发现记录",
                         summary["content_sha256"]]:
            self.assertIn(expected, text)
        self.assertEqual(self.scalar("SELECT format FROM subject_reports"), "pdf")
        self.assertIn(summary["number"], self.verify(path, 0).stderr)
        data = bytearray(path.read_bytes())
        middle = len(data) // 2
        data[middle] = (data[middle] + 1) % 256
        edited = self.dir / "edited.pdf"
        edited.write_bytes(bytes(data))
        self.assertIn("was changed", self.verify(edited, 1).stderr)

    def test_the_font_is_embedded(self):
        tool = shutil.which("pdffonts")
        if tool is None:
            self.skipTest("pdffonts is missing (Debian's poppler-utils; make deps installs it)")
        path, _ = self.issue(PERSON, "person.pdf")
        fonts = subprocess.run([tool, path], capture_output=True, text=True, check=True).stdout
        self.assertIn("NotoSansCJK", fonts)
        self.assertNotIn(" no ", fonts.split("\n", 2)[2])  # every font embedded
        text = self.pdftotext(path)
        self.assertIn(PERSON[:6] + "*" * 8 + PERSON[-4:], text)
        self.assertNotIn(PERSON, text)
        self.assertIn("张三", text)


if __name__ == "__main__":
    import rbltest
    rbltest.main()
