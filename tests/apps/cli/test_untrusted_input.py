"""Hostile and accidental input files: refused in one line on stderr, exit 2, before any request.

Files are read with a size cap and parsed with bounds (no YAML aliases, limited nesting), so no
input makes the command run long, grow without bound or print a traceback. The cases only a
real process shows (reading ``/dev/zero``, memory growth) run ``flight-agent`` in a subprocess
with an address-space limit and a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from flight_agent.apps.cli import common as cli_common
from flight_agent.apps.cli.common import MAX_FILE_BYTES
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tests.apps.cli.test_commands import DAY, invoke, one_line_error, recording, service
from tools.schemas import MAX_BATCH

MEMORY_LIMIT = 768 * 1024 * 1024
"""Address space the subprocess may use: several times what a refused command needs."""

TIMEOUT = 20
"""Seconds the subprocess may take (a refused command takes about two)."""

LIMITED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from flight_agent.apps.cli import app
app(sys.argv[2:], prog_name="flight-agent")
"""
"""``flight-agent ARGS`` with its address space limited to ``argv[1]`` bytes."""


def run_limited(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``flight-agent`` in its own process in ``folder`` (no .env), with no setting in its
    environment, within MEMORY_LIMIT and TIMEOUT (``TimeoutExpired`` fails the test)."""
    unset = {name.upper() for name in Settings.model_fields}
    env = {name: value for name, value in os.environ.items() if name.upper() not in unset}
    return subprocess.run(
        [sys.executable, "-c", LIMITED, str(MEMORY_LIMIT), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=folder,
        env=env,
        check=False,
    )


def refused(process: subprocess.CompletedProcess[str]) -> str:
    """The one stderr line of a process that exited 2 and printed nothing else."""
    assert "Traceback" not in process.stderr
    assert (process.returncode, process.stdout) == (2, "")
    assert process.stderr.count("\n") == 1
    return process.stderr.strip()


@pytest.fixture
def upstream_calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    """The CLI's services run on the simulated provider; returns the count of calls they sent."""
    built: list[EnhancedFlightMonitoringService] = []
    monkeypatch.setattr(cli_common, "service_factory", recording(service, built))
    return lambda: sum(
        getattr(provider, "calls", 0)
        for each in built
        for provider in each.failover_manager.providers
    )


def alias_bomb(levels: int = 9) -> str:
    """A 500-byte itinerary whose aliases stand for over 800 million strings."""
    aliases = [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, levels)]
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]", *aliases, f"itinerary: *a{levels - 1}"]
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    """Aliases are refused while parsing, naming the first one: the command ends within the
    timeout and the memory limit instead of expanding it."""
    path = tmp_path / "trip.yaml"
    path.write_text(alias_bomb(), "utf-8")
    message = refused(run_limited(tmp_path, "assess", str(path)))
    assert message == f"{path}:2:10: alias *a0 is not allowed: write the value out in full"


@pytest.mark.parametrize("command", [["assess"], ["batch", "--file"]])
def test_an_endless_file_is_refused_after_reading_max_file_bytes(
    tmp_path: Path, command: list[str]
) -> None:
    """/dev/zero never ends: the command reads one byte past the cap and stops there."""
    message = refused(run_limited(tmp_path, *command, "/dev/zero"))
    assert message == (f"/dev/zero: cannot read the file: larger than {MAX_FILE_BYTES // 1024} KiB")


@pytest.mark.parametrize("command", [["assess"], ["batch", "--file"]])
def test_a_file_over_the_size_cap_is_refused_before_any_request(
    tmp_path: Path, upstream_calls: Callable[[], int], command: list[str]
) -> None:
    """A regular file one byte over MAX_FILE_BYTES: refused whole, nothing is looked up."""
    path = tmp_path / "input.txt"
    path.write_text(f"BA117\n#{'x' * MAX_FILE_BYTES}\n", "utf-8")
    message = one_line_error(invoke(*command, str(path)))
    assert message == f"{path}: cannot read the file: larger than {MAX_FILE_BYTES // 1024} KiB"
    assert upstream_calls() == 0


@pytest.mark.parametrize(
    ("nesting", "where"),
    [
        pytest.param("[" * 30_000 + "]" * 30_000, ":1:21:", id="sequences"),
        pytest.param("{a: " * 12_000 + "1" + "}" * 12_000, ":1:45:", id="mappings"),
    ],
)
def test_deep_nesting_is_refused_while_parsing(
    tmp_path: Path, upstream_calls: Callable[[], int], nesting: str, where: str
) -> None:
    """Thousands of levels within the size cap: refused at the first level too deep, no
    RecursionError."""
    path = tmp_path / "trip.yaml"
    path.write_text(f"itinerary: {nesting}\n", "utf-8")
    message = one_line_error(invoke("assess", str(path)))
    assert message == f"{path}{where} nested deeper than 10 levels"
    assert upstream_calls() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"itinerary:\x00 []\n",
            "not YAML: unacceptable character #x0000: special characters are not allowed",
            id="nul-byte",
        ),
        pytest.param(
            "itinerary: [{flight_number: BA117, note: caf\xe9}]\n".encode("latin-1"),
            "cannot read the file: it is not UTF-8 text",
            id="latin-1",
        ),
        pytest.param(
            f"cancellation_notice_days: 1{'0' * 5000}\nitinerary: [{{flight_number: X}}]".encode(),
            ":1:27: a number of more than 4300 digits",
            id="huge-number",
        ),
    ],
)
def test_an_unreadable_itinerary_is_one_line(
    tmp_path: Path, upstream_calls: Callable[[], int], content: bytes, expected: str
) -> None:
    """What PyYAML or the decoder refuses, on one line; nothing is looked up."""
    path = tmp_path / "trip.yaml"
    path.write_bytes(content)
    assert expected in one_line_error(invoke("assess", str(path)))
    assert upstream_calls() == 0


def test_a_batch_file_over_max_batch_is_refused_saying_how_to_split_it(
    tmp_path: Path, upstream_calls: Callable[[], int]
) -> None:
    """10,000 flights are not sent upstream: one line with the count, the cap and the way to
    split the file."""
    path = tmp_path / "flights.txt"
    path.write_text("BA117\n" * 10_000, "utf-8")
    message = one_line_error(invoke("batch", "--file", str(path)))
    assert message == (
        f"{path}: 10000 flights, more than {MAX_BATCH} a run: split the file "
        f"(split -l {MAX_BATCH} {path} part-) and run batch on each part"
    )
    assert upstream_calls() == 0


def test_designators_over_max_batch_are_refused(upstream_calls: Callable[[], int]) -> None:
    """The same cap holds for designators given as arguments, in status and batch alike."""
    flights = [f"BA{n}" for n in range(1, MAX_BATCH + 2)]
    for command in ("status", "batch"):
        message = one_line_error(invoke(command, *flights, "--date", DAY))
        assert message == (
            f"{MAX_BATCH + 1} flights, more than {MAX_BATCH} a run: give them in parts"
        )
    assert upstream_calls() == 0


@pytest.mark.usefixtures("upstream_calls")
def test_comments_and_blank_lines_do_not_count_against_the_cap(tmp_path: Path) -> None:
    """MAX_BATCH flights, each with a comment after it, between comment lines: all answered."""
    lines = [f"# flight {n}\nBA{n},{DAY}  # leg {n}\n\n" for n in range(1, MAX_BATCH + 1)]
    path = tmp_path / "flights.txt"
    path.write_text("".join(lines), "utf-8")
    items = json.loads(invoke("batch", "--file", str(path), "--json").stdout)["items"]
    assert len(items) == MAX_BATCH
    assert all(item["error_kind"] != "invalid_query" for item in items)
