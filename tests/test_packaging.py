"""What a release ships: its version, dependency bounds, extras, license and the wheel's files."""

from __future__ import annotations

import hashlib
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from email.message import Message
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import flight_agent
from evals.trajectory import EVALS_EXTRA
from graphs.models import LLM_EXTRA

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
DEPENDENCIES = {Requirement(line).name: Requirement(line) for line in PROJECT["dependencies"]}
PACKAGES = {"flight_agent", "tools", "graphs", "evals"}
DIST_INFO = f"flight_agent-{PROJECT['version']}.dist-info"

END_OF_TERMS = "END OF TERMS AND CONDITIONS"
APACHE_2_TERMS_SHA256 = "0cec06e0e55fbc3dc5cee4fca9b607f66cb8f4e4dbcf3b3c013594dd156732e9"
"""The Apache License 2.0 as published (apache.org/licenses/LICENSE-2.0.txt), up to the end of
its terms and conditions: the appendix after it is filled in by each project."""

NEXT_MAJORS = {
    "mcp": 2,
    "langchain-core": 2,
    "langgraph": 2,
    "pydantic": 3,
    "pydantic-settings": 3,
    "httpx": 1,
    "typer": 1,
}
"""The first release of each dependency that is known or likely to break flight-agent."""


def test_the_version_is_the_installed_distributions() -> None:
    """``flight_agent.__version__`` is what the installed metadata says, pyproject's version."""
    assert flight_agent.__version__ == importlib.metadata.version("flight-agent")
    assert flight_agent.__version__ == PROJECT["version"]


def test_a_never_installed_source_tree_has_an_unknown_version() -> None:
    """Without package metadata the version is '0+unknown', not an import error."""
    script = (
        "import importlib.metadata as metadata\n"
        "def missing(name): raise metadata.PackageNotFoundError(name)\n"
        "metadata.version = missing\n"
        "import flight_agent\n"
        "print(flight_agent.__version__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout) == (0, "0+unknown\n"), done.stderr


@pytest.mark.parametrize(("name", "major"), list(NEXT_MAJORS.items()))
def test_a_dependency_stops_below_its_breaking_major(name: str, major: int) -> None:
    """Neither the breaking major nor its pre-releases are allowed; the installed version is."""
    specifier = DEPENDENCIES[name].specifier
    for version in (f"{major}.0", f"{major}.0rc1"):
        assert not specifier.contains(version, prereleases=True)
    assert specifier.contains(importlib.metadata.version(name))


@pytest.mark.parametrize(
    ("extra", "package"),
    [("evals", "agentevals"), ("llm", "langchain"), ("notebooks", "jupyterlab")],
)
def test_each_extra_holds_what_it_is_for(extra: str, package: str) -> None:
    """evals: the trajectory check; llm: provider chat models; notebooks: JupyterLab."""
    names = {Requirement(line).name for line in PROJECT["optional-dependencies"][extra]}
    assert package in names


@pytest.mark.parametrize("command", [EVALS_EXTRA, LLM_EXTRA])
def test_the_install_commands_in_messages_name_real_extras(command: str) -> None:
    """What error messages tell users to run installs an extra that exists."""
    named = re.fullmatch(r"pip install 'flight-agent\[(\w+)\]'", command)
    assert named is not None
    assert named[1] in PROJECT["optional-dependencies"]


def apache_terms(text: str) -> str:
    """The license text up to the end of its terms and conditions."""
    return text[: text.index(END_OF_TERMS) + len(END_OF_TERMS)]


def test_the_license_file_holds_the_apache_2_terms_the_metadata_names() -> None:
    """pyproject says Apache-2.0 and ships LICENSE, whose terms are the published ones."""
    assert PROJECT["license"] == "Apache-2.0"
    assert PROJECT["license-files"] == ["LICENSE"]
    terms = apache_terms((ROOT / "LICENSE").read_text("utf-8"))
    assert hashlib.sha256(terms.encode()).hexdigest() == APACHE_2_TERMS_SHA256


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    """The wheel ``python -m build`` makes (from the sdist it builds first)."""
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (path,) = out.glob("*.whl")
    with zipfile.ZipFile(path) as archive:
        yield archive


def metadata_of(wheel: zipfile.ZipFile) -> Message:
    return Parser().parsestr(wheel.read(f"{DIST_INFO}/METADATA").decode("utf-8"))


def test_the_wheel_holds_the_four_packages_and_nothing_else(wheel: zipfile.ZipFile) -> None:
    """No tests, benchmarks or notebooks: only the packages and their metadata."""
    top_level = {name.split("/")[0] for name in wheel.namelist()}
    assert top_level == PACKAGES | {DIST_INFO}


def test_the_wheel_ships_the_data_files_and_type_markers(wheel: zipfile.ZipFile) -> None:
    """Reference tables, the eval dataset and py.typed for the typed packages."""
    tables = {f"flight_agent/data/{path.name}" for path in (ROOT / "flight_agent/data").iterdir()}
    assert "flight_agent/data/mct.csv" in tables
    markers = {f"{package}/py.typed" for package in ("flight_agent", "tools", "graphs")}
    assert tables | markers | {"evals/dataset.jsonl"} <= set(wheel.namelist())


def test_the_wheel_carries_the_license_and_the_bounds(wheel: zipfile.ZipFile) -> None:
    """The license expression, the LICENSE file itself, and mcp below 2 for installers."""
    metadata = metadata_of(wheel)
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert wheel.read(f"{DIST_INFO}/licenses/LICENSE") == (ROOT / "LICENSE").read_bytes()
    requires = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    (mcp,) = [requirement for requirement in requires if requirement.name == "mcp"]
    assert not mcp.specifier.contains("2.0")
