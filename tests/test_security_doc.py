"""docs/SECURITY.md names the test that proves each claim: every test it names exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
# `file.py::test_name` (with a parameter id or not), `::test_name` for another test of the file named
# before it, or a bare `file.py`.
REFERENCE = re.compile(r"`(?:([\w/]*test_\w+\.py))?::(test_\w+)(?:\[[^\]`]*\])?`|`([\w/]*test_\w+\.py)`")


def functions_in(file_name: str) -> set[str]:
    """The test functions of the test files called ``file_name`` (tests/app/ and tests/domain/ both have some)."""
    paths = [path for path in TESTS.rglob(Path(file_name).name) if str(path).endswith(file_name)]
    assert paths, f"SECURITY.md names {file_name}, which is no test file"
    return {
        node.name
        for path in paths
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def test_every_test_named_in_security_md_exists() -> None:
    text = (ROOT / "docs" / "SECURITY.md").read_text(encoding="utf-8")
    named = 0
    for line in text.splitlines():
        current: str | None = None
        for file_name, test_name, bare_file in REFERENCE.findall(line):
            if bare_file:
                functions_in(bare_file)
                current = bare_file
                continue
            current = file_name or current
            assert current is not None, f"::{test_name} without a file before it: {line[:80]}"
            assert test_name in functions_in(current), f"{current}::{test_name} does not exist"
            named += 1
    assert named >= 60, named
