"""Reads back the spreadsheets rbl-publish writes (--format xlsx) with Python's standard library
only: the file is a zip of XML (Office Open XML, ECMA-376), opened with zipfile and parsed with
xml.etree. Each cell comes back with its kind as the file stores it, so that a test can tell a
text cell from a number, a date (a number with a date format) or a boolean, and see a formula if
one were ever written."""

import datetime
import re
import zipfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
# Excel's built-in number formats that are dates (ECMA-376 Part 1, 18.8.30).
BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(45, 48))
EPOCH = datetime.date(1899, 12, 30)  # day 0 of the 1900 date system, after its leap-year bug


@dataclass
class Cell:
    kind: str        # "text" (shared or inline string), "number", "date", "boolean", "formula"
    value: object    # str, float, datetime.date or bool
    raw_type: str    # the t attribute as stored ("s", "inlineStr", "n", "b", "str", ...)


@dataclass
class Sheet:
    rows: list           # row lists of Cell or None (blank), from row 1
    frozen_rows: int     # rows frozen at the top (the pane's ySplit), 0 when none
    widths: dict         # column index (0-based) -> width
    autofilter: str      # the autofilter's range, "" when none
    sheet_name: str
    xml: str             # the sheet's XML, for what the fields do not show


def column_index(ref):
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def text_of(element):
    """The text of a string item (<si> or <is>): its <t>, or its rich-text runs joined."""
    return "".join(t.text or "" for t in element.iter(f"{{{NS['m']}}}t"))


def date_styles(book):
    """The indexes of the cell formats (cellXfs) that show a date."""
    if "xl/styles.xml" not in book.namelist():
        return set()
    styles = ET.fromstring(book.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId")): f.get("formatCode")
              for f in styles.findall("m:numFmts/m:numFmt", NS)}
    dated = set()
    for index, xf in enumerate(styles.findall("m:cellXfs/m:xf", NS)):
        number_format = int(xf.get("numFmtId", "0"))
        code = custom.get(number_format, "")
        if number_format in BUILTIN_DATE_FORMATS or ("yy" in code and "d" in code):
            dated.add(index)
    return dated


def number_formats(book):
    """Cell format index -> its number format code ("" for General)."""
    styles = ET.fromstring(book.read("xl/styles.xml"))
    custom = {int(f.get("numFmtId")): f.get("formatCode")
              for f in styles.findall("m:numFmts/m:numFmt", NS)}
    return {index: custom.get(int(xf.get("numFmtId", "0")), "")
            for index, xf in enumerate(styles.findall("m:cellXfs/m:xf", NS))}


def read_sheet(path):
    """The first worksheet of the workbook at `path`."""
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None, "a damaged zip member"
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ET.fromstring(book.read("xl/sharedStrings.xml"))
            shared = [text_of(si) for si in root.findall("m:si", NS)]
        dated = date_styles(book)
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        sheet_name = workbook.find("m:sheets/m:sheet", NS).get("name")
        xml = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    root = ET.fromstring(xml)
    rows = []
    for row in root.findall("m:sheetData/m:row", NS):
        number = int(row.get("r"))
        while len(rows) < number:
            rows.append([])
        cells = rows[number - 1]
        for c in row.findall("m:c", NS):
            col = column_index(c.get("r"))
            while len(cells) <= col:
                cells.append(None)
            cells[col] = cell_of(c, shared, dated)
    pane = root.find("m:sheetViews/m:sheetView/m:pane", NS)
    frozen = 0
    if pane is not None and pane.get("state") in ("frozen", "frozenSplit"):
        frozen = int(float(pane.get("ySplit", "0")))
    widths = {}
    for col in root.findall("m:cols/m:col", NS):
        for index in range(int(col.get("min")) - 1, int(col.get("max"))):
            widths[index] = float(col.get("width"))
    autofilter = root.find("m:autoFilter", NS)
    return Sheet(rows, frozen, widths, autofilter.get("ref") if autofilter is not None else "",
                 sheet_name, xml)


def cell_of(c, shared, dated):
    t = c.get("t", "n")
    if c.find("m:f", NS) is not None:
        return Cell("formula", c.find("m:f", NS).text, t)
    v = c.find("m:v", NS)
    if t == "s":
        return Cell("text", shared[int(v.text)], t)
    if t == "inlineStr":
        return Cell("text", text_of(c.find("m:is", NS)), t)
    if t == "str":
        return Cell("text", v.text or "", t)
    if t == "b":
        return Cell("boolean", v.text == "1", t)
    if v is None:
        return None  # a styled blank
    number = float(v.text)
    if int(c.get("s", "0")) in dated:
        return Cell("date", EPOCH + datetime.timedelta(days=number), t)
    return Cell("number", number, t)


def plain(cell):
    """A cell's value as the CSV export shows it (before the formula guard): text as it is,
    dates as YYYY-MM-DD, booleans as true/false, blanks as ""."""
    if cell is None:
        return ""
    if cell.kind == "date":
        return cell.value.isoformat()
    if cell.kind == "boolean":
        return "true" if cell.value else "false"
    if cell.kind == "number":
        return f"{cell.value:g}" if cell.value != int(cell.value) else str(int(cell.value))
    return cell.value
