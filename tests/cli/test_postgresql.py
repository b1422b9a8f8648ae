"""What only the PostgreSQL store has (SPEC.md §12): the group roles and what each may do, the
audit log append-only for every role, the schema only rbl-import creates, and a password never
shown. Runs on PostgreSQL only (make test's second half); on SQLite every test skips."""

import json
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rbltest  # noqa: E402
from rbltest import SAMPLES, ToolTestCase, uscc  # noqa: E402

LOGINS = {"clerk_login": "rbl_office", "tax_login": "rbl_department",
          "analyst_login": "rbl_analyst", "nobody_login": None}


def create_logins():
    """The test's logins, once per cluster (roles belong to the cluster, not a database)."""
    for login, role in LOGINS.items():
        rbltest.pg_admin(f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
                         f"'{login}') THEN CREATE ROLE {login} LOGIN; END IF; END $$")
        if role:
            rbltest.pg_admin(f"GRANT {role} TO {login}")


@unittest.skipUnless(rbltest.ON_POSTGRESQL, "PostgreSQL only: the server's roles and rights")
class Roles(ToolTestCase):
    def setUp(self):
        super().setUp()
        # The office's administrator creates the schema (and the group roles) with a first
        # import, then adjudicates.
        self.run_tool("rbl-import", "-q", SAMPLES / "records/courts.csv", "--source", "court",
                      check=0)
        self.run_tool("rbl-adjudicate", "-q", check=0)
        create_logins()
        self.entry = self.scalar("SELECT min(entry_id) FROM entries")

    def as_login(self, login, tool, *args, check=None):
        uri = f"postgresql:///{self.pg_name}?host={rbltest.PG_HOST}&user={login}"
        return self.run_tool(tool, *args, env={"RBL_DB": uri}, check=check)

    def test_the_schema_creates_the_three_group_roles(self):
        roles = {name for (name,) in self.sql(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'rbl\\_%' ESCAPE '\\'")}
        self.assertLessEqual({"rbl_office", "rbl_department", "rbl_analyst"}, roles)

    def test_a_department_checks_and_reports_feedback_but_decides_nothing(self):
        answer = json.loads(self.as_login("tax_login", "rbl-check", "--json", uscc(1),
                                          check=0).stdout)
        self.assertIs(answer["logged"], True)
        feedback = self.write("feedback.csv", "entry_id,department,measure_id,applied_on,note\n"
                              f"{self.entry},江苏省高级人民法院,restrict_high_consumption,"
                              "2026-11-28,已发布限制消费令\n")
        self.as_login("tax_login", "rbl-import", "-q", "--feedback", feedback, check=0)
        self.assertEqual(self.scalar("SELECT count(*) FROM feedback"), 1)
        refused = self.as_login("tax_login", "rbl-appeal", "file", self.entry, "--reason", "x",
                                check=2)
        self.assertIn("needs the role rbl_office", refused.stderr)
        self.assertIn("tax_login", refused.stderr)
        self.as_login("tax_login", "rbl-adjudicate", "-q", check=2)
        self.assertEqual(self.scalar("SELECT count(*) FROM appeals"), 0)

    def test_no_role_may_change_the_audit_log(self):
        for login in ("clerk_login", "tax_login", "analyst_login"):
            with self.subTest(login=login):
                import psycopg2
                connection = psycopg2.connect(host=rbltest.PG_HOST, user=login,
                                              dbname=self.pg_name)
                try:
                    for statement in ("UPDATE audit_log SET operator = 'mallory'",
                                      "DELETE FROM audit_log", "TRUNCATE audit_log"):
                        with self.assertRaises(psycopg2.Error, msg=statement):
                            connection.cursor().execute(statement)
                        connection.rollback()
                finally:
                    connection.close()
        self.run_tool("rbl-audit", "verify", check=0)

    def test_an_analyst_reads_and_exports_but_writes_nothing(self):
        out = self.dir / "list.csv"
        self.as_login("analyst_login", "rbl-publish", "-q", "--out", out, check=0)
        self.assertGreater(len(out.read_text(encoding="utf-8").splitlines()), 1)
        self.as_login("analyst_login", "rbl-audit", "verify", check=0)
        self.as_login("analyst_login", "rbl-audit", "log", check=0)
        # A channel publication records what it published: a write.
        refused = self.as_login("analyst_login", "rbl-publish", "-q", "--channel", "web",
                                "--out", self.dir / "web.csv", check=2)
        self.assertIn("rbl_office", refused.stderr)
        self.assertFalse((self.dir / "web.csv").exists())
        self.as_login("analyst_login", "rbl-import", "-q", SAMPLES / "records/tax.csv", check=2)
        self.assertEqual(self.scalar("SELECT count(*) FROM import_batches"), 1)

    def test_a_login_without_a_role_is_refused_plainly(self):
        refused = self.as_login("nobody_login", "rbl-publish", "-q", "--out",
                                self.dir / "x.csv", check=2)
        self.assertIn("the login nobody_login may not read", refused.stderr)
        self.assertIn("needs the role rbl_analyst", refused.stderr)
        self.assertNotIn("internal error", refused.stderr)

    def test_a_clerk_does_the_office_work(self):
        self.as_login("clerk_login", "rbl-appeal", "file", self.entry, "--reason", "异议",
                      check=0)
        self.as_login("clerk_login", "rbl-import", "-q", SAMPLES / "records/tax.csv", check=0)
        self.as_login("clerk_login", "rbl-adjudicate", "-q", check=0)
        self.run_tool("rbl-audit", "verify", check=0)


@unittest.skipUnless(rbltest.ON_POSTGRESQL, "PostgreSQL only: its schema and connections")
class Schema(ToolTestCase):
    def test_only_rbl_import_creates_the_schema(self):
        for tool, args in (("rbl-adjudicate", ()), ("rbl-publish", ("--out", "x.csv")),
                           ("rbl-check", (uscc(1),)), ("rbl-audit", ("verify",))):
            with self.subTest(tool=tool):
                result = self.run_tool(tool, *args, check=2)
                self.assertIn("the rbl schema does not exist", result.stderr)
                self.assertIn("rbl-import creates it", result.stderr)
        self.assertFalse(self.database_exists())

    def test_a_password_in_the_uri_is_never_shown(self):
        uri = f"postgresql://someone:s3cret@/{self.pg_name}?host={rbltest.PG_HOST}"
        result = self.run_tool("rbl-adjudicate", env={"RBL_DB": uri})
        self.assertNotEqual(result.returncode, 0)
        self.assertNotIn("s3cret", result.stderr + result.stdout)

    def test_a_server_that_is_not_there_is_a_plain_failure(self):
        uri = f"postgresql:///{self.pg_name}?host={self.dir}"
        result = self.run_tool("rbl-audit", "verify", env={"RBL_DB": uri}, check=1)
        self.assertIn("cannot connect to database", result.stderr)


if __name__ == "__main__":
    rbltest.main()
