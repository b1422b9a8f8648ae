#!/usr/bin/env python3
"""Runs the libFuzzer targets of tests/fuzz for a bounded time each (`make fuzz`, `make fuzz-smoke`).

Seeds are generated into BUILD/corpus/seeds/TARGET from samples/ and rules/ at every run, plus the
hand-written seeds of tests/fuzz/corpus/TARGET. What a run finds that is new goes to
BUILD/corpus/work/TARGET (kept between runs); a crash, hang, leak or sanitizer report leaves its
input in BUILD/artifacts/ and makes this script exit 1, naming the target, the input and the log.
"""

import argparse
import csv
import hashlib
import io
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]
SAMPLES = SOURCE / "samples"
RULES = SOURCE / "rules"
HAND_SEEDS = SOURCE / "tests" / "fuzz" / "corpus"
DICTS = SOURCE / "tests" / "fuzz"

# Per target: the longest input libFuzzer makes (a rule file is a few KiB).
MAX_LEN = {"fuzz_rules": 16384, "fuzz_calendar": 8192, "fuzz_csv": 16384, "fuzz_import_rows": 16384}


def add_seed(folder, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def csv_column(name):
    """Every value of column `name` in the sample CSV files (UTF-8 ones)."""
    values = []
    for path in sorted((SAMPLES / "records").glob("*.csv")) + sorted((SAMPLES / "bad").glob("*.csv")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            continue
        for row in csv.DictReader(io.StringIO(text)):
            value = row.get(name)
            if value:
                values.append(value)
    return sorted(set(values))


def expressions():
    """The `where:` and `subject:` expressions of the shipped rule files."""
    found = set()
    pattern = re.compile(r"""\b(?:where|subject):\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)')""")
    for path in sorted(RULES.glob("*.yaml")):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            if match.group(1) is not None:
                found.add(match.group(1).replace('\\"', '"'))
            else:
                found.add(match.group(2).replace("''", "'"))
    return sorted(found)


def make_seeds(target, folder):
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    name = target.removeprefix("fuzz_")
    if name == "csv":
        # fuzz_csv's first byte picks the reader's buffer size: the smallest, and one of 64 bytes.
        for path in sorted((SAMPLES / "records").glob("*.csv")) + sorted((SAMPLES / "bad").glob("*.csv")):
            add_seed(folder, b"\x00" + path.read_bytes())
            add_seed(folder, b"\x3c" + path.read_bytes())
    elif name == "import_rows":
        # The first byte: bit 0 JSON Lines, bit 1 the sample mapping, bit 2 --id-check warn.
        for path in sorted((SAMPLES / "records").glob("*.csv")) + sorted((SAMPLES / "bad").glob("*.csv")):
            if "gb18030" in path.name:
                continue
            flags = 2 if "shuanggongshi" in path.name else 0
            add_seed(folder, bytes([flags]) + path.read_bytes())
            add_seed(folder, bytes([flags | 4]) + path.read_bytes())
        for path in sorted((SAMPLES / "records").glob("*.jsonl")):
            add_seed(folder, b"\x01" + path.read_bytes())
    elif name == "json_line":
        for path in sorted((SAMPLES / "records").glob("*.jsonl")):
            for line in path.read_bytes().splitlines()[:40]:
                add_seed(folder, line)
    elif name == "date":
        for value in csv_column("date")[:60]:
            add_seed(folder, value)
    elif name == "money":
        for value in csv_column("amount")[:60]:
            add_seed(folder, value)
    elif name == "ids":
        for value in csv_column("subject_id")[:60]:
            add_seed(folder, value)
    elif name == "expression":
        for value in expressions():
            add_seed(folder, value)
    elif name == "rules":
        for path in sorted(RULES.glob("*.yaml")):
            if path.name != "calendar.yaml":
                text = path.read_text(encoding="utf-8")
                # The target loads the input as fuzz.yaml: name the domain after it.
                add_seed(folder, re.sub(r"(?m)^domain:.*$", "domain: fuzz", text))
    elif name == "calendar":
        add_seed(folder, (RULES / "calendar.yaml").read_bytes())
    hand = HAND_SEEDS / name
    if hand.is_dir():
        for path in sorted(hand.iterdir()):
            if path.is_file():
                add_seed(folder, (b"\x00" if name == "csv" else b"") + path.read_bytes())
    return sum(1 for _ in folder.iterdir())


def run_target(binary, build, seconds):
    target = binary.name
    seeds = build / "corpus" / "seeds" / target
    work = build / "corpus" / "work" / target
    artifacts = build / "artifacts"
    logs = build / "fuzz-logs"
    for folder in (work, artifacts, logs):
        folder.mkdir(parents=True, exist_ok=True)
    count = make_seeds(target, seeds)
    command = [str(binary), f"-max_total_time={seconds}", "-timeout=10", "-rss_limit_mb=2048",
               "-malloc_limit_mb=2048", f"-artifact_prefix={artifacts}/{target}-",
               "-print_final_stats=1", f"-max_len={MAX_LEN.get(target, 4096)}"]
    dictionary = DICTS / f"{target.removeprefix('fuzz_')}.dict"
    if dictionary.is_file():
        command.append(f"-dict={dictionary}")
    command += [str(work), str(seeds)]
    log = logs / f"{target}.log"
    started = time.monotonic()
    with open(log, "w") as out:
        # Leaks are reported at exit by LeakSanitizer; hangs by -timeout.
        result = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT,
                                timeout=seconds * 3 + 120)
    elapsed = time.monotonic() - started
    text = log.read_text(errors="replace")
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", text)
    found = re.findall(r"Test unit written to (\S+)", text)
    status = "ok" if result.returncode == 0 else "FAILED"
    print(f"{target}: {status}: {runs[-1] if runs else '?'} inputs in {elapsed:.0f} s "
          f"({count} seeds)", flush=True)
    if result.returncode != 0:
        for line in text.splitlines():
            if "ERROR:" in line or "SUMMARY:" in line or "runtime error" in line or "deadly signal" in line:
                print(f"  {line.strip()}")
        for path in found:
            print(f"  input: {path}")
        print(f"  log: {log}")
    return result.returncode == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default=str(SOURCE / "build-fuzz"), help="the RBL_FUZZ build folder")
    parser.add_argument("--seconds", type=int, default=60, help="how long to run each target")
    parser.add_argument("targets", nargs="*", help="targets to run (default: every fuzz_* built)")
    args = parser.parse_args()
    build = Path(args.build).resolve()
    binaries = sorted(p for p in (build / "fuzz").glob("fuzz_*") if p.is_file())
    if args.targets:
        binaries = [b for b in binaries if b.name in args.targets or b.name.removeprefix("fuzz_") in args.targets]
    if not binaries:
        print(f"run_fuzzers: no fuzz targets in {build / 'fuzz'} (build with `make fuzz-build`)",
              file=sys.stderr)
        return 2
    ok = all([run_target(binary, build, args.seconds) for binary in binaries])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
