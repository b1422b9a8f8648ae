#!/usr/bin/env bash
# make demo: the whole pipeline that exists so far, on samples/, into a fresh local database.
# Usage: samples/demo.sh BIN_DIR DEMO_DIR
set -euo pipefail
bin=${1:?usage: demo.sh BIN_DIR DEMO_DIR}
out=${2:?usage: demo.sh BIN_DIR DEMO_DIR}
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=$(cd "$bin" && pwd)

mkdir -p "$out"
out=$(cd "$out" && pwd)
db="$out/rbl.db"
rm -f "$db" "$db-wal" "$db-shm"
export RBL_DB="$db" RBL_RULES="$root/rules" RBL_OPERATOR="${RBL_OPERATOR:-demo}"
# A fixed date keeps the demo's lists the same whatever day it runs (samples/README.md).
as_of=${RBL_DEMO_AS_OF:-2026-11-28}
explain_subject=91320105MAUP5XLG60  # 南京星河房地产开发有限公司, on the tax black list
near_miss_subject=91320104MAQBJ4UA12  # 南京万家福超市连锁有限公司, on no list: evaded 1.2m, but 8% of the tax due (needs 10%)

# The demo speaks the interface's language (SPEC.md §13): RBL_LANG, else the first of LC_ALL,
# LC_MESSAGES, LANG; a zh… value is Chinese. The tools choose theirs the same way.
language=${RBL_LANG:-${LC_ALL:-${LC_MESSAGES:-${LANG:-}}}}
say() { if [[ $language == zh* ]]; then printf '%s\n' "$2"; else printf '%s\n' "$1"; fi; }
step() { printf '\n== '; say "$1" "$2"; }
run() { printf '$ %s\n' "$*"; "$@"; }
# Like run, for a command that prints an id: stores it in the variable named first.
run_id() { local -n id_var=$1; shift; printf '$ %s\n' "$*"; id_var=$("$@"); echo "$id_var"; }

step "1. Import the sample records into $db" \
    "1. 把样例信用记录导入 $db"
for file in courts tax work_safety statistics public_resource customs government social_insurance; do
    run "$bin/rbl-import" "$root/samples/records/$file.csv"
done
run "$bin/rbl-import" "$root/samples/records/labour.jsonl"
run "$bin/rbl-import" --encoding gb18030 "$root/samples/records/environment_gb18030.csv"
run "$bin/rbl-import" --source market-bureau \
    --mapping "$root/samples/mappings/shuanggongshi_penalty.yaml" \
    "$root/samples/records/market_penalties_shuanggongshi.csv"

step "2. Import the same file again: nothing changes" \
    "2. 再次导入同一文件：数据不变"
run "$bin/rbl-import" "$root/samples/records/courts.csv"

step "3. A file with bad rows: the good rows load, the bad ones go to a rejects file (exit 3)" \
    "3. 含错误行的文件：正确的行导入，错误的行写入拒收文件（退出码 3）"
set +e
run "$bin/rbl-import" --rejects "$out/rejects.csv" "$root/samples/bad/bad_rows.csv"
code=$?
set -e
say "exit code: $code (3 = some rows rejected)" \
    "退出码：$code（3 = 部分行被拒收）"
say "rejects written to $out/rejects.csv:" \
    "拒收行已写入 $out/rejects.csv："
python3 - "$out/rejects.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in csv.reader(f):
        print(f"  {row[0]:>4}  {row[1]:<13} {row[2]}")
PY

step "4. Check the rules and run the tests embedded in them" \
    "4. 检查规则文件，运行其内嵌测试"
run "$bin/rbl-rules" check
run "$bin/rbl-rules" test

step "5. Adjudicate as of $as_of: who goes on which list" \
    "5. 截至 $as_of 认定：哪些主体列入哪些名单"
run "$bin/rbl-adjudicate" --as-of "$as_of"
echo
sqlite3 -header -column "$db" \
    "SELECT e.list_id, e.status, e.subject_id, s.name, e.effective_from, e.expires_on
     FROM entries e JOIN subjects s USING (subject_id)
     WHERE e.status IN ('notice', 'publicity', 'effective')
     ORDER BY e.kind, e.list_id, e.subject_id;"
say "(courts: terms count from the court's decision, 2 years plus any extension it set; a debtor" \
    "（法院：期限自法院决定之日起算，2 年另加法院决定的延长期；有履行能力而拒不履行"
say " able but refusing to perform (circumstance 1) has no fixed term - expires_on is empty -" \
    "  （情形一）的被执行人不设固定期限——到期日期为空——"
say " and stays listed until performance; 徐州鑫源's 2-year term ran out before this run: no entry)" \
    "  履行之前一直在名单上；徐州鑫源的 2 年期限在本次运行前已届满：不列入）"

step "6. Why one subject is listed: $explain_subject" \
    "6. 某主体为何列入名单：$explain_subject"
run "$bin/rbl-adjudicate" --as-of "$as_of" --explain "$explain_subject" | sed -n '1,2p;/^tax\./,/^$/p'

step "6b. Why another is not listed: the nearest miss first, each record's figures and margins" \
    "6b. 另一主体为何未列入：先列最接近的名单，逐条记录的数值与差距"
# The header, then the list it came closest to (up to the second blank line).
run "$bin/rbl-adjudicate" --as-of "$as_of" --explain "$near_miss_subject" \
    | awk '/^$/ { blank++ } blank < 2 { print }'

step "7. An objection (异议): it holds a pending entry until it is decided" \
    "7. 异议：异议处理完毕之前，待生效的条目暂停推进"
notice_entry=$(sqlite3 "$db" "SELECT min(entry_id) FROM entries
                              WHERE list_id = 'labour.black.wage_arrears' AND status = 'notice'")
run_id objection "$bin/rbl-appeal" file "$notice_entry" --by subject \
    --reason "欠薪已于告知期内全部支付，附银行回单"
run "$bin/rbl-appeal" list --open
run "$bin/rbl-appeal" decide "$objection" --outcome rejected \
    --note "支付发生在认定之后，认定事实无误；公示期顺延至异议处理之日"
run "$bin/rbl-appeal" show "$objection"

step "8. Credit repair (信用修复): refused where the rule allows none, granted where it does" \
    "8. 信用修复：规则不允许的不予受理，允许的予以修复"
no_repair=$(sqlite3 "$db" "SELECT min(entry_id) FROM entries
                           WHERE list_id = 'public_resource.black.procurement'")
set +e
run "$bin/rbl-appeal" repair "$no_repair" --reason "申请提前移出"
say "exit code: $? (2 = refused, nothing written)" \
    "退出码：$?（2 = 不予受理，未写入任何内容）"
set -e
debtor=$(sqlite3 "$db" "SELECT min(entry_id) FROM entries
                        WHERE list_id = 'courts.black.dishonest_debtor' AND status = 'effective'")
run_id repair "$bin/rbl-appeal" repair "$debtor" --reason "已履行全部义务，申请信用修复"
run "$bin/rbl-appeal" decide "$repair" --outcome upheld --note "经核实已全部履行"

step "8b. The next run is incremental: only the subjects the appeals touched are evaluated" \
    "8b. 下一次运行是增量的：只重新认定申请涉及的主体"
run "$bin/rbl-adjudicate" --as-of "$as_of"

step "9. Publish: the black list for analysts (CSV), its manifest, deltas for the website" \
    "9. 发布：供分析人员使用的黑名单（CSV）及其清单文件，网站的增量"
run "$bin/rbl-publish" --kind black --lang zh --bom --out "$out/black_list.csv" --manifest
(cd "$out" && run sha256sum -c black_list.csv.sha256)
say "first rows (natural persons' ID numbers masked):" \
    "前几行（自然人身份证号已脱敏）："
python3 - "$out/black_list.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    for row in list(csv.DictReader(f))[:5]:
        print(f"  {row['条目编号']:>3}  {row['名单编号']:<32} {row['主体标识']:<20} {row['主体名称']}")
PY
rm -f "$out"/website_*.jsonl
run "$bin/rbl-publish" --format jsonl --channel website --delta --out "$out/website_1.jsonl"
run "$bin/rbl-publish" --format jsonl --channel website --delta --out "$out/website_2.jsonl"
say "(nothing changed in between: the second delta writes no file; --write-empty would)" \
    "（其间无变化：第二次增量不写文件；加 --write-empty 则写空文件）"
ls "$out"/website_*.jsonl | sed 's/^/  /'
say "the black list as a spreadsheet: identifiers as text cells, dates as date cells, header frozen:" \
    "黑名单电子表格：标识为文本单元格，日期为日期单元格，表头冻结："
run "$bin/rbl-publish" --format xlsx --kind black --lang zh --out "$out/black_list.xlsx" --manifest
python3 - "$out/black_list.xlsx" <<'PY'
import datetime, re, sys, zipfile, xml.etree.ElementTree as ET
ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
with zipfile.ZipFile(sys.argv[1]) as book:
    sheet = ET.fromstring(book.read("xl/worksheets/sheet1.xml"))
pane = sheet.find("m:sheetViews/m:sheetView/m:pane", ns)
print(f"  frozen rows: {pane.get('ySplit')}  ({pane.get('state')})")
def show(c):
    kind = {"inlineStr": "text", "s": "text", "b": "bool"}.get(c.get("t"), "number")
    if kind == "number" and c.get("s"):
        kind = "date"
    value = "".join(t.text or "" for t in c.iter(f"{{{ns['m']}}}t")) or c.findtext("m:v", "", ns)
    if kind == "date":  # a day number of the 1900 date system, shown as the sheet shows it
        value = (datetime.date(1899, 12, 30) + datetime.timedelta(days=float(value))).isoformat()
    return f"{re.sub(r'[0-9]+', '', c.get('r'))}={value}({kind})"
for row in sheet.findall("m:sheetData/m:row", ns)[:2]:
    cells = [c for c in row.findall("m:c", ns) if re.sub(r"[0-9]+", "", c.get("r")) in
             ("A", "F", "G", "J", "K")]
    print("  " + "  ".join(show(c) for c in cells))
PY
run "$bin/rbl-publish" --by-department "$out/departments"
say "(department files are spreadsheets unless --format says otherwise)" \
    "（各部门文件默认为电子表格，可用 --format 另行指定）"
ls "$out/departments" | sed 's/^/  /'
say "departments report back the measures they applied (one row names a measure not theirs):" \
    "各部门反馈已实施的措施（其中一行填写了不属于该部门的措施）："
set +e
run "$bin/rbl-import" --feedback "$root/samples/feedback/measures_applied.csv"
say "exit code: $? (3 = some rows rejected)" \
    "退出码：$?（3 = 部分行被拒收）"
set -e
run "$bin/rbl-publish" report --out "$out/report.html"
say "a department's business system checks an applicant in real time (recorded in the lookup log):" \
    "部门业务系统实时核查申请人（记入核查日志）："
read -r subject department < <(sqlite3 -separator ' ' "$db" "SELECT subject_id,
    json_extract(terms, '$.measures[0].departments[0]') FROM entries WHERE status = 'effective'
    AND kind = 'black' AND json_extract(terms, '$.measures[0].departments[0]') IS NOT NULL
    ORDER BY entry_id LIMIT 1")
run "$bin/rbl-check" --department "$department" "$subject"
run "$bin/rbl-audit" lookups

step "9b. One subject's credit report (信用报告), in HTML and in PDF, registered and verified" \
    "9b. 一个主体的信用报告，HTML 与 PDF 两种格式，登记并验证"
run "$bin/rbl-publish" subject-report "$explain_subject" --out "$out/credit_report.html"
run "$bin/rbl-publish" subject-report "$explain_subject" --out "$out/credit_report.pdf"
run "$bin/rbl-publish" verify-report "$out/credit_report.pdf"

step "9c. The records public on $as_of (双公示): the layout's Chinese headers, 公示截止期 computed" \
    "9c. $as_of 公示中的记录（双公示）：按规范的中文表头，计算公示截止期"
run "$bin/rbl-publish" records --as-of "$as_of" --lang zh --out "$out/records_shuanggongshi.csv" \
    --manifest
python3 - "$out/records_shuanggongshi.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for row in list(csv.DictReader(f))[:5]:
        print(f"  {row['决定书文号']:<24} {row['行政相对人名称']:<16} {row['罚款金额（万元）']:>6}万元 "
              f"{row['失信程度']:<8} {row['公示截止期']}")
PY

step "9d. A record's credit repair (信用修复): applied for after its class's minimum, granted" \
    "9d. 一条记录的信用修复：满最短公示期后申请，予以修复"
# 姑市监处罚〔2026〕0019号: a general (一般) fine of 2026-01-20, public until 2027-01-20; repair may be
# asked from 2026-04-20 (three months), so on $as_of it may be granted.
repair_record="market-bureau:姑市监处罚〔2026〕0019号"
run_id repair_id "$bin/rbl-appeal" repair --record "$repair_record" --received "$as_of" \
    --reason "罚款已缴清，违法行为已整改" --commitment "信用承诺书：守法经营，如实公示"
run "$bin/rbl-appeal" decide "$repair_id" --outcome upheld --date "$as_of" \
    --note "缴款凭证与整改报告已核实"
run "$bin/rbl-appeal" show "$repair_id"
run "$bin/rbl-publish" records --as-of "$as_of" --out "$out/records_after_repair.csv"
say "(one record fewer than in 9c: its publication ended on $as_of)" \
    "（比 9c 少一条记录：其公示已于 $as_of 结束）"

step "10. The audit log: every change, hash-chained" \
    "10. 审计日志：每一项变更，以哈希链相连"
sqlite3 -header -column "$db" \
    "SELECT action, count(*) AS rows FROM audit_log GROUP BY action ORDER BY min(seq);"
run "$bin/rbl-audit" log --action appeal
run "$bin/rbl-audit" verify
echo
say "Done. The database is $db; the published files and report.html are in $out" \
    "完成。数据库为 $db；发布的文件和 report.html 在 $out"
