"""The layers of lib/rbl are the arrows of docs/ARCHITECTURE.md, and the build says which they are.

lib/CMakeLists.txt declares each folder's library with `rbl_layer(NAME SOURCES ... USES ...)`.
This check fails when a file of lib/rbl/NAME includes a header of a layer that NAME does not list
after USES (a forbidden arrow), when a .cpp file of a folder is missing from its SOURCES (it would
silently not be built) or is listed but absent, and when a folder of lib/rbl has no layer.
"""

import re
import sys
import unittest
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parents[2]
LIB = SOURCE_DIR / "lib"
INCLUDE = re.compile(r'^\s*#\s*include\s+"rbl/([a-z_]+)/', re.MULTILINE)
LAYER = re.compile(r"^rbl_layer\((.*?)\)", re.MULTILINE | re.DOTALL)
KEYWORDS = ("SOURCES", "USES", "LINKS")


def parse_layers(cmake_text):
    """{name: {"SOURCES": [...], "USES": [...], "LINKS": [...]}} from rbl_layer(...) calls."""
    layers = {}
    for call in LAYER.finditer(cmake_text):
        text = re.sub(r"#[^\n]*", "", call.group(1))
        words = text.split()
        name, current = words[0], None
        layer = {keyword: [] for keyword in KEYWORDS}
        for word in words[1:]:
            if word in KEYWORDS:
                current = word
            elif current is not None:
                layer[current].append(word)
        layers[name] = layer
    return layers


def problems(lib_dir, layers):
    """Every violation as a line of text."""
    found = []
    rbl = lib_dir / "rbl"
    for folder in sorted(p for p in rbl.iterdir() if p.is_dir()):
        name = folder.name
        if name not in layers:
            found.append(f"lib/rbl/{name}/ has no rbl_layer({name} ...) in lib/CMakeLists.txt")
            continue
        allowed = set(layers[name]["USES"]) | {name}
        for unknown in sorted(set(layers[name]["USES"]) - set(layers)):
            found.append(f"rbl_layer({name}) uses '{unknown}', which is no layer")
        for path in sorted(folder.glob("*.[ch]pp")):
            for match in INCLUDE.finditer(path.read_text(encoding="utf-8")):
                if match.group(1) not in allowed:
                    line = path.read_text(encoding="utf-8")[:match.start()].count("\n") + 1
                    found.append(f"lib/rbl/{name}/{path.name}:{line}: includes rbl/{match.group(1)}/, "
                                 f"but the {name} layer may use only {sorted(allowed - {name})}")
        listed = set(layers[name]["SOURCES"])
        present = {p.name for p in folder.glob("*.cpp")}
        for missing in sorted(present - listed):
            found.append(f"lib/rbl/{name}/{missing} is not in rbl_layer({name} SOURCES ...)")
        for absent in sorted(listed - present):
            found.append(f"rbl_layer({name}) lists {absent}, which does not exist")
    return found


class Layers(unittest.TestCase):
    def test_the_library_keeps_its_layers(self):
        layers = parse_layers((LIB / "CMakeLists.txt").read_text(encoding="utf-8"))
        self.assertGreaterEqual(len(layers), 10)
        self.assertEqual(problems(LIB, layers), [])

    def test_the_check_finds_a_forbidden_include_and_an_unlisted_file(self):
        import tempfile
        with tempfile.TemporaryDirectory() as temp:
            lib = Path(temp)
            (lib / "rbl" / "util").mkdir(parents=True)
            (lib / "rbl" / "store").mkdir()
            (lib / "rbl" / "extra").mkdir()
            (lib / "rbl" / "util" / "a.cpp").write_text('#include "rbl/store/database.hpp"\n')
            (lib / "rbl" / "util" / "b.cpp").write_text("\n")
            (lib / "rbl" / "store" / "s.cpp").write_text('#include "rbl/util/a.hpp"\n')
            layers = parse_layers("rbl_layer(util\n    SOURCES a.cpp gone.cpp  # a comment\n)\n"
                                  "rbl_layer(store SOURCES s.cpp USES util LINKS SQLite::SQLite3)\n")
            self.assertEqual(layers["store"]["USES"], ["util"])
            found = problems(lib, layers)
            self.assertEqual(len(found), 4, found)
            self.assertTrue(any("a.cpp:1: includes rbl/store/" in p for p in found), found)
            self.assertTrue(any("b.cpp is not in rbl_layer(util" in p for p in found), found)
            self.assertTrue(any("lists gone.cpp" in p for p in found), found)
            self.assertTrue(any("lib/rbl/extra/ has no rbl_layer" in p for p in found), found)


if __name__ == "__main__":
    unittest.main(verbosity=2)
