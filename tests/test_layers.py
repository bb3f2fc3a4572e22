"""The layers: faces (``flight_agent.apps``) on agents (``graphs``) on tools on the toolkit core.

Imports point down only. The core (everything in ``flight_agent`` but ``apps``) knows nothing
of the tools or the graphs, and nothing but the faces imports the faces.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    """Every module a source file imports, absolute names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def offending(paths: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in paths
        for module in sorted(imported_modules(path))
        if module.split(".")[0] in forbidden or module.startswith(forbidden)
    ]


def test_the_core_imports_neither_tools_nor_graphs_nor_the_faces() -> None:
    """Only ``flight_agent.apps`` builds on the LangChain layers."""
    core = [path for path in sources("flight_agent") if "apps" not in path.parts]
    assert offending(core, ("tools", "graphs", "evals", "flight_agent.apps")) == []


@pytest.mark.parametrize("package", ["tools", "graphs"])
def test_tools_and_graphs_never_import_the_faces(package: str) -> None:
    """The faces sit on top: the layers below never reach up to them."""
    assert offending(sources(package), ("flight_agent.apps",)) == []


def test_tools_never_import_graphs() -> None:
    """The agents use the tools, never the other way round."""
    assert offending(sources("tools"), ("graphs", "evals")) == []
