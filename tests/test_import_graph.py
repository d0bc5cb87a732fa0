"""The import graph: no cycles between modules, and a core that stays pure.

Every import counts, also those inside functions and under ``if TYPE_CHECKING:``:
a lazy import hides a cycle from the interpreter, not from the design, and a
type-only import still ties one module to another.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scoring", "leagues", "wallboard")
CORE = ("scoring", "leagues")
#: what the core never imports: the shell, I/O, and the clock (``time``; the
#: core takes every moment from the events it folds)
FORBIDDEN_IN_CORE = frozenset(
    {"wallboard", "asyncio", "redis", "starlette", "sqlite3", "socket", "time"}
)


def module_files(root: Path = ROOT, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` by dotted name (a package by its own name)."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_names(source: str, module: str, is_package: bool) -> Iterator[str]:
    """The dotted names ``module`` imports, relative imports resolved: for
    ``from x import y`` both ``x.y`` (in case y is a module) and ``x``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join([*base, node.module] if node.module else base)
            else:
                origin = node.module or ""
            yield origin
            yield from (f"{origin}.{alias.name}" for alias in node.names)


def _internal(name: str, modules: Mapping[str, object]) -> str | None:
    """The module of ours that importing ``name`` loads: its longest known prefix."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph(modules: Mapping[str, Path]) -> dict[str, set[str]]:
    """Which of our modules each module imports. Importing ``a.b.c`` also runs
    ``a.b``'s ``__init__``, but that edge is left out: a package whose factory
    lazily imports its own backends would otherwise be a cycle with each of them."""
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        targets = set()
        for name in imported_names(path.read_text(), module, is_package):
            target = _internal(name, modules)
            if target is not None and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def strongly_connected(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iteratively: the groups of modules that import each
    other, directly or round about (only groups of more than one)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def shortest_cycle(graph: Mapping[str, set[str]], start: str) -> list[str]:
    """The shortest path from ``start`` back to itself (breadth first)."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(graph[node]):
            if successor == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    return []


def describe_cycles(graph: Mapping[str, set[str]]) -> list[str]:
    """Each group of modules in a cycle, with the shortest cycle through each member."""
    lines = []
    for group in strongly_connected(graph):
        lines.append(f"{len(group)} modules in a cycle: {', '.join(group)}")
        cycles = {" -> ".join(shortest_cycle(graph, member)) for member in group}
        lines.extend(f"  {cycle}" for cycle in sorted(cycles))
    return lines


def test_no_module_imports_itself_round_about() -> None:
    cycles = describe_cycles(import_graph(module_files()))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_core_imports_neither_the_shell_nor_io_nor_the_clock() -> None:
    offences = []
    for module, path in module_files(packages=CORE).items():
        for name in imported_names(path.read_text(), module, path.name == "__init__.py"):
            if name.partition(".")[0] in FORBIDDEN_IN_CORE:
                offences.append(f"{module} imports {name}")
    assert not offences, "\n".join(sorted(set(offences)))


def test_the_walk_sees_lazy_type_only_and_relative_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import sibling\n"
        "from ..other import thing\n"
        "if TYPE_CHECKING:\n"
        "    from .typed import Shape\n"
        "def later() -> None:\n"
        "    import time\n"
        "    from .lazy import load\n"
    )
    names = set(imported_names(source, "pkg.sub.module", is_package=False))
    assert {
        "pkg.sub.sibling",
        "pkg.other.thing",
        "pkg.sub.typed",
        "time",
        "pkg.sub.lazy",
    } <= names
    assert "pkg.sub" in set(imported_names("from . import x\n", "pkg.sub", is_package=True))


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
    ],
)
def test_cycles_are_found_and_shown(edges: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert sorted(strongly_connected(edges)) == expected
    if expected:
        first = expected[0][0]
        cycle = shortest_cycle(edges, first)
        assert cycle[0] == cycle[-1] == first and set(cycle) == set(expected[0])
