"""The message catalog is complete (SPEC.md §13, issue 20). A source check (tests/lint), run by
`make test`.

1. Every message marked in apps/ and lib/ (tr, trf, trn, trnf; extracted by GNU xgettext as
   `make po` does) has a Chinese translation in po/zh_CN.po, and the catalog holds no message
   the sources no longer mark.
2. Each translation fills the same placeholders as its English ({} or {0}, with the same format
   specifications), so that fmt never fails on a translation.
3. No user-visible string is left unmarked: the places that show text to a person — exceptions
   the tools report, the reporter's info and warnings, Result failures, CLI11 descriptions,
   footers and flags, printing in apps/ — must take a marked message. A line that deliberately
   shows untranslated text (data, a file format, an identifier) carries the comment
   `// untranslated: WHY` on it or on the line above.
   The messages not yet marked when this check came in are listed in
   tests/lint/unmarked_messages.txt (file, place, and the start of the statement): a message
   not on that list fails the check, and so does a listed one that is now marked (take it off),
   so the list only shrinks until it is empty.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from collections import Counter
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[2]
CATALOG = SOURCE_DIR / "po" / "zh_CN.po"
UNMARKED_LIST = Path(__file__).resolve().parent / "unmarked_messages.txt"
KEYWORDS = ["tr", "tr_later", "trf", "trn:1,2", "trnf:1,2"]


def sources():
    return sorted(p for folder in ("apps", "lib") for p in (SOURCE_DIR / folder).rglob("*")
                  if p.suffix in (".cpp", ".hpp"))


def unquote(parts):
    """The text of a .po string given as its quoted lines."""
    text = "".join(parts)
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            out.append(escapes.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def read_po(path):
    """{msgid: [msgstr...]} of a .po file (plural entries keyed by their singular), without the
    header and without obsolete entries."""
    entries = []
    current, field = None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("#~"):
            continue
        match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$', line)
        if match:
            if match.group(1) == "msgid":
                if current is not None:
                    entries.append(current)
                current = {"msgid": [], "msgid_plural": [], "msgstr": []}
            field = "msgstr" if match.group(1).startswith("msgstr") else match.group(1)
            if field == "msgstr":
                current["msgstr"].append([match.group(2)])
            else:
                current[field].append(match.group(2))
        elif line.startswith('"') and current is not None and field is not None:
            if field == "msgstr":
                current["msgstr"][-1].append(line[1:-1])
            else:
                current[field].append(line[1:-1])
    if current is not None:
        entries.append(current)
    result = {}
    for entry in entries:
        msgid = unquote(entry["msgid"])
        if msgid:
            result[msgid] = [unquote(parts) for parts in entry["msgstr"]]
    return result


PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


def placeholders(text):
    """The placeholders of an fmt format string as {index: spec}, automatic indices numbered in
    order; None when the string is not a format string (no braces)."""
    found, automatic = {}, 0
    for match in PLACEHOLDER.finditer(text):
        if match.group(0) in ("{{", "}}"):
            continue
        field = match.group(1)
        name, _, spec = field.partition(":")
        if name == "":
            index = automatic
            automatic += 1
        else:
            index = int(name) if name.isdigit() else name
        found[index] = spec
    return found


def write_pot(pot):
    """Extracts the marked messages of apps/ and lib/ into the template POT with GNU xgettext:
    the one place that names the marking functions (`make po` calls it too)."""
    command = ["xgettext", "--from-code=UTF-8", "--language=C++", "--keyword=",
               *[f"--keyword={k}" for k in KEYWORDS], "--add-comments=TRANSLATORS:",
               "--sort-by-file", "--package-name=rbl", "--msgid-bugs-address=rbl", "--no-wrap",
               "-o", str(pot), *[str(p.relative_to(SOURCE_DIR)) for p in sources()]]
    # A UTF-8 locale, whatever the caller's: messages may hold Chinese (an example's text).
    env = dict(os.environ, LC_ALL="C.UTF-8")
    subprocess.run(command, check=True, cwd=SOURCE_DIR, env=env)


def extract_marked():
    """The messages xgettext finds marked in the sources: {msgid: "file:line"}."""
    with tempfile.TemporaryDirectory() as folder:
        pot = Path(folder) / "rbl.pot"
        write_pot(pot)
        if not pot.exists():
            return {}
        # Each message's first place: the first "#: " line of its entry.
        marked = {}
        for entry in pot.read_text(encoding="utf-8").split("\n\n"):
            lines = entry.splitlines()
            places = [line[3:].split()[0] for line in lines if line.startswith("#: ")]
            msgid, reading = [], False
            for line in lines:
                if line.startswith("msgid "):
                    msgid, reading = [line[6:].strip()[1:-1]], True
                elif reading and line.startswith('"'):
                    msgid.append(line.strip()[1:-1])
                else:
                    reading = False
            if places and msgid:
                marked[unquote(msgid)] = places[0]
        return marked


def strip_comments_keep_marks(text):
    """The text with /* */ comments blanked (line breaks kept); // comments are kept, since
    `// untranslated:` marks are read from them."""
    return re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)


LITERAL = r'(?:u8)?"(?:[^"\\\n]|\\.)*"'
# Places that show text to a person, and the forms of an unmarked message there.
UNMARKED = [
    ("an exception the tools report",
     re.compile(r"throw\s+(?:rbl::)?(?:UsageError|FailedError|BusyError|Error)\s*\(\s*"
                rf"(?:fmt::format\s*\(|std::string\s*\(\s*{LITERAL}|{LITERAL})")),
    ("the reporter's info or warning",
     re.compile(r"\b\w*[Rr]eporter\w*\s*(?:\.|->)\s*(?:info|warning|progress)\s*\(\s*"
                rf"(?:fmt::format\s*\(|{LITERAL})")),
    ("a Result's failure",
     re.compile(rf"\b(?:rbl::)?fail\s*\(\s*(?:fmt::format\s*\(|std::string\s*\(\s*{LITERAL}|{LITERAL})")),
    ("a CLI11 app's description", re.compile(rf"CLI::App\s+\w+\s*\{{\s*{LITERAL}")),
    ("a CLI11 footer or description",
     re.compile(rf"(?:\.|->)\s*(?:footer|description)\s*\(\s*{LITERAL}")),
    ("a CLI11 subcommand's description",
     re.compile(rf"add_subcommand\s*\(\s*{LITERAL}\s*,\s*{LITERAL}")),
    ("a CLI11 option's description",
     re.compile(rf"add_(?:option|flag)\s*\(\s*{LITERAL}\s*,\s*[^;\"]*?,\s*{LITERAL}\s*\)")),
    ("a CLI11 flag's description",
     re.compile(rf"add_flag\s*\(\s*{LITERAL}\s*,\s*{LITERAL}\s*\)")),
    ("a version flag without its description",
     re.compile(r"set_version_flag\s*\(\s*" + LITERAL + r"\s*,\s*[^,;]*\)\s*;")),
    ("printing words in apps/",
     re.compile(rf"fmt::print\s*\(\s*(?:(?:stderr|stdout|out|stream)\s*,\s*)?"
                r'"(?:[^"\\\n]|\\.)*[A-Za-z]{3,}(?:[^"\\\n]|\\.)*"')),
]


def unmarked_messages():
    """(file:line, what, key) of each unmarked user-visible string; the key (file, what, the
    matched text with its spaces squeezed) does not move when lines above it change."""
    found = []
    for path in sources():
        relative = path.relative_to(SOURCE_DIR).as_posix()
        text = strip_comments_keep_marks(path.read_text(encoding="utf-8"))
        lines = text.splitlines()
        # A statement may span lines: match on the text with each statement's lines joined.
        for what, pattern in UNMARKED:
            if what == "printing words in apps/" and not relative.startswith("apps/"):
                continue
            code = re.sub(r"//[^\n]*", "", text)
            for match in pattern.finditer(code):
                line = code.count("\n", 0, match.start())
                window = " ".join(lines[max(0, line - 1):line + 2])
                if "untranslated:" in window:
                    continue
                key = f"{relative} | {what} | {' '.join(match.group(0).split())}"
                found.append((f"{relative}:{line + 1}", what, key))
    return found


@unittest.skipIf(shutil.which("xgettext") is None, "xgettext (Debian's gettext) is not installed")
class CatalogComplete(unittest.TestCase):
    def test_every_marked_message_has_a_chinese_translation(self):
        catalog = read_po(CATALOG)
        missing = [f"{where}: {msgid!r}" for msgid, where in extract_marked().items()
                   if not any(catalog.get(msgid, []))]
        self.assertEqual(missing, [], "messages without a translation in po/zh_CN.po "
                         "(run `make po`, then translate):\n" + "\n".join(missing))

    def test_the_catalog_holds_only_marked_messages(self):
        marked = extract_marked()
        stale = sorted(m for m in read_po(CATALOG) if m not in marked)
        self.assertEqual(stale, [], "translations of messages no longer marked (run `make po`)")


class TranslationsKeepPlaceholders(unittest.TestCase):
    def test_each_translation_fills_the_same_placeholders(self):
        wrong = []
        for msgid, translations in read_po(CATALOG).items():
            for text in translations:
                if text and placeholders(text) != placeholders(msgid):
                    wrong.append(f"{msgid!r} -> {text!r}")
        self.assertEqual(wrong, [], "translations whose placeholders differ:\n" + "\n".join(wrong))

    def test_the_check_itself_sees_a_lost_placeholder(self):
        self.assertNotEqual(placeholders("{} rows in {}"), placeholders("{} 行"))
        self.assertEqual(placeholders("{} rows in {}"), placeholders("{1} 中有 {0} 行"))
        self.assertNotEqual(placeholders("{:>5} rows"), placeholders("{} 行"))


class EveryMessageMarked(unittest.TestCase):
    def test_no_user_visible_string_is_left_unmarked(self):
        listed = Counter(line for line in UNMARKED_LIST.read_text(encoding="utf-8").splitlines()
                         if line and not line.startswith("#"))
        found = unmarked_messages()
        keys = Counter(key for _, _, key in found)
        new = [f"{where}: {what}" for where, what, key in found if keys[key] > listed[key]]
        self.assertEqual(new, [], "user-visible text not marked for translation (wrap it in "
                         "tr/trf, or mark the line `// untranslated: WHY`):\n" + "\n".join(new))
        marked_now = sorted((listed - keys).elements())
        self.assertEqual(marked_now, [], f"marked now: take these off {UNMARKED_LIST.name}")

    def test_the_check_itself_sees_an_unmarked_message(self):
        for line in ['throw UsageError("no file to import");',
                     'throw rbl::FailedError(fmt::format("cannot read {}", path));',
                     'reporter.warning(fmt::format("{} rows", n));',
                     'return fail("not a date");',
                     'app.add_flag("--strict", options.strict, "commit nothing");']:
            code = line
            self.assertTrue(any(p.search(code) for _, p in UNMARKED), line)
        for line in ['throw UsageError(tr("no file to import"));',
                     'throw rbl::FailedError(trf("cannot read {}", path));',
                     'app.add_flag("--strict", options.strict, tr("commit nothing"));']:
            self.assertFalse(any(p.search(line) for _, p in UNMARKED), line)


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--write-list"]:
        # Rewrites the list of messages not yet marked (only ever to shorten it).
        with UNMARKED_LIST.open("w", encoding="utf-8") as out:
            out.write("# Messages not yet marked for translation (tests/lint/test_messages.py).\n"
                      "# file | place | start of the statement; take a line off when it is marked.\n")
            for key in sorted(key for _, _, key in unmarked_messages()):
                out.write(key + "\n")
        sys.exit(0)
    if len(sys.argv) == 3 and sys.argv[1] == "--write-pot":
        write_pot(Path(sys.argv[2]).resolve())
        sys.exit(0)
    unittest.main()
