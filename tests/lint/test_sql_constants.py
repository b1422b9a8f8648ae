"""Every SQL statement in lib/ and apps/ is a constant (SPEC.md §7, issue 6): no SQL text is ever
built from input. A source check (tests/lint), run by `make test`.

Each place that hands SQL text to SQLite is found: `Database::prepare(SQL)`, `Database::exec(SQL)`,
`Statement name(db, SQL)`, a Statement member initialised as `m_name(db, SQL)`, and SQLite's own
`sqlite3_exec` / `sqlite3_prepare*`. The SQL argument must be a string literal, a choice between
literals (`a ? "BEGIN IMMEDIATE" : "BEGIN"`), or a `k_` constant defined in the same file as a
literal. The few places that do something else are listed in ALLOWED with the reason they are safe;
a new one fails this test until it is looked at and listed.
"""

import re
import unittest
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[2]

# (file, start of the SQL argument): why it is not a literal and still not built from input.
ALLOWED = {
    ("lib/rbl/store/database.cpp", "sql.data()"):
        "Statement's constructor: the SQL it was given, checked at its callers",
    ("lib/rbl/store/database.cpp", "text.c_str()"):
        "Database::exec: the SQL it was given, checked at its callers",
    ("lib/rbl/store/database.cpp", "steps[static_cast<std::size_t>(version)]"):
        "schema migrations: the literals of store/schema.cpp",
    ("lib/rbl/store/database.cpp", 'fmt::format("PRAGMA user_version={}", known)'):
        "the schema version number this build knows (an int), not input",
    ("lib/rbl/store/subject_reader.cpp", "query.sql"):
        "one of the file's k_ queries, chosen by SubjectReader's public constructors",
    ("lib/rbl/store/database.cpp", "sql"):
        "Statement's constructor and Database::exec hand the SQL they were given to the engine",
    ("lib/rbl/store/sqlite_connection.cpp", "sql"):
        "the SQLite engine: the SQL Database was given, checked at its callers",
    ("lib/rbl/store/sqlite_connection.cpp", "text.c_str()"):
        "the SQLite engine's exec: the SQL Database was given",
    ("lib/rbl/store/sqlite_connection.cpp", '"PRAGMA user_version"'):
        "a literal",
    ("lib/rbl/store/sqlite_connection.cpp", 'fmt::format("PRAGMA user_version={}", version)'):
        "the schema version number this build knows (an int), not input",
    ("lib/rbl/store/publication_store.cpp", "entries_sql(db)"):
        "one of the file's k_ statements, by the database's dialect and schema version",
    ("lib/rbl/store/publication_store.cpp", "entry_sql(db)"):
        "one of the file's k_ statements, by the database's dialect and schema version",
    ("lib/rbl/store/record_store.cpp", "m_deferred_index_sql"):
        "the CREATE INDEX statement read from the database's own schema (sqlite_schema), "
        "to build again the index it dropped",
    ("lib/rbl/store/report_store.cpp", "sql"):
        "label_counts(): one of the report's k_ literals, passed by its callers in the same file",
}

CALL = re.compile(
    r"(?P<call>\bsqlite3_exec\s*\(|\bsqlite3_prepare(?:_v2|_v3)?\s*\(|(?:\.|->)prepare\s*\("
    r"|(?:\.|->)exec\s*\(|\bStatement\s+\w+\s*\(|\bm_\w+\s*\()")
# strip_comments() turns raw strings into "RAW" (keeping the line count), so one form is enough.
LITERAL = r'(?:u8)?"(?:[^"\\\n]|\\.)*"'
LITERALS = re.compile(rf"^(?:{LITERAL}\s*)+$")
# A choice between two literals or two of the file's k_ constants.
CHOICE = re.compile(rf"^[^?]+\?\s*(?:{LITERAL}|k_\w+)\s*:\s*(?:{LITERAL}|k_\w+)$")
CONSTANT = re.compile(r"^k_\w+$")
# The text of the connection's dialect: one of two of the file's k_ constants (Database::sql).
DIALECT = re.compile(r"^(?:m_)?db\.sql\(\s*k_\w+\s*,\s*k_\w+\s*\)$")


def strip_comments(text):
    """The text with // and /* */ comments blanked, string literals kept, and raw string literals
    replaced by "RAW" followed by the line breaks they held (so that line numbers stay)."""
    out = []
    i = 0
    while i < len(text):
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = len(text) if end < 0 else end
            out.append(" " * (end - i))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif text.startswith('R"', i):
            match = re.compile(r'R"([^(\s]*)\(').match(text, i)
            end = text.find(")" + match.group(1) + '"', i) + len(match.group(1)) + 2
            out.append('"RAW"' + "\n" * text.count("\n", i, end))
            i = end
        elif text[i] == '"':
            match = re.compile(r'"(?:[^"\\\n]|\\.)*"').match(text, i)
            out.append(match.group(0))
            i = match.end()
        elif text[i] == "'":
            match = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(text, i)
            out.append(match.group(0))
            i = match.end()
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def arguments(text, start):
    """The comma-separated arguments of the call whose '(' is at text[start - 1]."""
    args, depth, current, i = [], 0, [], start
    while i < len(text):
        c = text[i]
        if c == '"':
            match = re.compile(LITERAL).match(text, i)
            current.append(match.group(0))
            i = match.end()
            continue
        if c == "'":
            match = re.compile(r"'(?:[^'\\\n]|\\.)*'").match(text, i)
            current.append(match.group(0))
            i = match.end()
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append("".join(current).strip())
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(c)
        i += 1
    return args


def statement_members(sources):
    """Names of members declared as `Statement m_name;` (their initialisers pass SQL)."""
    names = set()
    for text in sources.values():
        names.update(re.findall(r"\bStatement\s+(m_\w+)\s*[;{]", text))
    return names


def literal_macros(text):
    """The macros of a file defined as string literals only (a shared column list)."""
    text = text.replace("\\\n", " ")  # macro line continuations
    return {m.group(1) for m in re.finditer(
        rf"^#define\s+([A-Z][A-Z0-9_]*)\s+((?:{LITERAL}\s*)+)$", text, re.M)}


def literal_constants(text, shared_macros=frozenset()):
    """The k_ constants of a file whose value is a string literal (or literals), where a literal
    may also be a macro defined as literals only, in the same file or in a header of lib/
    (`shared_macros`: a column list that several stores select, such as
    RBL_RECORD_STATE_COLUMNS)."""
    text = text.replace("\\\n", " ")  # macro line continuations
    macros = literal_macros(text) | set(shared_macros)
    piece = LITERAL + ("|" + "|".join(sorted(macros)) if macros else "")
    found = set()
    for match in re.finditer(rf"\bk_\w+\s*=\s*(?:(?:{piece})\s*)+;", text):
        found.add(re.match(r"k_\w+", match.group(0)).group(0))
    return found


def sql_argument(call, args):
    if call.startswith("sqlite3_"):
        return args[1] if len(args) > 1 else ""
    if call.startswith("Statement") or call.startswith("m_"):
        return args[1] if len(args) > 1 else None
    return args[0] if args else ""


def violations(sources):
    """(file, line, SQL argument) of every SQL argument that is not a constant, and the number of
    places checked."""
    members = statement_members(sources)
    shared = set()
    for name, raw in sources.items():
        if name.endswith((".hpp", ".h")):
            shared |= literal_macros(strip_comments(raw))
    found = []
    checked = 0
    for name, raw in sources.items():
        text = strip_comments(raw)
        constants = literal_constants(text, shared)
        for match in CALL.finditer(text):
            call = match.group("call").lstrip(".->").strip()
            if call.startswith("m_") and call.rstrip("( ").strip() not in members:
                continue
            args = arguments(text, match.end())
            sql = sql_argument(call, args)
            if sql is None:
                continue  # a declaration or another signature: no statement is made here
            checked += 1
            if LITERALS.match(sql) or CHOICE.match(sql) or DIALECT.match(sql):
                continue
            if CONSTANT.match(sql) and sql in constants:
                continue
            if any(name == file and sql.startswith(prefix) for file, prefix in ALLOWED):
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append((name, line, sql))
    return found, checked


def library_sources():
    files = {}
    for folder in ("lib", "apps"):
        for path in sorted((SOURCE_DIR / folder).rglob("*")):
            if path.suffix in (".cpp", ".hpp", ".h", ".cc"):
                files[str(path.relative_to(SOURCE_DIR))] = path.read_text(encoding="utf-8")
    return files


class SqlIsConstant(unittest.TestCase):
    def test_every_statement_in_lib_and_apps_is_a_constant(self):
        sources = library_sources()
        found, checked = violations(sources)
        # The stores prepare some 40 statements: far fewer means the check looks in the wrong place.
        self.assertGreater(checked, 30)
        self.assertEqual(found, [], "SQL built at run time (make it a constant, or list it in "
                                    "ALLOWED with the reason it cannot hold input):\n"
                         + "\n".join(f"  {f}:{line}: {sql[:100]}" for f, line, sql in found))

    def test_the_check_finds_sql_built_from_input(self):
        sources = {
            "lib/rbl/store/bad.cpp": """
                constexpr std::string_view k_ok = "SELECT 1";
                std::string k_built = "SELECT " + name;
                void f(Database& db, std::string name) {
                    db.prepare(k_ok);                                      // fine
                    db.prepare("SELECT 1 FROM t WHERE x = ?1");           // fine
                    db.exec(R"sql(CREATE TABLE t (x, y))sql");             // fine
                    db.prepare(fmt::format("SELECT * FROM {}", name));   // 1
                    db.exec("DELETE FROM t WHERE x = '" + name + "'");    // 2
                    Statement s(db, query_of(name));                       // 3
                    sqlite3_exec(handle, name.c_str(), nullptr, nullptr, nullptr);  // 4
                    db.prepare(k_built);                                   // 5
                }
                class C { Statement m_find; int m_count; };
                C::C(Database& db, std::string table)
                    : m_find(db, "SELECT * FROM " + table), m_count(0) {}   // 6
            """,
        }
        found, checked = violations(sources)
        self.assertEqual(checked, 9)
        self.assertEqual([line for _, line, _ in found], [8, 9, 10, 11, 12, 16], found)


if __name__ == "__main__":
    unittest.main(verbosity=2)
