"""The import graph: layers that only ever import downwards, and no cycle, hidden or not.

The layers are the package's folders: a11y/pipeline, a11y/ci, a11y/reports sit between the data
modules and rules below and the API and CLI above.

Every import counts: at the top of a module, inside a function (lazy) or under TYPE_CHECKING.
A module that is not in a layer fails the test, so a new module must say where it belongs.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "a11y"

# Lowest first. A module may import from its own layer and the ones before it, never after.
LAYERS: dict[str, tuple[str, ...]] = {
    "data": ("version", "text", "model", "settings", "steps", "files", "snapshot", "fingerprint"),
    "rules": ("rules",),
    "pipeline": ("pipeline",),
    "ci": ("ci",),
    "reports": ("reports",),
    "api": ("api", "doctor", "pytest_plugin"),
    "cli": ("cli", "__main__", "__init__"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def imports_of(path: Path) -> set[str]:
    """The a11y modules ``path`` imports, as names relative to the package (``rules._icons``)."""
    here = module_name(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else list(package)
                target = [*base, *(node.module.split(".") if node.module else [])]
            elif node.module and node.module.split(".")[0] == "a11y":
                target = node.module.split(".")[1:]
            else:
                continue
            for alias in node.names:  # `from . import api` imports the module a11y.api
                candidate = [*target, alias.name]
                is_module = (PACKAGE.joinpath(*candidate).with_suffix(".py").is_file() or PACKAGE.joinpath(*candidate).is_dir())
                found.add(".".join(candidate if is_module else target) or "__init__")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "a11y":
                    found.add(".".join(alias.name.split(".")[1:]) or "__init__")
    found.discard(module_name(path) or "__init__")
    return found


def graph() -> dict[str, set[str]]:
    return {(module_name(path) or "__init__"): imports_of(path) for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    top = module.split(".")[0]
    for rank, members in enumerate(LAYERS.values()):
        if top in members or module in members:
            return rank
    raise AssertionError(f"a11y.{module} is in no layer of tests/test_layers.py: add it where it belongs")


def test_every_import_points_down_or_sideways() -> None:
    upward = [f"a11y.{module} ({list(LAYERS)[layer_of(module)]}) imports a11y.{target} ({list(LAYERS)[layer_of(target)]})"
              for module, targets in graph().items() for target in sorted(targets) if layer_of(target) > layer_of(module)]
    assert upward == []


def test_no_import_cycle() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target] if target in path else [module, target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_every_public_name_resolves() -> None:
    """``a11y.X`` for each name in ``a11y.__all__`` (they are imported lazily, so a moved module shows only here)."""
    import a11y

    assert [name for name in a11y.__all__ if getattr(a11y, name, None) is None] == []
