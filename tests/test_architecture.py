"""The house rules of docs/architecture.md, read from the code's own imports (plain `ast`, function-level imports
included): imports point down the layers, never in a circle, the build never imports the app, modules stay small."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "warehouse", "deploy")

# Top to bottom; a module may import its own layer or any layer below. The longest matching prefix decides.
LAYERS: list[tuple[str, ...]] = [
    ("deploy", "app.asgi", "app.serve", "app.streamlit_app"),
    ("app.views",),
    (
        "app.access",
        "app.presentation",
        "app.ui",
        "app.charts",
        "app.exports",
        "app.paging",
        "app.scoring.display",
        "app.scoring.figures",
    ),
    ("app.data", "app.scoring", "app.scoring.session", "app.scoring.runtime", "app.audit"),
    ("app.text", "app.sql_worker", "app.sqlbox", "app.roles", "app.memory"),
    ("warehouse",),
]

# Modules allowed past the size limit, each with the reason one idea needs the room.
MAX_LINES = 400
LONG_MODULES: dict[str, str] = {}

# Plain helpers at the bottom of the app: importable from anywhere, so they import no framework.
FRAMEWORK_FREE = ("app.text", "app.roles", "app.audit", "app.memory")
FRAMEWORKS = ("streamlit", "duckdb")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for package in PACKAGES for path in sorted((ROOT / package).rglob("*.py"))}


def _imported_names(path: Path, module: str) -> set[str]:
    """Every dotted name an import statement in the file refers to, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in _imported_names(path, module):
            # `from app import data` names the module app.data; `from app.data import scores` names app.data.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module and not module.startswith(name + "."):
                targets.add(name)
        graph[module] = targets
    return graph


def _layer(module: str) -> int:
    best, best_length = None, -1
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = rank, len(prefix)
    if best is None:
        raise AssertionError(f"{module} belongs to no layer: add it to LAYERS and docs/architecture.md")
    return best


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    assert _cycles(_graph()) == []


def test_imports_point_down_the_layers():
    upward = [
        f"{module} (laag {_layer(module)}) → {target} (laag {_layer(target)})"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _layer(target) < _layer(module)
    ]
    assert upward == []


def test_build_never_imports_the_app():
    graph = _graph()
    assert [(m, t) for m, ts in graph.items() if m.startswith("warehouse") for t in ts if t.startswith("app")] == []


def test_plain_helpers_import_no_framework():
    modules = _modules()
    offenders = [
        (module, name)
        for module, path in modules.items()
        if module.startswith(FRAMEWORK_FREE)
        for name in _imported_names(path, module)
        if name.split(".")[0] in FRAMEWORKS
    ]
    assert offenders == []


def test_modules_stay_small():
    too_long = {
        module: lines
        for module, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES and module not in LONG_MODULES
    }
    assert too_long == {}


def test_the_checks_see_a_cycle_and_an_upward_import():
    """The checks themselves can fail: a made-up circle and a made-up upward arrow are found."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _layer("app.views.thema") < _layer("app.data.scores") < _layer("warehouse.build")
    with pytest.raises(AssertionError, match="no layer"):
        _layer("elsewhere.module")
