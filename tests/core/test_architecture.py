"""No import circle among the modules of tde_desktop.

The graph is built from the source, not by importing it: every ``import`` and
``from ... import`` statement of every module counts, wherever it stands (inside a
function or a method too), because an import hidden in a function still ties two
modules together and makes each hard to read without the other. Only imports under
``if TYPE_CHECKING:`` are left out: they never run, and a helper that names its
owner's class in an annotation does not need the owner to work.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "tde_desktop"


def module_files(package: Path) -> dict[str, Path]:
    """Every module under ``package`` by dotted name (a package is its ``__init__``)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool,
                    modules: Collection[str]) -> Iterator[str]:
    """The modules an import statement names: ``from a.b import c`` names the module
    ``a.b.c`` if there is one, else ``a.b`` (the package whose ``__init__`` defines c)."""
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:  # relative: counted from the module's own package
        package = module.split(".") if is_package else module.split(".")[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, base] if base else package)
    for alias in node.names:  # ``from package import module`` names the module itself
        yield f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def import_statements(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement that can run, at any depth (not under ``if TYPE_CHECKING:``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield from import_statements(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from import_statements(node)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports, anywhere in its source."""
    files = module_files(package)
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in import_statements(tree):
            for target in _imported_names(node, name, is_package, files):
                if target in files and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path that ends where it starts, or None if there is none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state and (cycle := visit(nxt)) is not None:
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)) is not None:
            return cycle
    return None


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle for each group of modules that import each other, so that a failure
    shows every circle at once rather than the first one found."""
    circles = []
    remaining = dict(graph)
    while (cycle := find_cycle(remaining)) is not None:
        circles.append(cycle)
        # leave the circle's modules out, so the next search finds another group
        members = set(cycle)
        remaining = {m: deps - members for m, deps in remaining.items() if m not in members}
    return circles


def test_the_graph_sees_imports_inside_functions_and_from_packages(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from pkg.sub import b\n")
    (pkg / "sub" / "b.py").write_text("from ..a import f\n")
    graph = import_graph(pkg)
    assert graph["pkg.a"] == {"pkg.sub.b"}
    assert graph["pkg.sub.b"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]
    (pkg / "sub" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import f\n")
    assert find_cycle(import_graph(pkg)) is None


def test_no_import_circle_in_tde_desktop() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 100, "the package was not found"
    circles = import_circles(graph)
    if circles:
        pytest.fail("import circles:\n" + "\n".join(" -> ".join(c) for c in circles),
                    pytrace=False)
