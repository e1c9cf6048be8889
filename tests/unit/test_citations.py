"""The repository stands alone: no tracked file cites a document outside it or an issue number,
and every citation of a rule or a Hinemos fact names an anchor that exists (docs/rules.md,
docs/hinemos-facts.md)."""
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Spelled in pieces so that this file does not cite what it forbids.
OUTSIDE = [
    r"\.\./" + "shared", "/work/" + "shared", r"\bshared/" + r"(?:reference|spec|seed)",
    "SEED" + "-SPEC", r"\b" + "DECI" + r"SIONS\b",
    r"\bhinemos-(?:ws|rest|settings|observed)" + r"\.md\b", r"\btestbed" + r"\.md\b",
    r"\bSTYLE" + r"\.md\b", r"\btest-bed notes\b", r"\btestbed notes\b",
]
ISSUES = [r"(?i:\bissues?\s*#?\d+)", r"(?i:\bitems?\s+\d+(?:\s*[-,]\s*\d+)*\))"]
FORBIDDEN = re.compile("|".join(f"(?:{p})" for p in OUTSIDE + ISSUES))
ANCHOR_CITATION = re.compile(r"\b(rules|hinemos-facts)\.md#([A-Za-z0-9_-]+)")
ANCHOR = re.compile(r'<a id="([A-Za-z0-9_-]+)"></a>')


def tracked_text_files():
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True)
    for name in listed.stdout.decode().split("\0"):
        path = ROOT / name
        if not name or not path.is_file():
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue  # binary (a recorded tar archive)
        yield name, data.decode("utf-8", errors="replace")


def test_no_tracked_file_cites_outside_documents_or_issues():
    found = [f"{name}:{number}: {line.strip()[:120]}"
             for name, text in tracked_text_files()
             for number, line in enumerate(text.splitlines(), 1) if FORBIDDEN.search(line)]
    assert not found, "cite docs/rules.md or docs/hinemos-facts.md anchors instead:\n" + "\n".join(found)


@pytest.mark.parametrize("line", [
    "see ../" "sha" "red/reference/x", "(SEED" "-SPEC 3.3)", "(DECI" "SIONS 15)", "hinemos-ws" ".md 4.3",
    "testbed" ".md", "(issue" " 5, it" "em 7)", "Issue #" "12", "(item" "s 4-5)",
])
def test_the_pattern_catches_each_kind(line):
    assert FORBIDDEN.search(line)


@pytest.mark.parametrize("line", [
    "cpu_usage#0:conteiner_C,0.05", "order (順序) 1", "docs/rules.md#state-file",
    "the manual's usage line", "reissue 3 requests",
])
def test_the_pattern_spares_ordinary_text(line):
    assert not FORBIDDEN.search(line)


def test_every_cited_anchor_exists():
    anchors = {page: set(ANCHOR.findall((DOCS / f"{page}.md").read_text(encoding="utf-8")))
               for page in ("rules", "hinemos-facts")}
    dangling = sorted({f"{name}: {page}.md#{anchor}"
                       for name, text in tracked_text_files()
                       for page, anchor in ANCHOR_CITATION.findall(text)
                       if anchor not in anchors[page]})
    assert not dangling, "citations of anchors that do not exist:\n" + "\n".join(dangling)


def test_anchors_are_unique():
    for page in ("rules", "hinemos-facts"):
        ids = ANCHOR.findall((DOCS / f"{page}.md").read_text(encoding="utf-8"))
        assert len(ids) == len(set(ids)), page
