#!/usr/bin/env python3
"""Deterministic generator of realistic rbl credit-information records for benchmarks.

    python3 bench/gen_records.py --subjects N --records M --seed S --out FILE [--format csv|jsonl]

Writes M records about N subjects (about 80% legal persons, 15% natural persons, 5% government
bodies), all with valid identifiers (bench/rbl_ids.py) in Jiangsu (region codes 32xxxx), Chinese
names built from syllable lists, records of all ten domains with their kinds and attributes as
declared in rules/*.yaml, dates 2022-01-01..2026-10-31, amounts in yuan with 2 decimals. The same
arguments give byte-identical output (one random.Random(seed) drives everything).

Streaming: only the subject table (a few hundred bytes per subject) is held in memory; records
are written in chunks as they are made, so 10,000,000 records need no more memory than 1,000.

CSV layout: the standard columns (SPEC.md §2) followed by the UNION of every domain's attribute
columns, in the order of ATTRIBUTE_COLUMNS below; a record leaves the cells of attributes its
domain does not declare empty (an empty cell is "no value" for rbl-import). Attributes that two
domains share (rating_year, violation_type, case_no) are one column. JSON Lines: one object a
line with only the columns that have a value, the attributes in a nested "attrs" object.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rbl_ids  # noqa: E402

STANDARD_COLUMNS = ["record_id", "subject_id", "subject_name", "subject_type", "domain", "kind",
                    "date", "amount", "authority", "region", "status"]

# Attribute columns per domain, as declared in rules/DOMAIN.yaml.
DOMAIN_ATTRIBUTES = {
    "courts": ["circumstance", "case_no", "legal_rep", "obligation", "performance", "violence",
               "repeat"],
    "tax": ["violation_type", "tax_due", "evaded_ratio", "invoice_count", "rating", "score",
            "rating_year"],
    "labour": ["workers", "months_unpaid", "ordered_to_pay", "paid_on", "mass_incident",
               "deadline", "overdue"],
    "work_safety": ["role", "accident_level", "deaths", "concealed", "aggravated", "fled",
                    "violation"],
    "statistics": ["fraud_type"],
    "environment": ["grade", "rating_period"],
    "public_resource": ["violation", "project"],
    "market": ["category", "severity", "food", "violation_type", "penalty_basis",
               "penalty_content", "publicity_until", "data_source", "aggravated", "field",
               "serious_nature"],
    "customs": ["certification", "certificate_no"],
    "government": ["matter", "performed", "case_no"],
}
ATTRIBUTE_COLUMNS: list[str] = []
for _cols in DOMAIN_ATTRIBUTES.values():
    for _c in _cols:
        if _c not in ATTRIBUTE_COLUMNS:
            ATTRIBUTE_COLUMNS.append(_c)
HEADER = STANDARD_COLUMNS + ATTRIBUTE_COLUMNS
_A = {name: i for i, name in enumerate(ATTRIBUTE_COLUMNS)}
_N_ATTR = len(ATTRIBUTE_COLUMNS)

# ---------------------------------------------------------------------------------------------
# Places: (city, court code, county-level divisions (code, name))

CITIES = [
    ("南京", "苏01", [("320102", "玄武区"), ("320104", "秦淮区"), ("320105", "建邺区"),
                     ("320106", "鼓楼区"), ("320111", "浦口区"), ("320113", "栖霞区"),
                     ("320114", "雨花台区"), ("320115", "江宁区"), ("320116", "六合区"),
                     ("320117", "溧水区"), ("320118", "高淳区")]),
    ("无锡", "苏02", [("320205", "锡山区"), ("320206", "惠山区"), ("320211", "滨湖区"),
                     ("320213", "梁溪区"), ("320214", "新吴区"), ("320281", "江阴市"),
                     ("320282", "宜兴市")]),
    ("徐州", "苏03", [("320302", "鼓楼区"), ("320303", "云龙区"), ("320311", "泉山区"),
                     ("320312", "铜山区"), ("320321", "丰县"), ("320322", "沛县"),
                     ("320324", "睢宁县"), ("320381", "新沂市"), ("320382", "邳州市")]),
    ("常州", "苏04", [("320402", "天宁区"), ("320404", "钟楼区"), ("320411", "新北区"),
                     ("320412", "武进区"), ("320413", "金坛区"), ("320481", "溧阳市")]),
    ("苏州", "苏05", [("320505", "虎丘区"), ("320506", "吴中区"), ("320507", "相城区"),
                     ("320508", "姑苏区"), ("320509", "吴江区"), ("320581", "常熟市"),
                     ("320582", "张家港市"), ("320583", "昆山市"), ("320585", "太仓市")]),
    ("南通", "苏06", [("320612", "通州区"), ("320613", "崇川区"), ("320614", "海门区"),
                     ("320623", "如东县"), ("320681", "启东市"), ("320682", "如皋市"),
                     ("320685", "海安市")]),
    ("连云港", "苏07", [("320703", "连云区"), ("320706", "海州区"), ("320707", "赣榆区"),
                       ("320722", "东海县"), ("320723", "灌云县"), ("320724", "灌南县")]),
    ("淮安", "苏08", [("320803", "淮安区"), ("320804", "淮阴区"), ("320812", "清江浦区"),
                     ("320813", "洪泽区"), ("320826", "涟水县"), ("320830", "盱眙县"),
                     ("320831", "金湖县")]),
    ("盐城", "苏09", [("320902", "亭湖区"), ("320903", "盐都区"), ("320904", "大丰区"),
                     ("320921", "响水县"), ("320922", "滨海县"), ("320923", "阜宁县"),
                     ("320924", "射阳县"), ("320925", "建湖县"), ("320981", "东台市")]),
    ("扬州", "苏10", [("321002", "广陵区"), ("321003", "邗江区"), ("321012", "江都区"),
                     ("321023", "宝应县"), ("321081", "仪征市"), ("321084", "高邮市")]),
    ("镇江", "苏11", [("321102", "京口区"), ("321111", "润州区"), ("321112", "丹徒区"),
                     ("321181", "丹阳市"), ("321182", "扬中市"), ("321183", "句容市")]),
    ("泰州", "苏12", [("321202", "海陵区"), ("321203", "高港区"), ("321204", "姜堰区"),
                     ("321281", "兴化市"), ("321282", "靖江市"), ("321283", "泰兴市")]),
    ("宿迁", "苏13", [("321302", "宿城区"), ("321311", "宿豫区"), ("321322", "沭阳县"),
                     ("321323", "泗阳县"), ("321324", "泗洪县")]),
]
# Cities weighted roughly by economic size (more records from Suzhou and Nanjing).
CITY_WEIGHTS = [16, 11, 7, 8, 20, 9, 3, 4, 5, 5, 4, 4, 4]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
            "顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文")
GIVEN = ("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉萍海燕文辉波宁斌琳"
         "鹏飞浩然子轩雨婷佳怡梓涵晨曦宇航俊杰欣怡思远嘉豪诗雨博文")
BRAND = ("华泰恒通锦程顺达海润鑫源宏盛金瑞永兴嘉禾天元康宁明光远东方新中科创博凯力信德安邦"
         "利丰广益辰宇峰立苏澄锡虹茂昌隆福祥和聚鼎泓润晟昊")
INDUSTRY = ["建设工程", "精密机械", "纺织印染", "化工", "食品", "矿业", "餐饮管理", "物流",
            "农产品", "医药", "电子商务", "建筑劳务", "贸易", "电子", "钢结构", "进出口",
            "房地产开发", "半导体科技", "新材料", "船舶配件", "建材", "生态农业", "超市连锁",
            "汽车零部件", "信息技术", "环保科技", "服装", "家具", "包装材料", "光伏科技", "电缆",
            "塑料制品", "机电设备", "生物科技", "数据调查咨询", "物业管理", "装饰工程"]
COMPANY_SUFFIX = ["有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司", "集团有限公司"]
SHOP = ["小吃店", "烧腊店", "生鲜店", "便利店", "面馆", "水果店", "五金店", "汽修店"]
GOV_DEPT = ["人民政府", "住房和城乡建设局", "教育局", "交通运输局", "水务局", "财政局",
            "卫生健康委员会", "城市管理局", "农业农村局"]
STREET = ["新街口", "秣陵", "湖熟", "东山", "淳溪", "金城", "梅村", "鸿山", "周庄", "锦丰",
          "虞山", "城东", "城南", "城北", "开发区", "高新区"]


def _check_constants() -> None:
    """Names are written unquoted (CSV) and unescaped (JSON): no list may hold , " \\ or line
    breaks."""
    texts = [SURNAMES, GIVEN, BRAND, *INDUSTRY, *COMPANY_SUFFIX, *SHOP, *GOV_DEPT, *STREET]
    for city, court, districts in CITIES:
        texts += [city, court] + [name for _, name in districts]
    for t in texts:
        if set(',"\\\r\n').intersection(t):
            raise AssertionError(f"name part needs quoting: {t!r}")


def _pick_weighted(rng: random.Random, items, weights):
    return rng.choices(items, weights=weights)[0]


# ---------------------------------------------------------------------------------------------
# Subjects

class Subjects:
    """The subject table: parallel lists, index = subject number."""

    def __init__(self, count: int, rng: random.Random):
        self.ids: list[str] = []
        self.names: list[str] = []
        self.types: list[str] = []   # "L", "N", "G"
        self.city: list[int] = []    # index into CITIES
        seen: set[str] = set()
        alphabet = rbl_ids.USCC_ALPHABET
        weights = rbl_ids.USCC_WEIGHTS
        value = {c: i for i, c in enumerate(alphabet)}
        rnd = rng.random
        n_brand = len(BRAND)
        while len(self.ids) < count:
            c = _pick_weighted(rng, range(len(CITIES)), CITY_WEIGHTS)
            city, _court, districts = CITIES[c]
            region, district = districts[int(rnd() * len(districts))]
            r = rnd()
            if r < 0.80:
                kind = "L"
                if rnd() < 0.9:
                    prefix = "91"
                    r2 = rnd()
                    if r2 < 0.45:
                        place = city + "市"
                    elif r2 < 0.7:
                        place = "江苏"
                    elif district[-1] in "市县":  # county-level cities and counties
                        place = district
                    else:
                        place = city
                    name = place + BRAND[int(rnd() * n_brand)] + BRAND[int(rnd() * n_brand)] \
                        + INDUSTRY[int(rnd() * len(INDUSTRY))] \
                        + COMPANY_SUFFIX[int(rnd() * len(COMPANY_SUFFIX))]
                else:  # individual business (个体工商户)
                    prefix = "92"
                    name = city + "市" + district + SURNAMES[int(rnd() * len(SURNAMES))] \
                        + GIVEN[int(rnd() * len(GIVEN))] + SHOP[int(rnd() * len(SHOP))]
                body = "MA" + "".join(alphabet[int(rnd() * 31)] for _ in range(6))
            elif r < 0.95:
                kind = "N"
                birth = dt.date.fromordinal(_BIRTH_START + int(rnd() * _BIRTH_SPAN))
                sid = rbl_ids.make_resident_id(region, birth, int(rnd() * 1000))
                if sid in seen:
                    continue
                seen.add(sid)
                name = SURNAMES[int(rnd() * len(SURNAMES))] + GIVEN[int(rnd() * len(GIVEN))] \
                    + (GIVEN[int(rnd() * len(GIVEN))] if rnd() < 0.7 else "")
                self._add(sid, name, kind, c)
                continue
            else:
                kind = "G"
                prefix = "11"
                if rnd() < 0.3:
                    name = city + "市" + district + STREET[int(rnd() * len(STREET))] + "街道办事处"
                else:
                    name = city + "市" + district + GOV_DEPT[int(rnd() * len(GOV_DEPT))]
                body = "".join(str(int(rnd() * 10)) for _ in range(8))
            oc = rbl_ids.org_code_check_char(body)
            first17 = prefix + region + body + oc
            total = 0
            for ch, w in zip(first17, weights):
                total += value[ch] * w
            sid = first17 + alphabet[(31 - total % 31) % 31]
            if sid in seen:
                continue
            # An all-digit organ code could read as a resident ID (see rbl_ids.make_uscc).
            if kind == "G" and rbl_ids.validate(sid)[0] != "uscc":
                continue
            seen.add(sid)
            self._add(sid, name, kind, c)

    def _add(self, sid, name, kind, c):
        self.ids.append(sid)
        self.names.append(name)
        self.types.append(kind)
        self.city.append(c)


_BIRTH_START = dt.date(1955, 1, 1).toordinal()
_BIRTH_SPAN = dt.date(2002, 12, 31).toordinal() - _BIRTH_START + 1

# ---------------------------------------------------------------------------------------------
# Records

_DATE0 = dt.date(2022, 1, 1)
DATES = [(_DATE0 + dt.timedelta(days=i)).isoformat()
         for i in range((dt.date(2026, 10, 31) - _DATE0).days + 1)]
_N_DATES = len(DATES)

SUBJECT_TYPE_NAME = {"L": "legal_person", "N": "natural_person", "G": "government"}

# Domains a subject of each type has records in, with weights.
DOMAINS_BY_TYPE = {
    "L": (["market", "tax", "courts", "labour", "environment", "work_safety", "statistics",
           "public_resource", "customs"], [30, 22, 12, 8, 9, 5, 4, 6, 4]),
    "N": (["courts", "labour"], [65, 35]),
    "G": (["government", "courts"], [60, 40]),
}


def _cumulative(weights):
    total = float(sum(weights))
    out, acc = [], 0.0
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0
    return out


DOMAINS = list(DOMAIN_ATTRIBUTES)

AUTHORITY_PATTERN = {
    "courts": "{city}市中级人民法院",
    "tax": "国家税务总局{city}市税务局",
    "labour": "{city}市人力资源和社会保障局",
    "work_safety": "{city}市应急管理局",
    "statistics": "{city}市统计局",
    "environment": "{city}市生态环境局",
    "public_resource": "{city}市住房和城乡建设局",
    "market": "{city}市市场监督管理局",
    "customs": "南京海关",
    "government": "{city}市发展和改革委员会",
}
AUTHORITY = {d: [p.format(city=c[0]) for c in CITIES] for d, p in AUTHORITY_PATTERN.items()}
CITY_REGION = [c[2][0][0][:4] + "00" for c in CITIES]
CITY_ABBR = ["宁", "锡", "徐", "常", "苏", "通", "连", "淮", "盐", "扬", "镇", "泰", "宿"]

CIRCUMSTANCES = ["refuse_perform"] * 6 + ["obstruct", "evade", "evade", "asset_report",
                                          "asset_report", "consumption_ban", "refuse_settlement"]
OBLIGATIONS = ["支付货款", "支付工程款", "偿还借款", "支付租金", "支付赔偿款", "返还购房款",
               "支付劳动报酬", "支付违约金"]
TAX_VIOLATIONS = ["evasion"] * 5 + ["withheld_unpaid", "arrears_evasion", "arrears_evasion",
                                    "false_general_invoice", "false_general_invoice",
                                    "export_rebate_fraud", "violent_resistance",
                                    "false_vat_invoice", "false_vat_invoice"]
RATINGS = ["A", "A", "B", "B", "B", "B", "M", "C", "D"]
RATING_SCORE = {"A": (90, 10), "B": (70, 20), "M": (70, 20), "C": (40, 30), "D": (0, 40)}
ACCIDENT_LEVELS = ["general"] * 40 + ["larger"] * 8 + ["major"] * 2 + ["very_serious"]
ACCIDENT_DEATHS = {"general": (0, 3), "larger": (3, 7), "major": (10, 20), "very_serious": (30, 20)}
FRAUD_TYPES = ["false_report", "concealment", "fabrication", "alteration", "refusal",
               "late_report", "late_report", "late_report"]
GRADES = ["green", "green", "blue", "blue", "blue", "blue", "yellow", "yellow", "red", "black"]
WS_VIOLATIONS = ["unlicensed", "refused_execution", "other_serious"]
PR_VIOLATIONS = ["evade_tender", "split_project", "bid_rigging", "bid_rigging", "other", "other"]
PROJECT_KIND = ["道路工程", "学校建设项目", "污水处理工程", "河道整治工程", "安置房建设项目",
                "医院改扩建工程", "智慧城市信息化项目", "绿化养护项目"]
MARKET = [  # category, severity weight, food, violation_type, basis, content
    ("fine", "general", "true", "生产经营超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条", "罚款"),
    ("fine", "general", "true", "未取得食品经营许可从事食品经营活动", "《中华人民共和国食品安全法》第一百二十二条", "没收违法所得并罚款"),
    ("warning", "general", "true", "餐饮服务提供者未按规定清洗消毒餐具", "《中华人民共和国食品安全法》第一百二十六条", "警告"),
    ("fine", "serious", "true", "销售不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条", "罚款"),
    ("confiscation", "general", "false", "销售侵犯注册商标专用权的商品", "《中华人民共和国商标法》第六十条", "没收侵权商品并罚款"),
    ("fine", "general", "false", "虚假广告", "《中华人民共和国广告法》第五十五条", "责令停止发布广告并罚款"),
    ("fine", "general", "false", "价格欺诈", "《中华人民共和国价格法》第四十条", "罚款"),
    ("warning", "general", "false", "未按规定报送年度报告", "《中华人民共和国市场主体登记管理条例》第四十六条", "警告"),
    ("fine", "serious", "false", "生产不符合保障人体健康标准的产品", "《中华人民共和国产品质量法》第四十九条", "没收违法产品并罚款"),
    ("revoke_license", "serious", "true", "生产经营营养成分不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条", "吊销食品生产许可证"),
]
MARKET_WEIGHTS = _cumulative([20, 12, 14, 6, 8, 8, 8, 14, 5, 1])
GOV_MATTERS = ["court_judgment", "court_judgment", "procurement", "ppp", "debt", "debt"]


# Speed: rbl's import benchmark needs millions of rows, and CPython manages only a few hundred
# thousand simple operations per millisecond. So the attributes of a record are not drawn anew for
# every row: for each (domain, date) the first record that needs them draws VARIANTS sets of
# attributes (kind, attribute cells, 16 amounts), already joined as CSV or JSON text, and later
# records on that domain and date pick one of them. Per row only the subject, domain, date,
# variant, amount, record_id, subject_type and status are drawn; amounts come from pools of
# POOL_SIZE precomputed values per distribution (times workers x months for wages). Across 1,765
# dates this still gives ~7,000 attribute combinations per domain, with the distributions below,
# and every date-dependent attribute (rating_year, paid_on, publicity_until, ...) agrees with its
# record's date.
VARIANTS = 4
POOL_SIZE = 4096
_amount_pools: dict = {}


def _pool(rnd, shape: str, low_yuan: int, high_yuan: int) -> list[int]:
    """POOL_SIZE amounts in fen, log-uniform ("log") or uniform ("lin") between low and high."""
    key = (shape, low_yuan, high_yuan)
    pool = _amount_pools.get(key)
    if pool is None:
        lo, hi = low_yuan * 100, high_yuan * 100
        if shape == "log":
            pool = [int(lo * (hi / lo) ** rnd()) for _ in range(POOL_SIZE)]
        else:
            pool = [lo + int(rnd() * (hi - lo)) for _ in range(POOL_SIZE)]
        _amount_pools[key] = pool
    return pool


def _amount_pools_pick(rnd, shape: str, low_yuan: int, high_yuan: int) -> int:
    pool = _pool(rnd, shape, low_yuan, high_yuan)
    return pool[int(rnd() * len(pool))]


def _make_variant(domain: str, date: str, is_person: bool, rnd):
    """One attribute set for a record of `domain` on `date`: (kind, record_id format, amount
    (pool, multiplier) or None, attribute cells). The record_id format takes (city abbreviation, court code, year, sequence
    number, city region code)."""
    A = _A
    attrs = [""] * _N_ATTR
    year = date[:4]
    amounts = None  # (pool of fen, multiplier), or None: no amount

    if domain == "market":
        kind = "penalty"
        r = rnd()
        mi = 0
        while MARKET_WEIGHTS[mi] < r:
            mi += 1
        cat, sev, food, vt, basis, content = MARKET[mi]
        if cat != "warning":
            amounts = (_pool(rnd, "log", 500, 2000000), 1)
        attrs[A["category"]] = cat
        attrs[A["severity"]] = sev
        attrs[A["food"]] = food
        attrs[A["violation_type"]] = vt
        attrs[A["penalty_basis"]] = basis
        attrs[A["penalty_content"]] = content
        attrs[A["publicity_until"]] = _add_years(date, 3 if sev == "serious" else 1)
        if sev == "serious":  # Order 44: a field of Arts 5-10 and the department's finding
            attrs[A["field"]] = "food" if food == "true" else "quality"
            attrs[A["serious_nature"]] = "true"
            if cat == "fine":
                attrs[A["aggravated"]] = "true"
        attrs[A["data_source"]] = "{5}"  # the market bureau of the record's city, filled per row
        rid = "{0}市监处罚〔{2}〕{3}号"
    elif domain == "tax":
        if rnd() < 0.4:
            kind = "tax_violation"
            vt = TAX_VIOLATIONS[int(rnd() * len(TAX_VIOLATIONS))]
            attrs[A["violation_type"]] = vt
            if vt != "violent_resistance":
                amounts = (_pool(rnd, "log", 50000, 2000000000), 1)
                if vt == "evasion":
                    # one amount, so that amount / tax_due = evaded_ratio
                    fen = _amount_pools_pick(rnd, "log", 50000, 2000000000)
                    ratio = round(0.02 + rnd() * 0.4, 4)
                    amounts = ([fen], 1)
                    attrs[A["tax_due"]] = f"{round(fen / ratio) / 100:.2f}"
                    attrs[A["evaded_ratio"]] = f"{ratio:.4f}"
                elif vt in ("false_general_invoice", "false_vat_invoice"):
                    attrs[A["invoice_count"]] = str(1 + int(rnd() * rnd() * 400))
            rid = "{0}税稽罚〔{2}〕{3}号"
        else:
            kind = "rating"
            rating = RATINGS[int(rnd() * len(RATINGS))]
            base, span = RATING_SCORE[rating]
            attrs[A["rating"]] = rating
            attrs[A["score"]] = f"{base + rnd() * span:.1f}"
            attrs[A["rating_year"]] = str(int(year) - 1)
            rid = "NSXY-" + str(int(year) - 1) + "-{3:010d}"
    elif domain == "courts":
        if rnd() < 0.95:
            kind = "court_default"
            amounts = (_pool(rnd, "log", 2000, 50000000), 1)
            attrs[A["circumstance"]] = CIRCUMSTANCES[int(rnd() * len(CIRCUMSTANCES))]
            attrs[A["performance"]] = "partial" if rnd() < 0.2 else "none"
            attrs[A["violence"]] = "true" if rnd() < 0.03 else "false"
            attrs[A["repeat"]] = "true" if rnd() < 0.1 else "false"
            attrs[A["obligation"]] = OBLIGATIONS[int(rnd() * len(OBLIGATIONS))] + "及利息" \
                if rnd() < 0.3 else OBLIGATIONS[int(rnd() * len(OBLIGATIONS))]
            rid = "({2}){1}执{3}号之一"
        else:
            kind = "performed"
            rid = "({2}){1}执{3}号结"
        attrs[A["case_no"]] = "({2}){1}执{3}号"
        if not is_person:
            attrs[A["legal_rep"]] = SURNAMES[int(rnd() * len(SURNAMES))] \
                + GIVEN[int(rnd() * len(GIVEN))] + GIVEN[int(rnd() * len(GIVEN))]
    elif domain == "labour":
        kind = "wage_arrears"
        workers = 1 + int(rnd() * rnd() * 60)
        months = 1 + int(rnd() * 6)
        amounts = (_pool(rnd, "lin", 3000, 8000), workers * months)  # a month's wage per worker
        attrs[A["workers"]] = str(workers)
        attrs[A["months_unpaid"]] = str(months)
        attrs[A["ordered_to_pay"]] = "true" if rnd() < 0.8 else "false"
        # The order's deadline, 15 days on: a payment 10 to 15 days after the order is in time.
        attrs[A["deadline"]] = (dt.date.fromisoformat(date) + dt.timedelta(days=15)).isoformat()
        if rnd() < 0.4:
            paid = dt.date.fromisoformat(date) + dt.timedelta(days=10 + int(rnd() * 120))
            attrs[A["paid_on"]] = paid.isoformat()
        # Found overdue (逾期未支付) when ordered and not paid by the deadline.
        paid_on = attrs[A["paid_on"]]
        if attrs[A["ordered_to_pay"]] == "true" and (not paid_on or paid_on > attrs[A["deadline"]]):
            attrs[A["overdue"]] = "true"
        attrs[A["mass_incident"]] = "true" if rnd() < 0.05 else "false"
        rid = "{0}人社监令〔{2}〕{3}号"
    elif domain == "work_safety":
        # A penalty decision of an emergency management bureau (应急管理部令第11号 Arts 6-7):
        # most for an accident, some for a violation without one; a few against a safety
        # assessment body.
        kind = "penalty"
        if rnd() < 0.05:
            attrs[A["role"]] = "institution"
            attrs[A["violation"]] = "false_report" if rnd() < 0.3 else ""
        elif rnd() < 0.2:
            attrs[A["role"]] = "unit"
            attrs[A["violation"]] = WS_VIOLATIONS[int(rnd() * len(WS_VIOLATIONS))] \
                if rnd() < 0.2 else ""
        else:
            attrs[A["role"]] = "unit"
            level = ACCIDENT_LEVELS[int(rnd() * len(ACCIDENT_LEVELS))]
            lo, span = ACCIDENT_DEATHS[level]
            attrs[A["accident_level"]] = level
            attrs[A["deaths"]] = str(lo + int(rnd() * span))
            attrs[A["concealed"]] = "true" if rnd() < 0.04 else "false"
            attrs[A["aggravated"]] = "true" if rnd() < 0.01 else "false"
        amounts = (_pool(rnd, "log", 20000, 20000000), 1)
        rid = "{0}应急罚〔{2}〕{3}号"
    elif domain == "statistics":
        kind = "penalty"
        attrs[A["fraud_type"]] = FRAUD_TYPES[int(rnd() * len(FRAUD_TYPES))]
        if rnd() < 0.8:
            amounts = (_pool(rnd, "lin", 10000, 200000), 1)
        rid = "{0}统罚决字〔{2}〕{3}号"
    elif domain == "environment":
        kind = "rating"
        # A half-yearly result (江苏省企事业环保信用评价办法): the half-year before the date.
        attrs[A["grade"]] = GRADES[int(rnd() * len(GRADES))]
        period = f"{int(year) - 1}H2" if int(date[5:7]) <= 6 else f"{year}H1"
        attrs[A["rating_period"]] = period
        rid = "HBXY-" + period + "-{4}-{3:09d}"
    elif domain == "public_resource":
        kind = "penalty"
        attrs[A["violation"]] = PR_VIOLATIONS[int(rnd() * len(PR_VIOLATIONS))]
        attrs[A["project"]] = "{6}" + PROJECT_KIND[int(rnd() * len(PROJECT_KIND))]
        amounts = (_pool(rnd, "log", 10000, 1000000), 1)
        rid = "{0}建罚〔{2}〕{3}号"
    elif domain == "customs":
        kind = "certification"
        advanced = rnd() < 0.6
        attrs[A["certification"]] = "advanced" if advanced else "general"
        if advanced:
            attrs[A["certificate_no"]] = "AEOCN{4}{3:08d}"
        rid = "AEOCN{4}{3:08d}"
    else:  # government
        kind = "breach"
        matter = GOV_MATTERS[int(rnd() * len(GOV_MATTERS))]
        attrs[A["matter"]] = matter
        attrs[A["performed"]] = "true" if rnd() < 0.3 else "false"
        amounts = (_pool(rnd, "log", 50000, 100000000), 1)
        if matter == "court_judgment":
            attrs[A["case_no"]] = "({2}){1}执{3}号"
        rid = "ZWSX-{4}-{2}-{3:09d}"
    return kind, rid, amounts, attrs


def _add_years(iso: str, years: int) -> str:
    """iso + years, with Feb 29 going to Feb 28."""
    y = int(iso[:4]) + years
    md = iso[4:]
    if md == "-02-29":
        md = "-02-28"
    return f"{y}{md}"


_BOOL_ATTRS = {"violence", "repeat", "ordered_to_pay", "mass_incident", "concealed", "aggravated",
               "fled", "food", "performed", "serious_nature", "overdue"}
_NUMBER_ATTRS = {"tax_due", "evaded_ratio", "invoice_count", "score", "rating_year", "workers",
                 "months_unpaid", "deaths"}


def _json_attr(name: str, text: str) -> str:
    """JSON Lines carry booleans as true/false and numbers as JSON numbers (their text is
    exact, e.g. 0.1894); money (amount) stays a string."""
    if name in _BOOL_ATTRS:
        return text
    if name in _NUMBER_ATTRS:
        return text
    return json.dumps(text, ensure_ascii=False)


# Text placed in output without quoting must not hold these (see _check_plain).
_SPECIAL = set(',"\\\r\n')


def _check_plain(*texts: str) -> None:
    for t in texts:
        if _SPECIAL.intersection(t):
            raise AssertionError(f"generated text needs quoting: {t!r}")


class _Line:
    """How one output format writes a record: the part after the standard columns (tail) and the
    whole line."""

    def __init__(self, fmt: str):
        self.fmt = fmt

    def tail(self, attrs: list[str], templated: bool) -> str:
        """The text after the standard columns. When `templated`, attribute values hold
        str.format placeholders ({1}..{6}) filled per row, so literal braces are doubled."""
        if self.fmt == "csv":
            return "," + ",".join(attrs)
        items = [f'"{n}":{_json_attr(n, v)}' for n, v in zip(ATTRIBUTE_COLUMNS, attrs) if v]
        if not items:
            return "}}" if templated else "}"
        open_, close = (',"attrs":{{', "}}}}") if templated else (',"attrs":{', "}}")
        return open_ + ",".join(items) + close


def generate(subjects: Subjects, count: int, rng: random.Random, out, fmt: str = "csv",
             chunk: int = 20000) -> None:
    """Writes `count` records as lines of `fmt` (csv or jsonl, no header) to the text stream
    `out`, in chunks of `chunk` lines."""
    # The loop below is the hot path: tables instead of searches, locals instead of globals.
    rnd = rng.random
    line = _Line(fmt)
    n_subj = len(subjects.ids)
    ids, names, types, cities = subjects.ids, subjects.names, subjects.types, subjects.city
    domains = DOMAINS
    n_dates = _N_DATES
    dates, years = DATES, [d[:4] for d in DATES]
    # 1024 slots per subject type, filled with domain indexes in proportion to the weights.
    dom_table = {}
    for t, (names_d, weights) in DOMAINS_BY_TYPE.items():
        total = sum(weights)
        slots = []
        for name, w in zip(names_d, weights):
            slots += [domains.index(name)] * round(1024 * w / total)
        dom_table[t] = (slots + slots[-1:] * 1024)[:1024]
    # Variants of (domain, natural person?, date), made when first needed.
    variants: list = [None] * (len(domains) * 2 * n_dates)
    city_info = [(CITY_ABBR[i], c[1], CITY_REGION[i]) for i, c in enumerate(CITIES)]
    market_auth = AUTHORITY["market"]
    city_names = [c[0] + "市" for c in CITIES]
    csv_out = fmt == "csv"
    if csv_out:
        auth_region = [[f"{AUTHORITY[dom][c]},{CITY_REGION[c]}," for c in range(len(CITIES))]
                       for dom in domains]
    else:
        auth_region = [[f'"authority":"{AUTHORITY[dom][c]}","region":"{CITY_REGION[c]}"'
                        for c in range(len(CITIES))] for dom in domains]
    stype_csv = {t: (n + ",") for t, n in SUBJECT_TYPE_NAME.items()}
    stype_json = {t: f'"subject_type":"{n}",' for t, n in SUBJECT_TYPE_NAME.items()}
    n_var = VARIANTS
    buf = []
    append = buf.append
    for seq in range(1, count + 1):
        # Skewed: a few subjects carry many records, most carry one or two.
        s = int(n_subj * rnd() * rnd())
        t = types[s]
        di = dom_table[t][int(rnd() * 1024)]
        d = int(rnd() * n_dates)
        vi = (di * 2 + (t == "N")) * n_dates + d  # a person's court records have no legal_rep
        vs = variants[vi]
        if vs is None:
            vs = []
            domain = domains[di]
            for _ in range(n_var):
                kind, rid_fmt, amounts, attrs = _make_variant(domain, dates[d], t == "N", rnd)
                _check_plain(rid_fmt, *(a for a in attrs if a))
                # Attribute text may hold placeholders ({5}: the city's market bureau, ...).
                templated = any("{" in a for a in attrs)
                if csv_out:
                    head = f"{domain},{kind},{dates[d]},"
                else:
                    head = f'"domain":"{domain}","kind":"{kind}","date":"{dates[d]}",'
                vs.append((head, rid_fmt, amounts, line.tail(attrs, templated), templated))
            variants[vi] = vs
        head, rid_fmt, amounts, tail, templated = vs[int(rnd() * n_var)]
        c = cities[s]
        abbr, court, cregion = city_info[c]
        rid = rid_fmt.format(abbr, court, years[d], seq, cregion)
        if amounts is None:
            amount = ""
        else:
            pool = amounts[0]
            fen = pool[int(rnd() * len(pool))] * amounts[1]
            amount = f"{fen // 100}.{fen % 100:02d}"
        if templated:
            tail = tail.format(abbr, court, years[d], seq, cregion, market_auth[c], city_names[c])
        with_type = rnd() < 0.3
        withdrawn = rnd() < 0.02
        if csv_out:
            append(f"{rid},{ids[s]},{names[s]},{stype_csv[t] if with_type else ','}{head}"
                   f"{amount},{auth_region[di][c]}{'withdrawn' if withdrawn else ''}{tail}\n")
        else:
            amount_json = f'"amount":"{amount}",' if amount else ""
            status_json = ',"status":"withdrawn"' if withdrawn else ""
            append(f'{{"record_id":"{rid}","subject_id":"{ids[s]}","subject_name":"{names[s]}",'
                   f'{stype_json[t] if with_type else ""}{head}{amount_json}{auth_region[di][c]}'
                   f'{status_json}{tail}\n')
        if len(buf) >= chunk:
            out.write("".join(buf))
            buf.clear()
    if buf:
        out.write("".join(buf))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--subjects", type=int, required=True, help="number of distinct subjects")
    ap.add_argument("--records", type=int, required=True, help="number of records to write")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", required=True, help="output file, '-' for stdout")
    ap.add_argument("--format", choices=["csv", "jsonl"],
                    help="default: jsonl when --out ends in .jsonl, else csv")
    ap.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    args = ap.parse_args(argv)
    if args.subjects < 1 or args.records < 0:
        ap.error("--subjects must be >= 1 and --records >= 0")
    fmt = args.format or ("jsonl" if args.out.endswith(".jsonl") else "csv")

    _check_constants()
    started = time.monotonic()
    rng = random.Random(args.seed)
    subjects = Subjects(args.subjects, rng)
    t_subjects = time.monotonic() - started

    out = sys.stdout if args.out == "-" else open(args.out, "w", encoding="utf-8", newline="",
                                                  buffering=1 << 20)
    try:
        if fmt == "csv":
            out.write(",".join(HEADER) + "\n")
        generate(subjects, args.records, rng, out, fmt)
    finally:
        if out is not sys.stdout:
            out.close()
    elapsed = time.monotonic() - started
    if not args.quiet:
        rate = args.records / max(elapsed - t_subjects, 1e-9)
        print(f"gen_records: {args.records} records over {args.subjects} subjects -> {args.out} "
              f"({fmt}) in {elapsed:.1f}s (subjects {t_subjects:.1f}s, {rate:,.0f} records/s)",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
