#!/usr/bin/env python3
"""The man pages (English and Chinese) and the bash completion of rbl's tools, made from the
tools themselves, so that they never say other than --help.

Each tool, run with $RBL_CLI_MANIFEST set, prints its command line as JSON instead of running
(apps/common/tool.cpp, describe_tool): the same descriptions, option names, value types, examples
and exit codes as its --help, in the language of $RBL_LANG. The front command `rbl`, which has no
options of its own, is described from its tool list.

    cli_docs.py --bin BUILD/bin --out BUILD/share rbl rbl-import rbl-rules ...

writes OUT/man/man1/TOOL.1.gz, OUT/man/zh_CN/man1/TOOL.1.gz (compressed as Debian's policy
asks, with no time stamp, so that a build is reproducible) and
OUT/bash-completion/completions/TOOL for each tool.
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

# The man pages' own headings, in each language of the interface.
HEADINGS = {
    "en": {"name": "NAME", "synopsis": "SYNOPSIS", "description": "DESCRIPTION",
           "options": "OPTIONS", "subcommands": "SUBCOMMANDS", "environment": "ENVIRONMENT",
           "examples": "EXAMPLES", "exit": "EXIT STATUS", "see_also": "SEE ALSO",
           "manual": "rbl manual", "options_word": "OPTIONS", "arguments": "ARGUMENTS",
           "tool": "TOOL", "args": "ARGS"},
    "zh": {"name": "名称", "synopsis": "概要", "description": "描述", "options": "选项",
           "subcommands": "子命令", "environment": "环境变量", "examples": "示例",
           "exit": "退出状态", "see_also": "参见", "manual": "rbl 手册",
           "options_word": "选项", "arguments": "参数", "tool": "工具", "args": "参数"},
}
MAN_FOLDERS = {"en": "man/man1", "zh": "man/zh_CN/man1"}


def describe(binary, language):
    """The tool's manifest in `language` (the tool's own JSON)."""
    env = dict(os.environ, RBL_LANG=language, RBL_CLI_MANIFEST="1")
    run = subprocess.run([str(binary)], env=env, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        sys.exit(f"cli_docs.py: {binary} failed ({run.returncode}): {run.stderr.strip()}")
    return json.loads(run.stdout)


def describe_front(binary, language):
    """The front command `rbl` as a manifest: its tools as subcommands, from `rbl help`."""
    env = dict(os.environ, RBL_LANG=language)
    text = subprocess.run([str(binary), "help"], env=env, capture_output=True, text=True,
                          check=True).stdout
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True,
                             check=True).stdout.split()[-1]
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith((":", "：")) and
                 not line.startswith(" ")) + 1
    tools = []
    for line in lines[start:]:
        match = re.match(r"^  (\S+)\s+(.*)$", line)
        if match:
            tools.append({"name": match.group(1), "description": match.group(2), "options": [],
                          "positionals": [], "subcommands": []})
    usage = "\n".join(lines[:start - 1]).rstrip()
    return {"name": "rbl", "version": version, "description": usage, "options": [],
            "positionals": [], "subcommands": tools, "environment": "", "examples": [],
            "exit_codes": "", "front": True}


def roff(text):
    """`text` safe in a roff line: backslashes, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + text if text[:1] in (".", "'") else text


def roff_lines(text):
    return "\n".join(roff(line) if line.strip() else ".sp" for line in text.splitlines())


def option_label(option):
    names = ", ".join(f"\\fB{roff(name)}\\fR" for name in option["names"])
    return f"{names} \\fI{roff(option['value'])}\\fR" if option["value"] else names


def options_block(node):
    out = []
    for positional in node["positionals"]:
        out += [".TP", f"\\fI{roff(positional['name'])}\\fR", roff_lines(positional["description"])]
    for option in node["options"]:
        out += [".TP", option_label(option), roff_lines(option["description"] or "")]
    return out


def after_colon(text):
    """The text after its heading ("Environment: …", "环境变量：…")."""
    head = re.match(r"^[^:：\n]*[:：]\s*", text)
    return text[head.end():] if head else text


def exit_codes(text):
    """[(code, meaning)] from the help's exit-code block ("  N  meaning", continued lines)."""
    codes = []
    for line in text.strip("\n").splitlines()[1:]:
        match = re.match(r"^\s+(\d+)\s+(.*)$", line)
        if match:
            codes.append([match.group(1), match.group(2)])
        elif codes and line.strip():
            # A continued line: joined by a space, except between Chinese characters.
            wide = not codes[-1][1][-1:].isascii() or not line.strip()[:1].isascii()
            codes[-1][1] += ("" if wide else " ") + line.strip()
    return codes


def synopsis(tool, words):
    name = f"\\fB{roff(tool['name'])}\\fR"
    if tool.get("front"):
        return [f"{name} \\fI{words['tool']}\\fR [\\fI{words['args']}\\fR...]"]
    if tool["subcommands"]:
        return [f"{name} \\fB{roff(sub['name'])}\\fR [\\fI{words['options_word']}\\fR]"
                for sub in tool["subcommands"]]
    positionals = " ".join(f"\\fI{roff(p['name'])}\\fR" for p in tool["positionals"])
    return [f"{name} [\\fI{words['options_word']}\\fR] {positionals}".rstrip()]


def man_page(tool, language, all_tools):
    words = HEADINGS[language]
    description = tool["description"]
    summary = description.split("\n")[0] if not tool.get("front") else {
        "en": "the front command of rbl's tools", "zh": "rbl 各工具的总入口"}[language]
    # Left-adjusted, without hyphenation: Chinese text has no spaces to stretch or break at.
    out = [f'.TH {tool["name"].upper()} 1 "" "rbl {tool["version"]}" "{words["manual"]}"',
           ".ad l", ".nh",
           f".SH {words['name']}", f"{roff(tool['name'])} \\- {roff(summary)}",
           f".SH {words['synopsis']}"]
    for line in synopsis(tool, words):
        out += [line, ".br"]
    out += [f".SH {words['description']}"]
    out += [".nf", roff_lines(description), ".fi"] if tool.get("front") else \
        [roff_lines(description)]
    if tool["options"] or tool["positionals"]:
        out += [f".SH {words['options']}"] + options_block(tool)
    if tool["subcommands"]:
        out += [f".SH {words['subcommands']}"]
        for sub in tool["subcommands"]:
            out += [f".SS {roff(sub['name'])}", roff_lines(sub["description"])]
            out += options_block(sub)
            for nested in sub["subcommands"]:
                out += [".TP", f"\\fB{roff(nested['name'])}\\fR", roff_lines(nested["description"])]
    if tool["environment"]:
        out += [f".SH {words['environment']}", roff_lines(after_colon(tool["environment"]))]
    if tool["examples"]:
        out += [f".SH {words['examples']}"]
        for example in tool["examples"]:
            out += [".nf", f"\\fB{roff(example['command'])}\\fR", ".fi"]
            if example["note"]:
                out += [".RS", roff(example["note"]), ".RE"]
    if tool["exit_codes"]:
        out += [f".SH {words['exit']}"]
        for code, meaning in exit_codes(tool["exit_codes"]):
            out += [".TP", f"\\fB{code}\\fR", roff(meaning)]
    others = [name for name in all_tools if name != tool["name"]]
    out += [f".SH {words['see_also']}", ", ".join(f"\\fB{roff(n)}\\fR(1)" for n in others)]
    return "\n".join(out) + "\n"


def nodes(tool, path=()):
    """(path, node) for the tool and each of its subcommands, depth first."""
    yield path, tool
    for sub in tool["subcommands"]:
        yield from nodes(sub, path + (sub["name"],))


def shell_words(words):
    return " ".join(re.sub(r"[^A-Za-z0-9_./:=+,@%-]", "", word) for word in words)


def choices(value):
    """The allowed values of an option's type ("TEXT:{csv,jsonl}"), or []."""
    match = re.search(r"\{([^{}]*)\}", value)
    return [c.strip() for c in match.group(1).split(",")] if match else []


def completion(tool):
    """A bash completion function for the tool: its subcommands, each one's options, the
    allowed values of an option, and file names for the rest."""
    function = "_" + re.sub(r"[^A-Za-z0-9]", "_", tool["name"])
    lines = [f"# bash completion for {tool['name']} (made by packaging/cli_docs.py from the tool)",
             f"{function}() {{",
             '    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"',
             '    local path="" word i',
             "    for ((i = 1; i < COMP_CWORD; i++)); do",
             '        word="${COMP_WORDS[i]}"',
             '        case "$path/$word" in']
    paths = list(nodes(tool))
    for path, node in paths[1:]:
        parent = "/".join(path[:-1])
        lines.append(f'            "{parent}/{path[-1]}") path="{"/".join(path)}" ;;')
    lines += ["        esac", "    done"]
    value_cases = []
    for _, node in paths:
        for option in node["options"]:
            if not option["value"]:
                continue
            allowed = choices(option["value"])
            action = f'compgen -W "{shell_words(allowed)}" -- "$cur"' if allowed else \
                'compgen -f -- "$cur"'
            value_cases.append((tuple(option["names"]), action))
    seen = set()
    lines += ['    case "$prev" in']
    for names, action in value_cases:
        fresh = [n for n in names if n not in seen]
        seen.update(fresh)
        if fresh:
            lines.append(f'        {"|".join(fresh)}) COMPREPLY=($({action})); return ;;')
    lines += ["    esac", '    case "$path" in']
    for path, node in paths:
        words = [sub["name"] for sub in node["subcommands"]]
        words += [name for option in node["options"] for name in option["names"]]
        files = "yes" if node["positionals"] else ""
        lines.append(f'        "{"/".join(path)}") word="{shell_words(words)}"; i="{files}" ;;')
    lines += ["    esac",
              '    if [[ "$cur" != -* && -n "$i" ]]; then',
              '        COMPREPLY=($(compgen -f -- "$cur"))',
              "    else",
              '        COMPREPLY=($(compgen -W "$word" -- "$cur"))',
              "    fi",
              "}",
              f"complete -o filenames -F {function} {tool['name']}"]
    return "\n".join(lines) + "\n"


def front_completion(tool):
    names = shell_words([sub["name"] for sub in tool["subcommands"]] + ["help", "--version"])
    return "\n".join([
        "# bash completion for rbl (made by packaging/cli_docs.py): the tools, then each tool's own",
        "_rbl() {",
        '    local cur="${COMP_WORDS[COMP_CWORD]}"',
        "    if ((COMP_CWORD == 1)) || [[ ${COMP_WORDS[1]} == help && COMP_CWORD == 2 ]]; then",
        f'        COMPREPLY=($(compgen -W "{names}" -- "$cur"))',
        "        return",
        "    fi",
        '    local tool="rbl-${COMP_WORDS[1]}" function="_rbl_${COMP_WORDS[1]}"',
        '    if ! declare -F "$function" >/dev/null; then',
        '        local file="${BASH_SOURCE[0]%/*}/$tool"',
        '        [[ -r $file ]] && . "$file"',
        "    fi",
        '    if declare -F "$function" >/dev/null; then',
        '        COMP_WORDS=("$tool" "${COMP_WORDS[@]:2}")',
        "        ((COMP_CWORD--))",
        '        "$function"',
        "    else",
        '        COMPREPLY=($(compgen -f -- "$cur"))',
        "    fi",
        "}",
        "complete -o filenames -F _rbl rbl",
    ]) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", required=True, type=Path, help="the folder of the built tools")
    parser.add_argument("--out", required=True, type=Path, help="the share folder to write into")
    parser.add_argument("tools", nargs="+")
    args = parser.parse_args()
    for language, folder in MAN_FOLDERS.items():
        (args.out / folder).mkdir(parents=True, exist_ok=True)
    (args.out / "bash-completion" / "completions").mkdir(parents=True, exist_ok=True)
    for name in args.tools:
        binary = args.bin / name
        for language, folder in MAN_FOLDERS.items():
            tool = describe_front(binary, language) if name == "rbl" else \
                describe(binary, language)
            page = man_page(tool, language, args.tools).encode("utf-8")
            (args.out / folder / f"{name}.1.gz").write_bytes(gzip.compress(page, 9, mtime=0))
            if language == "en":
                script = front_completion(tool) if name == "rbl" else completion(tool)
                (args.out / "bash-completion" / "completions" / name).write_text(
                    script, encoding="utf-8")


if __name__ == "__main__":
    main()
