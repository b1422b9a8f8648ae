"""The Debian package (issue 20, point 7): `cpack` builds rbl's .deb from the build tree, with
its dependencies on Debian's packages; unpacked into a scratch root (dpkg -x), the installed
tools run, find their Chinese catalog, check the installed example rules, and their man pages
(English and Chinese) and bash completion work.

RBL_BUILD_DIR names the build tree (ctest sets it); the package is built into a temporary folder.
"""

import os
import re
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

BUILD_DIR = Path(os.environ.get("RBL_BUILD_DIR",
                                Path(__file__).resolve().parents[2] / "build"))


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


class InstalledPackage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = Path(tempfile.mkdtemp(prefix="rbl-package-"))
        built = run(["cpack", "-G", "DEB", "--config", str(BUILD_DIR / "CPackConfig.cmake"),
                     "-B", str(cls.folder / "out")])
        if built.returncode != 0:
            raise AssertionError(f"cpack failed:\n{built.stdout}\n{built.stderr}")
        packages = sorted((cls.folder / "out").glob("rbl_*.deb"))
        if len(packages) != 1:
            raise AssertionError(f"expected one rbl_*.deb, found {packages}")
        cls.deb = packages[0]
        cls.root = cls.folder / "root"
        unpacked = run(["dpkg", "-x", str(cls.deb), str(cls.root)])
        if unpacked.returncode != 0:
            raise AssertionError(f"dpkg -x failed: {unpacked.stderr}")
        cls.usr = cls.root / "usr"

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.folder, ignore_errors=True)

    def env(self, **extra):
        env = {key: value for key, value in os.environ.items()
               if key not in ("RBL_LOCALEDIR", "RBL_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
        env.update({"LANG": "C.UTF-8", "RBL_TODAY": "2026-11-28"})
        env.update(extra)
        return env

    def test_depends_on_debian_packages(self):
        fields = run(["dpkg-deb", "--field", str(self.deb), "Package", "Depends"]).stdout
        self.assertIn("Package: rbl", fields)
        for package in ("libsqlite3-0", "libpq5", "libyaml-cpp0.7", "fonts-noto-cjk"):
            self.assertRegex(fields, rf"Depends:.*\b{re.escape(package)}\b")

    def test_files_in_their_fhs_places(self):
        for path in ("bin/rbl", "bin/rbl-import", "bin/rbl-rules", "bin/rbl-adjudicate",
                     "share/locale/zh_CN/LC_MESSAGES/rbl.mo",
                     "share/man/man1/rbl-import.1.gz", "share/man/zh_CN/man1/rbl-import.1.gz",
                     "share/bash-completion/completions/rbl-appeal",
                     "share/doc/rbl/examples/rules"):
            self.assertTrue((self.usr / path).exists(), path)

    def test_installed_rules_check(self):
        checked = run([str(self.usr / "bin" / "rbl-rules"), "check", "--rules",
                       str(self.usr / "share/doc/rbl/examples/rules")], env=self.env())
        self.assertEqual(checked.returncode, 0, checked.stderr)

    def test_installed_tool_speaks_chinese(self):
        help_text = run([str(self.usr / "bin" / "rbl-import"), "--help"],
                        env=self.env(LANG="zh_CN.UTF-8")).stdout
        self.assertIn("用法", help_text)
        front = run([str(self.usr / "bin" / "rbl"), "help"], env=self.env(RBL_LANG="zh"))
        self.assertEqual(front.returncode, 0, front.stderr)
        self.assertIn("导入信用信息记录", front.stdout)

    def man(self, page, *options, **env):
        shown = run(["man", "-P", "cat", *options, page],
                    env=self.env(MANPATH=str(self.usr / "share/man"), MANWIDTH="100", **env))
        self.assertEqual(shown.returncode, 0, shown.stderr)
        return shown.stdout

    def test_man_pages(self):
        english = self.man("rbl-import")
        self.assertIn("rbl-import", english)
        self.assertRegex(english, r"--db")
        self.assertIn("EXIT STATUS", english)
        # The Chinese page (-L zh_CN, as a zh_CN locale would choose it) shown in UTF-8: the
        # machine need not have the zh_CN locale generated.
        chinese = self.man("rbl-import", "-L", "zh_CN")
        self.assertIn("选项", chinese)
        self.assertIn("退出状态", chinese)
        self.assertIn("rbl", self.man("rbl"))

    def completions(self, tool, *words):
        script = (f'. "{self.usr}/share/bash-completion/completions/{tool}"\n'
                  f"COMP_WORDS=({' '.join(repr(w) for w in (tool,) + words)})\n"
                  f"COMP_CWORD={len(words)}\n"
                  f"_{tool.replace('-', '_')}\n"
                  'printf "%s\\n" "${COMPREPLY[@]}"\n')
        done = run(["bash", "-c", script], cwd=self.folder)
        self.assertEqual(done.returncode, 0, done.stderr)
        return done.stdout.split()

    def test_bash_completion(self):
        self.assertIn("decide", self.completions("rbl-appeal", "de"))
        self.assertIn("--outcome", self.completions("rbl-appeal", "decide", "--out"))
        self.assertIn("--as-of", self.completions("rbl-adjudicate", "--as"))
        self.assertIn("import", self.completions("rbl", "im"))


if __name__ == "__main__":
    unittest.main()
