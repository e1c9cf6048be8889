"""Relative links between the repository's Markdown pages lead to files that exist. Pages that other
work adds (listed in PENDING) are left out until they land."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\]\(([^)\s]+)\)")
PENDING = {"docs/hinemos-versions.md", "docs/real-hinemos.md", "docs/security.md", "docs/reliability.md"}


def markdown_pages():
    listed = subprocess.run(["git", "ls-files", "-z", "*.md"], cwd=ROOT, capture_output=True, check=True)
    return [ROOT / name for name in listed.stdout.decode().split("\0") if name]


def test_relative_links_lead_to_existing_files():
    broken = []
    for page in markdown_pages():
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            path = target.split("#", 1)[0]
            if not path or re.match(r"^[a-z]+:", path):
                continue  # an anchor on the same page, or a URL
            resolved = (page.parent / path).resolve()
            name = resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else str(resolved)
            if not resolved.exists() and name not in PENDING:
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, "\n".join(broken)
