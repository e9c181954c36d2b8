"""The server's modules form layers: the room runtime, the node layer and the relay are
depended on by sessions and handlers, never the reverse, and nothing imports in a circle
(counting imports made only for type checking)."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOWER = ("server.runtime", "server.nodes", "server.relay")
UPPER = ("server.session", "server.handlers", "server.services", "server.app", "server.rest")


def _graph() -> dict[str, set[str]]:
    mods = {}
    for path in (ROOT / "server").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        mods[name] = path
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("server"):
                deps.add(node.module)
                deps.update(f"{node.module}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
        graph[name] = {d for d in deps if d in mods and d != name}
    return graph


def _cycle_from(graph: dict[str, set[str]], start: str) -> list[str] | None:
    stack = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for dep in graph[node]:
            if dep == start:
                return path + [start]
            if dep not in seen:
                seen.add(dep)
                stack.append((dep, path + [dep]))
    return None


def test_no_server_module_imports_itself_through_a_circle() -> None:
    graph = _graph()
    cycles = [c for c in (_cycle_from(graph, m) for m in sorted(graph)) if c]
    assert cycles == []


def test_the_runtime_nodes_and_relay_never_import_sessions_or_handlers() -> None:
    graph = _graph()
    wrong = sorted((m, d) for m, deps in graph.items() if m.startswith(LOWER)
                   for d in deps if d.startswith(UPPER))
    assert wrong == []
