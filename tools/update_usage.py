#!/usr/bin/env python3
"""Regenerate the usage blocks of docs/*.md from the scripts' own parsers, so the docs cannot drift
from the options.

    python3 tools/update_usage.py            rewrite the pages whose blocks differ
    python3 tools/update_usage.py --check    change nothing; exit 1 naming the pages that differ

A block is everything between `<!-- usage: NAME -->` and `<!-- /usage -->`, NAME being a documented
script name without `.py`: its usage line, then its whole --help (at cli.HELP_WIDTH) collapsed.
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hinemos_docker import cli, launcher  # noqa: E402  (after the path set-up above)

DOCS = ROOT / "docs"
BLOCK = re.compile(r"(<!-- usage: (?P<name>[A-Za-z]+) -->\n)(?P<body>.*?)(<!-- /usage -->)", re.S)


def block_body(name):
    command = launcher.command_for(name)
    parser = cli.build_parser(command, width=cli.HELP_WIDTH)
    return (f"```\n{parser.format_usage().strip()}\n```\n\n"
            f"<details><summary><code>{command.prog} --help</code></summary>\n\n"
            f"```\n{parser.format_help().strip()}\n```\n\n</details>\n")


def regenerate(text):
    """The page with every usage block rebuilt; unknown names are an error."""
    def rebuilt(match):
        name = match.group("name")
        if name not in launcher.SCRIPTS:
            raise SystemExit(f"update_usage.py: unknown script name in a usage marker: {name}")
        return match.group(1) + block_body(name) + match.group(4)
    return BLOCK.sub(rebuilt, text)


def documented_names(pages=None):
    """The script names that have a usage block in the docs."""
    pages = sorted(DOCS.glob("*.md")) if pages is None else pages
    return {m.group("name") for page in pages for m in BLOCK.finditer(page.read_text(encoding="utf-8"))}


def stale_pages():
    """(page, regenerated text) of each page whose blocks differ from the parsers."""
    stale = []
    for page in sorted(DOCS.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        fresh = regenerate(text)
        if fresh != text:
            stale.append((page, fresh))
    return stale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a page differs")
    args = parser.parse_args(argv)
    stale = stale_pages()
    for page, fresh in stale:
        if args.check:
            print(f"{page.relative_to(ROOT)}: usage blocks differ from the parsers; "
                  "run python3 tools/update_usage.py", file=sys.stderr)
        else:
            page.write_text(fresh, encoding="utf-8")
            print(f"updated {page.relative_to(ROOT)}")
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
