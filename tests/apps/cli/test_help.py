"""Every command, group and subcommand prints its help without an error."""

from __future__ import annotations

from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from flight_agent.apps.cli import app


def command_paths() -> list[list[str]]:
    """The argument lists that reach each command and group of the CLI, the root included."""
    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group's commands
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "root")
def test_each_command_prints_its_help(path: list[str]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"])

    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
