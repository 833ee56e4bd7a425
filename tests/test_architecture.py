"""The import rules of docs/ARCHITECTURE.md, read from the source: a break fails here, not in review."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "quizapp"
VIEW_PACKAGES = ("auth", "main", "quiz", "study", "teach")
WEB_LIBRARIES = ("flask", "flask_login", "flask_wtf", "flask_migrate", "flask_limiter", "werkzeug", "wtforms")
DATABASE_LIBRARIES = ("sqlalchemy", "flask_sqlalchemy", "alembic")
# Werkzeug's password hashing is plain functions, no request in them.
SERVICE_MAY_IMPORT = ("werkzeug.security",)
QUERY_METHODS = frozenset({"execute", "scalar", "scalars", "query", "get"})


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(*under: str) -> list[Path]:
    return sorted(path for folder in under for path in (PACKAGE / folder).rglob("*.py"))


def imported(path: Path) -> Iterator[str]:
    """Every module the file imports, wherever the import statement is."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def top_level_imports(path: Path) -> set[str]:
    """The quizapp modules imported when the module itself is imported (not inside functions)."""
    found = set()
    for node in ast.parse(path.read_text(), str(path)).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("quizapp"):
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("quizapp"))
    return found


def within(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


@pytest.mark.parametrize("path", modules("domain"), ids=module_name)
def test_the_domain_imports_neither_the_web_nor_the_database(path: Path) -> None:
    wrong = [
        name
        for name in imported(path)
        if within(name, WEB_LIBRARIES + DATABASE_LIBRARIES)
        or (within(name, ("quizapp",)) and not within(name, ("quizapp.domain",)))
    ]
    assert wrong == [], f"{module_name(path)} imports {wrong}"


@pytest.mark.parametrize("path", modules("services"), ids=module_name)
def test_services_know_nothing_of_requests_and_never_commit(path: Path) -> None:
    views = tuple(f"quizapp.{package}" for package in VIEW_PACKAGES)
    wrong = [
        name
        for name in imported(path)
        if within(name, WEB_LIBRARIES + views + ("quizapp.clock",)) and not within(name, SERVICE_MAY_IMPORT)
    ]
    assert wrong == [], f"{module_name(path)} imports {wrong}"
    commits = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "commit"
    ]
    assert commits == [], f"{module_name(path)} commits on lines {commits}: the caller does"


@pytest.mark.parametrize("path", modules(*VIEW_PACKAGES), ids=module_name)
def test_views_do_not_query(path: Path) -> None:
    queries = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in QUERY_METHODS
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "session"
    ]
    statements = [
        name for name in imported(path) if name in {"sqlalchemy.select", "sqlalchemy.update", "sqlalchemy.delete"}
    ]
    assert (queries, statements) == ([], []), f"{module_name(path)} queries: ask a service"


def test_domain_and_services_have_no_import_cycles() -> None:
    graph = {
        module_name(path): {
            name for name in top_level_imports(path) if within(name, ("quizapp.domain", "quizapp.services"))
        }
        for path in modules("domain", "services")
    }
    # A package's __init__ importing its own modules is not a cycle.
    graph = {
        module: {name for name in targets if name in graph and name != module} for module, targets in graph.items()
    }

    def cycle_through(module: str, trail: list[str], state: dict[str, str]) -> list[str] | None:
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target]
            if target not in state and (cycle := cycle_through(target, [*trail, target], state)):
                return cycle
        state[module] = "done"
        return None

    state: dict[str, str] = {}
    first_cycle = next(
        (
            cycle
            for module in sorted(graph)
            if module not in state and (cycle := cycle_through(module, [module], state))
        ),
        None,
    )
    assert first_cycle is None
