"""The command line: every command on the service, JSON for scripts, one-line errors, exit codes."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from importlib.util import find_spec
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner, Result

import flight_agent
from flight_agent.airports import get_airport
from flight_agent.apps.cli import commands as cli
from flight_agent.apps.cli import common as cli_common
from flight_agent.apps.cli import render as cli_render
from flight_agent.apps.cli import watching as cli_watch
from flight_agent.cache import MemoryCache
from flight_agent.clock import SYSTEM_CLOCK, Clock, FakeClock
from flight_agent.errors import AllProvidersFailedError
from flight_agent.models import Attempt, FlightStatus
from flight_agent.monitoring import FlightChange
from flight_agent.providers import FailoverConfig, MockFlightDataProvider
from flight_agent.services import EnhancedFlightMonitoringService, default_service
from flight_agent.settings import Settings
from tools.payloads import BatchItem, BatchStatusResult, FlightStatusResult, ResolvedFlight

DAY = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
"""A date the simulated provider answers whenever the tests run."""

Factory = Callable[[], EnhancedFlightMonitoringService]


def service(
    *,
    error_rate: float = 0.0,
    clock: Clock = SYSTEM_CLOCK,
    cache: MemoryCache | None = None,
    scenarios: dict[str, str] | None = None,
    check_interval: float = 300,
) -> EnhancedFlightMonitoringService:
    """A service on the simulated provider, memory cache, no Redis, one attempt per request."""
    provider = MockFlightDataProvider(
        "Simulated", clock=clock, error_rate=error_rate, scenarios=scenarios
    )
    return EnhancedFlightMonitoringService(
        check_interval_seconds=check_interval,
        providers=[provider],
        cache=cache,
        settings=Settings(redis_url=None),
        clock=clock,
        config=FailoverConfig(max_attempts=1),
    )


def recording(factory: Factory, built: list[EnhancedFlightMonitoringService]) -> Factory:
    """``factory``, keeping each service it builds in ``built``."""

    def build() -> EnhancedFlightMonitoringService:
        built.append(factory())
        return built[-1]

    return build


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch) -> Callable[[Factory], None]:
    """Make the CLI build its services with a factory of the test's."""

    def install(factory: Factory) -> None:
        monkeypatch.setattr(cli_common, "service_factory", factory)

    return install


@pytest.fixture
def simulated(use: Callable[[Factory], None]) -> None:
    use(service)


@pytest.fixture
def outage(use: Callable[[Factory], None]) -> None:
    use(lambda: service(error_rate=1.0))


def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(cli.app, list(args), env=env, input=stdin, prog_name="flight-agent")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def one_line_error(result: Result, code: int = 2) -> str:
    """The single stderr line of a command that failed with ``code`` and printed no data."""
    assert result.exit_code == code
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    return result.stderr.strip()


def test_version_prints_the_name_and_version() -> None:
    """--version answers before any command, exit 0."""
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"flight-agent {flight_agent.__version__}\n"


@pytest.mark.parametrize("command", [["status", "BA117"], ["health"], ["run"], ["chat"]])
def test_an_invalid_setting_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: list[str]
) -> None:
    """A setting the environment gets wrong stops every command before it starts."""
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("FLIGHT_AGENT_MOCK_SEED", "abc")
    assert one_line_error(invoke(*command)).startswith(
        "Invalid setting (environment or .env): flight_agent_mock_seed 'abc': Input should be a "
        "valid integer"
    )


@pytest.mark.parametrize(
    "url",
    [
        pytest.param("https://cache:hunter2@example.com", id="http-scheme"),
        pytest.param("redis://:hunter2@cache:notaport/0", id="port-not-a-number"),
        pytest.param("redis://:hunter2", id="password-without-host"),
    ],
)
def test_a_redis_url_that_is_not_redis_is_one_line_and_exit_2(
    use: Callable[[Factory], None], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str
) -> None:
    """Refused with the other settings, before any service is built: the line names the setting
    and the forms it takes, never the URL or its password."""
    built: list[EnhancedFlightMonitoringService] = []
    use(recording(default_service, built))
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("REDIS_URL", url)
    result = invoke("status", "BA117")
    assert one_line_error(result).startswith(
        "Invalid setting (environment or .env): redis_url: not a Redis URL; use redis://"
    )
    assert "hunter2" not in result.output
    assert built == []


def test_a_dotenv_that_is_not_text_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A binary .env is a setting problem like any other."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_bytes(b"FLIGHT_AGENT_MOCK_SEED=\xff\xfe\n")
    assert one_line_error(invoke("status", "BA117")) == "Invalid setting: .env is not UTF-8 text"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param([], "Missing command. Try 'flight-agent --help' for help.", id="no-command"),
        pytest.param(
            ["departures"],
            "No such command 'departures'. Try 'flight-agent --help' for help.",
            id="unknown-command",
        ),
        pytest.param(
            ["status"],
            "Missing argument 'flights'. Try 'flight-agent status --help' for help.",
            id="missing-argument",
        ),
        pytest.param(
            ["status", "BA117", "--bogus"],
            "No such option: --bogus. Try 'flight-agent status --help' for help.",
            id="unknown-option",
        ),
        pytest.param(
            ["watch", "BA117", "--speed", "0"],
            "Invalid value for '--speed': Input should be greater than or equal to 1. Try "
            "'flight-agent watch --help' for help.",
            id="out-of-range",
        ),
        pytest.param(
            ["mcp", "--transport", "pigeon"],
            "Invalid value for '--transport': Value error, 'pigeon' is not one of 'stdio', 'http'. "
            "Try 'flight-agent mcp --help' for help.",
            id="not-a-choice",
        ),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(
    use: Callable[[Factory], None], args: list[str], message: str
) -> None:
    """Click's usage errors keep their exit code (2) but not the usage and the box: one line,
    saying where help is; no service is built."""
    built: list[EnhancedFlightMonitoringService] = []
    use(recording(service, built))
    assert one_line_error(invoke(*args)) == message
    assert built == []


@pytest.mark.usefixtures("simulated")
def test_status_prints_a_table() -> None:
    """One row per flight, exit 0."""
    result = invoke("status", "BA117", "AA100", "--date", DAY)
    assert result.exit_code == 0
    assert "LHR-JFK" in result.stdout
    assert "JFK-LHR" in result.stdout


@pytest.mark.usefixtures("simulated")
def test_status_json_is_the_list_of_payloads() -> None:
    """--json prints the flight results, parseable and nothing else on stdout."""
    result = invoke("status", "BA117", "--date", DAY, "--origin", "LHR", "--json")
    assert result.exit_code == 0
    [payload] = json.loads(result.stdout)
    assert payload["flight"]["flight_id"] == "BA117"
    assert payload["query"]["date"] == DAY
    assert payload["stale"] is False


@pytest.mark.usefixtures("simulated")
def test_status_of_an_unknown_flight_exits_1() -> None:
    """The known flight still prints; the unknown one is a line on stderr."""
    result = invoke("status", "BA117", "ZZ9999", "--date", DAY, "--json")
    assert result.exit_code == 1
    assert [p["flight"]["flight_id"] for p in json.loads(result.stdout)] == ["BA117"]
    assert "ZZ9999: No provider knows ZZ9999" in result.stderr


@pytest.mark.usefixtures("simulated")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["B"], "flight_number 'B': has the wrong format", id="designator"),
        pytest.param(["BA117", "--date", "2026-02-30"], "not a calendar date", id="date"),
        pytest.param(["BA117", "--date", "soon"], "date 'soon': has the wrong format", id="word"),
        pytest.param(["BA117", "--origin", "L1"], "origin 'L1'", id="origin"),
    ],
)
def test_status_with_bad_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    """A clear line on stderr, no traceback, nothing on stdout."""
    result = invoke("status", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.usefixtures("outage")
def test_status_with_every_provider_down_exits_3() -> None:
    """No answer and nothing cached: exit 3 and what each provider did."""
    result = invoke("status", "BA117", "--date", DAY)
    assert result.exit_code == 3
    assert "every provider failed (Simulated: unavailable) and nothing is cached" in result.stderr


@pytest.mark.parametrize(
    ("attempts", "summary"),
    [
        pytest.param(
            [("AeroAPI", "timeout")] * 3 + [("Simulated", "unavailable")],
            "AeroAPI: timeout x3; Simulated: unavailable",
            id="repeated",
        ),
        pytest.param(
            [("AeroAPI", "timeout"), ("Simulated", "auth"), ("AeroAPI", "unavailable")],
            "AeroAPI: timeout, unavailable; Simulated: auth",
            id="mixed",
        ),
    ],
)
def test_a_total_outage_names_each_provider_once(
    attempts: list[tuple[str, str]], summary: str
) -> None:
    """Retries of one provider are counted, not repeated; providers in the order tried."""
    error = AllProvidersFailedError(
        "no provider could answer",
        attempts=[Attempt(provider=provider, outcome=outcome) for provider, outcome in attempts],
    )
    assert (
        cli_common.error_text(error) == f"every provider failed ({summary}) and nothing is cached"
    )


def test_status_prints_a_stale_copy_flagged_and_exits_0(use: Callable[[Factory], None]) -> None:
    """During an outage the last copy is shown, marked stale, and counts as an answer."""
    clock = FakeClock(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    cache = MemoryCache(clock=clock)
    error_rates = iter([0.0, 1.0, 1.0])
    use(lambda: service(error_rate=next(error_rates), clock=clock, cache=cache))
    assert invoke("status", "BA117", "--date", "2026-12-05").exit_code == 0
    clock.advance(2 * 3600)  # past the cached answer's freshness, within its stale period
    result = invoke("status", "BA117", "--date", "2026-12-05", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["stale"] is True
    human = invoke("status", "BA117", "--date", "2026-12-05")
    assert human.exit_code == 0
    assert "STALE" in human.stdout


def fits_80_columns(text: str) -> list[str]:
    """The lines of ``text``, checked to fit 80 columns with no cell cut short ('…')."""
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in text
    return lines


@pytest.mark.parametrize("command", ["status", "batch"])
def test_flight_tables_fit_80_columns(use: Callable[[Factory], None], command: str) -> None:
    """On an 80-column terminal every row stays readable, each flight id whole on its line."""
    scenarios = {"BA117": "major_delay", "AA100": "diverted", "LH400": "cancelled"}
    use(lambda: service(scenarios=scenarios))
    result = invoke(command, *scenarios, "ZZ9999", "--date", DAY, env={"COLUMNS": "80"})
    assert result.exit_code == 1
    lines = fits_80_columns(result.stdout)
    for flight in scenarios:
        assert any(flight in line.split() for line in lines)


async def test_a_crowded_row_still_fits_80_columns() -> None:
    """A stale flight diverted to BDL, leaving after midnight, from a long-named provider: within
    80 columns, times local at the origin, the later day spelt out."""
    provider = MockFlightDataProvider("AeroAPI (simulated outage)")
    record = await provider.get_flight_status("AA100", date.fromisoformat(DAY))
    assert record is not None
    assert record.scheduled_out is not None
    late = record.scheduled_out + timedelta(hours=9)
    record = record.model_copy(
        update={
            "estimated_out": late,
            "actual_out": None,
            "departure_delay_minutes": 540,
            "status": FlightStatus.DIVERTED,
            "diverted_to": get_airport("BDL"),
            "stale": True,
        }
    )
    query = ResolvedFlight(flight_number="AA100", date=record.flight_date, date_note="as given")
    answer = FlightStatusResult(query=query, flight=record, data_age_seconds=60, stale=True)
    failed = BatchItem(index=1, error_kind="invalid_query", error="line 2: expected FLIGHT")
    batch = BatchStatusResult.of([BatchItem(index=0, query=query, flight=record), failed])
    console = Console(width=80, record=True)
    console.print(cli_render.status_table([answer]))
    console.print(cli_render.batch_table(batch))
    text = console.export_text()
    fits_80_columns(text)
    scheduled, estimated = (record.departure_local(t) for t in (record.scheduled_out, late))
    row = rf"AA100\s+JFK-LHR\s+{scheduled:%m-%d %H:%M}\s+{estimated:%m-%d %H:%M}\s+diverted"
    assert re.search(rf"^{row}", text, re.MULTILINE)
    assert re.search(rf"^1\s+{row}", text, re.MULTILINE)
    assert "BDL" in text  # where it went, in the status cell
    assert "STALE" in text


@pytest.mark.usefixtures("simulated")
def test_batch_of_arguments_prints_a_table_with_counts() -> None:
    """Every flight a row, the counts below."""
    result = invoke("batch", "BA117", "AA100", "--date", DAY)
    assert result.exit_code == 0
    assert "2 found, 0 without an answer, 0 stale" in result.stdout


@pytest.mark.usefixtures("simulated")
def test_batch_from_a_file_reads_dates_and_origins(tmp_path: Path) -> None:
    """Comments (whole lines or after a flight) and blank lines skipped; per-line date and
    origin; --date for the rest."""
    path = tmp_path / "flights.txt"
    path.write_text(f"# today's departures\nBA117,{DAY}  # early\n\nAA100,,JFK\nZZ9999\n", "utf-8")
    result = invoke("batch", "--file", str(path), "--date", DAY, "--json")
    assert result.exit_code == 1  # ZZ9999 is unknown
    payload = json.loads(result.stdout)
    assert (payload["found"], payload["failed"]) == (2, 1)
    items = payload["items"]
    assert [item["query"]["flight_number"] for item in items] == ["BA117", "AA100", "ZZ9999"]
    assert items[1]["query"]["origin"] == "JFK"
    assert all(item["query"]["date"] == DAY for item in items)
    assert items[2]["error_kind"] == "not_found"


@pytest.mark.usefixtures("simulated")
def test_a_large_batch_answers_every_flight_with_a_progress_bar() -> None:
    """Over the threshold the batch still answers in order (the bar is on stderr)."""
    flights = [f"BA{100 + n}" for n in range(cli.PROGRESS_THRESHOLD + 5)]
    result = invoke("batch", *flights, "--date", DAY, "--json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["found"] == len(flights)
    assert [item["index"] for item in payload["items"]] == list(range(len(flights)))


BAD_LINES = "BA117\nB\n# a comment\nBA117,2026-11-29,LHR,extra\nAA100\n"
"""Two good lines around two bad ones: a malformed designator, a fourth column."""


@pytest.mark.usefixtures("simulated")
def test_a_bad_line_is_a_failed_row_and_every_other_line_is_answered(tmp_path: Path) -> None:
    """One failure spoils no other: a bad line is an invalid_query item naming its line number
    and what is wrong; the exit code is 2, as for any bad input."""
    path = tmp_path / "flights.txt"
    path.write_text(BAD_LINES, "utf-8")
    result = invoke("batch", "--file", str(path), "--date", DAY, "--json")
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert (payload["found"], payload["failed"]) == (2, 2)
    first, designator, columns, last = payload["items"]
    assert (first["flight"]["flight_id"], last["flight"]["flight_id"]) == ("BA117", "AA100")
    for item in (designator, columns):
        assert (item["query"], item["flight"], item["error_kind"]) == (None, None, "invalid_query")
    assert designator["error"].startswith(
        "line 2: Invalid input: flight_number 'B': has the wrong format"
    )
    assert columns["error"] == (
        "line 4: expected FLIGHT[,DATE[,ORIGIN]], got 'BA117,2026-11-29,LHR,extra'"
    )


@pytest.mark.usefixtures("simulated")
def test_the_batch_table_shows_a_bad_line_as_a_row_and_says_why_below(tmp_path: Path) -> None:
    """The row says 'invalid query'; the line under the table has the reason in full."""
    path = tmp_path / "flights.txt"
    path.write_text(BAD_LINES, "utf-8")
    result = invoke("batch", "--file", str(path), "--date", DAY, env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "2 found, 2 without an answer, 0 stale" in result.stdout
    assert re.search(r"^2\s+-\s+-\s+-\s+-\s+invalid query\s*$", result.stdout, re.MULTILINE)
    assert "#2: line 2: Invalid input: flight_number 'B'" in result.stdout
    assert "#3: line 4: expected FLIGHT[,DATE[,ORIGIN]]" in result.stdout


@pytest.mark.usefixtures("simulated")
def test_a_bad_designator_in_a_batch_is_a_failed_row() -> None:
    """Designators given as arguments are answered the same way: the good ones still are."""
    result = invoke("batch", "B", "BA117", "--date", DAY, "--json")
    assert result.exit_code == 2
    bad, good = json.loads(result.stdout)["items"]
    assert bad["error_kind"] == "invalid_query"
    assert bad["error"].startswith("Invalid input: flight_number 'B'")
    assert good["flight"]["flight_id"] == "BA117"


def written(content: bytes) -> Callable[[Path], Path]:
    """Makes a file holding ``content`` in a folder."""

    def make(folder: Path) -> Path:
        path = folder / "input.txt"
        path.write_bytes(content)
        return path

    return make


@pytest.mark.usefixtures("simulated")
@pytest.mark.parametrize("command", [["batch", "--file"], ["assess"]])
@pytest.mark.parametrize(
    ("make", "problem"),
    [
        pytest.param(
            lambda folder: folder / "nowhere.txt",
            "cannot read the file: No such file or directory",
            id="missing",
        ),
        pytest.param(lambda folder: folder, "cannot read the file: Is a directory", id="folder"),
        pytest.param(
            written(b"\xff\xfeBA117\n"), "cannot read the file: it is not UTF-8 text", id="binary"
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_line_and_exit_2(
    tmp_path: Path, command: list[str], make: Callable[[Path], Path], problem: str
) -> None:
    """The file and why it cannot be read, nothing else."""
    path = make(tmp_path)
    assert one_line_error(invoke(*command, str(path))) == f"{path}: {problem}"


@pytest.mark.usefixtures("simulated")
@pytest.mark.parametrize("content", ["", "# nothing to see\n\n"])
def test_a_batch_file_without_flights_is_one_line_and_exit_2(tmp_path: Path, content: str) -> None:
    """Empty, or only comments and blank lines."""
    path = tmp_path / "flights.txt"
    path.write_text(content, "utf-8")
    assert one_line_error(invoke("batch", "--file", str(path))) == f"{path}: no flights in the file"


@pytest.mark.usefixtures("simulated")
def test_batch_needs_flights_or_a_file_not_both(tmp_path: Path) -> None:
    """Exactly one source of flights, else exit 2."""
    path = tmp_path / "flights.txt"
    path.write_text("BA117\n", "utf-8")
    assert invoke("batch").exit_code == 2
    both = invoke("batch", "BA117", "--file", str(path))
    assert both.exit_code == 2
    assert "Give flight designators or --file PATH" in both.stderr


@pytest.mark.usefixtures("outage")
def test_batch_with_every_provider_down_exits_3() -> None:
    """The items say providers_down; the exit code says 3."""
    result = invoke("batch", "BA117", "AA100", "--date", DAY, "--json")
    assert result.exit_code == 3
    assert {item["error_kind"] for item in json.loads(result.stdout)["items"]} == {"providers_down"}


@pytest.mark.usefixtures("simulated")
def test_health_prints_the_providers() -> None:
    """A table with each provider's probe and state; JSON with the payload and the probes."""
    table = invoke("health", env={"COLUMNS": "120"})
    assert table.exit_code == 0
    assert re.search(r"^Simulated\s+ok \d+ ms\s+closed\s", table.stdout, re.MULTILINE)
    payload = json.loads(invoke("health", "--json").stdout)
    [provider] = payload["providers"]
    assert (provider["name"], provider["state"]) == ("Simulated", "closed")
    [probe] = payload["probes"]
    assert (probe["provider"], probe["healthy"]) == ("Simulated", True)


@pytest.mark.usefixtures("outage")
def test_health_with_no_provider_passing_its_probe_exits_3() -> None:
    """The probe's failure is named."""
    result = invoke("health", env={"COLUMNS": "120"})
    assert result.exit_code == 3
    assert "No provider passed its health probe (Simulated:" in result.stderr
    assert re.search(r"^Simulated\s+failed: simulated 503", result.stdout, re.MULTILINE)


class FastClock:
    """Wall time from ``start``, running ``speed`` times faster than real time."""

    def __init__(self, start: datetime, speed: float) -> None:
        self._start = start
        self._speed = speed
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(time.monotonic() - self._origin) * self._speed)

    def monotonic(self) -> float:
        return time.monotonic()


@pytest.fixture
def gate_change(use: Callable[[Factory], None]) -> None:
    """BA117 on 2026-11-28 shows a gate change at 07:35Z; the clock starts at 07:20Z, fast."""

    def factory() -> EnhancedFlightMonitoringService:
        clock = FastClock(datetime(2026, 11, 28, 7, 20, tzinfo=UTC), speed=1200)
        scenarios = {"BA117": "gate_change"}
        return service(clock=clock, scenarios=scenarios, check_interval=0.05)

    use(factory)


@pytest.mark.usefixtures("gate_change")
def test_watch_prints_changes_until_max_events() -> None:
    """The gate change arrives as a line; --max-events 1 ends the watch with exit 0."""
    result = invoke(
        "watch", "BA117", "--date", "2026-11-28", "--max-events", "1", "--timeout", "30"
    )
    assert result.exit_code == 0
    assert "Watching BA117 LHR->JFK 2026-11-28" in result.stderr
    [line] = result.stdout.strip().splitlines()
    assert "BA117 2026-11-28: departure gate" in line


@pytest.mark.usefixtures("gate_change")
def test_watch_json_prints_one_change_per_line() -> None:
    """JSON lines of change events."""
    args = ["BA117", "--date", "2026-11-28", "--max-events", "1", "--timeout", "30", "--json"]
    result = invoke("watch", *args)
    assert result.exit_code == 0
    [line] = result.stdout.strip().splitlines()
    change = json.loads(line)
    assert (change["kind"], change["flight_id"]) == ("gate", "BA117")


async def test_watching_ends_by_unwatching_only_the_flights_it_added() -> None:
    """A flight watched before (by another process sharing Redis) stays watched."""
    clock = FastClock(datetime(2026, 11, 28, 7, 20, tzinfo=UTC), speed=1200)
    watcher = service(clock=clock, scenarios={"BA117": "gate_change"}, check_interval=0.05)
    await watcher.start()
    day = date(2026, 11, 28)
    await watcher.watch("AA100", day)
    flights = [
        ResolvedFlight(flight_number=flight, date=day, date_note="as given")
        for flight in ("BA117", "AA100")
    ]
    seen: list[FlightChange] = []
    await cli_watch.follow(watcher, flights, seen.append, max_events=1, seconds=30)
    assert [change.flight_id for change in seen] == ["BA117"]
    assert [state.key for state in await watcher.watched()] == ["AA100:2026-11-28"]
    await watcher.aclose()


@pytest.mark.usefixtures("simulated")
def test_watch_ends_at_the_timeout() -> None:
    """No change in time: the watch stops, says so, exits 0."""
    result = invoke("watch", "BA117", "--date", DAY, "--timeout", "0.3")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "Stopped after 0.3 s, 0 change(s)." in result.stderr


@pytest.mark.usefixtures("simulated")
@pytest.mark.parametrize(
    ("args", "code"),
    [
        pytest.param(["ZZ9999", "--date", DAY], 1, id="unknown"),
        pytest.param(["B", "--date", DAY], 2, id="bad-designator"),
        pytest.param(["BA117", "--date", "2026-02-30"], 2, id="bad-date"),
    ],
)
def test_watch_refuses_flights_it_cannot_watch(args: list[str], code: int) -> None:
    """Nothing is watched; the exit code says why."""
    result = invoke("watch", *args, "--timeout", "5")
    assert result.exit_code == code
    assert result.stdout == ""


@pytest.mark.usefixtures("outage")
def test_watch_with_every_provider_down_exits_3() -> None:
    """A flight that cannot be checked cannot be watched."""
    result = invoke("watch", "BA117", "--date", DAY, "--timeout", "5")
    assert result.exit_code == 3


def test_watch_with_redis_down_exits_4_naming_redis(use: Callable[[Factory], None]) -> None:
    """The watched flights live in Redis: when it cannot be reached the watch ends with exit 4
    and a line naming the server, not "every provider failed" (3); no password is shown."""
    with socket.socket() as closed:  # bound, not listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

        def unreachable() -> EnhancedFlightMonitoringService:
            settings = Settings(redis_url=f"redis://:hunter2@127.0.0.1:{port}/0")
            provider = MockFlightDataProvider("Simulated")
            return EnhancedFlightMonitoringService(
                providers=[provider], cache=MemoryCache(), settings=settings
            )

        use(unreachable)
        result = invoke("watch", "BA117", "--date", DAY, "--timeout", "5")
    assert result.exit_code == 4
    last = result.stderr.splitlines()[-1]
    assert last.startswith(f"Redis at 127.0.0.1:{port} is unavailable")
    assert result.stderr.count(f"Redis at 127.0.0.1:{port}") >= 1
    assert "hunter2" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--transport", "pigeon"], id="transport"),
        pytest.param(["--transport", "http", "--port", "0"], id="port"),
    ],
)
def test_mcp_rejects_bad_options(args: list[str]) -> None:
    """Usage errors exit 2."""
    assert invoke("mcp", *args).exit_code == 2


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port: int = probe.getsockname()[1]
        return port


def test_mcp_over_http_off_loopback_needs_a_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without FLIGHT_AGENT_MCP_TOKEN it refuses to start, exit 2."""
    monkeypatch.delenv("FLIGHT_AGENT_MCP_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    result = invoke("mcp", "--transport", "http", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.exit_code == 2
    assert "FLIGHT_AGENT_MCP_TOKEN" in result.stderr


def test_mcp_on_a_port_in_use_is_one_line_and_exit_2() -> None:
    """Another server holds the port: one line naming it, exit 2, before the server starts."""
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        message = one_line_error(invoke("mcp", "--transport", "http", "--port", str(port)))
    assert message == f"Cannot serve MCP on 127.0.0.1:{port}: Address already in use"


def test_run_is_the_irops_agent_over_the_demo_itinerary() -> None:
    """The main job: the failover, the missed connection, the rebooking and the decision."""
    result = invoke("run")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "answered by Simulated backup after AeroAPI (simulated outage)" in out
    assert "missed" in out
    assert "[rebook-1] Rebook AA1830 (JFK-BOS) onto" in out  # ids print as text, not markup
    assert "Decision: approved" in out
    assert "UK261: GBP 520" in out


def test_run_can_reject_the_actions() -> None:
    """--reject answers the approval request with a rejection."""
    result = invoke("run", "--reject")
    assert result.exit_code == 0
    assert "Decision: rejected" in result.stdout


ITINERARY = f"""
itinerary:
  - flight_number: LH400
    date: "{DAY}"
cause: unknown
cancellation_notice_days: 3
"""


@pytest.mark.usefixtures("use")
def test_assess_judges_an_itinerary_file(use: Callable[[Factory], None], tmp_path: Path) -> None:
    """A cancelled leg told 3 days ahead: the cancellation and EU261's EUR 600, as JSON too."""
    use(lambda: service(scenarios={"LH400": "cancelled"}))
    path = tmp_path / "trip.yaml"
    path.write_text(ITINERARY, "utf-8")
    shown = invoke("assess", str(path))
    assert shown.exit_code == 0
    assert "cancellation" in shown.stdout
    assert "EU261: EUR 600" in " ".join(shown.stdout.split())
    data = json.loads(invoke("assess", str(path), "--json").stdout)
    [eu] = [r for r in data["assessment"]["rights"] if r["regime"] == "EU261"]
    assert eu["amount"] == 600


@pytest.mark.usefixtures("simulated")
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("itinerary: []", "itinerary", id="no-legs"),
        pytest.param("itinerary: [{flight_number: '../x'}]", "flight_number", id="bad-designator"),
        pytest.param("legs: [{flight_number: BA117}]", "legs", id="unknown-key"),
        pytest.param("itinerary: [", ":1:13: expected the node content", id="not-yaml"),
        pytest.param("", "expected the legs under 'itinerary:', e.g. itinerary:", id="empty"),
        pytest.param("BA117 AA100", "expected the legs under 'itinerary:'", id="not-a-mapping"),
    ],
)
def test_assess_refuses_a_bad_file_with_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    """A malformed itinerary file: one line saying what is wrong, exit 2."""
    path = tmp_path / "trip.yaml"
    path.write_text(content, "utf-8")
    assert expected in one_line_error(invoke("assess", str(path)))


@pytest.mark.usefixtures("simulated")
def test_assess_names_the_line_and_column_of_a_yaml_error(tmp_path: Path) -> None:
    """file:line:column (from 1) and PyYAML's problem, like a compiler's message."""
    path = tmp_path / "trip.yaml"
    path.write_text("itinerary:\n  - flight_number: BA117\n    date: x: y\n", "utf-8")
    message = one_line_error(invoke("assess", str(path)))
    assert message == f"{path}:3:12: mapping values are not allowed here"


def test_assess_reads_a_date_written_without_quotes(
    use: Callable[[Factory], None], tmp_path: Path
) -> None:
    """YAML would make 2026-12-05 a date object; the leg gets the text, as written."""
    use(lambda: service(scenarios={"LH400": "cancelled"}))
    path = tmp_path / "trip.yaml"
    path.write_text(f"itinerary:\n  - flight_number: LH400\n    date: {DAY}\n", "utf-8")
    result = invoke("assess", str(path), "--json")
    assert result.exit_code == 0
    [leg] = json.loads(result.stdout)["statuses"]["items"]
    assert (leg["query"]["date"], leg["flight"]["status"]) == (DAY, "cancelled")


def test_chat_answers_until_exit() -> None:
    """The REPL answers a question with the offline model and leaves on 'exit'."""
    result = CliRunner().invoke(cli.app, ["chat"], input="which providers are up?\nexit\n")
    assert result.exit_code == 0
    assert "agent>" in result.stdout


@pytest.mark.parametrize("command", ["run", "chat"])
@pytest.mark.parametrize(
    ("model", "message"),
    [
        pytest.param("nonsense:xyz", "Unknown chat model 'nonsense:xyz': use", id="provider"),
        pytest.param("xyz", "Unknown chat model 'xyz': use 'provider:model'", id="no-provider"),
        pytest.param(
            "mistralai:foo",
            "The provider package for chat model 'mistralai:foo' is not installed",
            id="package",
            marks=pytest.mark.skipif(
                find_spec("langchain_mistralai") is not None, reason="langchain-mistralai is here"
            ),
        ),
        pytest.param(
            "openai:gpt-4.1-mini",
            "Chat model 'openai:gpt-4.1-mini' cannot start (OpenAIError): set OPENAI_API_KEY, "
            "or unset FLIGHT_AGENT_MODEL to use the offline model.",
            id="key",
        ),
    ],
)
def test_a_model_that_cannot_start_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, model: str, message: str
) -> None:
    """FLIGHT_AGENT_MODEL names a model that cannot be built: why and how to fix it, before
    any other output."""
    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv("FLIGHT_AGENT_MODEL", model)
    for key in ("OPENAI_API_KEY", "OPENAI_ADMIN_KEY"):
        monkeypatch.delenv(key, raising=False)
    assert one_line_error(invoke(command, stdin="hello\n")).startswith(message)


@pytest.fixture
def defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The CLI's own service, from an environment with no provider key and no Redis."""
    monkeypatch.chdir(tmp_path)  # no .env
    for name in (
        "FLIGHTAWARE_API_KEY",
        "AERODATABOX_API_KEY",
        "AVIATIONSTACK_API_KEY",
        "REDIS_URL",
        "FLIGHT_AGENT_MOCK_SEED",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("defaults")
def test_scenarios_lists_the_flights_disrupted_the_same_way_every_day() -> None:
    """A table to try the other commands on; --json gives the pinned numbers."""
    table = invoke("scenarios")
    assert table.exit_code == 0
    text = " ".join(table.stdout.split())
    assert "BA117 LHR-JFK major delay 3 h 30 late" in text
    assert "QR1 DOH-LHR diverted diverted to London Stansted (STN)" in text
    assert "BA9999 - not found" in text
    entries = {entry["flight"]: entry for entry in json.loads(invoke("scenarios", "--json").stdout)}
    assert " ".join(entries) == "BA117 AA1830 LH400 BA456 AF1080 QR1 BA1440 BA9999"
    ba117, qr1, ba9999 = entries["BA117"], entries["QR1"], entries["BA9999"]
    assert (ba117["route"], ba117["scenario"], ba117["delay_minutes"]) == (
        "LHR-JFK",
        "major_delay",
        210,
    )
    assert (qr1["diverted_to"], ba9999["route"], ba9999["scenario"]) == ("STN", None, "not_found")


@pytest.mark.usefixtures("defaults")
def test_status_on_the_embedded_defaults_shows_the_showcase() -> None:
    """Without keys, BA117 is 3 h 30 late and LH400 cancelled, as `scenarios` says."""
    result = invoke("status", "BA117", "LH400", "--date", DAY, "--json")
    assert result.exit_code == 0
    ba117, lh400 = (payload["flight"] for payload in json.loads(result.stdout))
    assert (ba117["departure_delay_minutes"], ba117["source"]) == (210, "Simulated")
    assert lh400["status"] == "cancelled"


@pytest.mark.usefixtures("defaults")
def test_watch_with_speed_replays_the_day_to_the_first_change_within_seconds() -> None:
    """At 600x BA1440's gate change, 10 simulated minutes into the replay, comes in a second."""
    started = time.monotonic()
    args = ["BA1440", "--date", DAY, "--speed", "600", "--max-events", "1", "--timeout", "20"]
    result = invoke("watch", *args)
    assert result.exit_code == 0
    notes = " ".join(result.stderr.split())
    assert f"Replaying simulated time 600x faster from {DAY}" in notes
    assert "60 min before the first departure" in notes
    assert f"Watching BA1440 LHR->EDI {DAY}: SCHEDULED" in notes
    [line] = result.stdout.strip().splitlines()
    assert re.fullmatch(rf"\d\d:1\d:\d\dZ BA1440 {DAY}: departure gate \w+ \(was \w+\)", line)
    assert time.monotonic() - started < 10


@pytest.mark.usefixtures("defaults")
@pytest.mark.parametrize(
    ("env", "speed", "message"),
    [
        pytest.param(
            {"AERODATABOX_API_KEY": "a-key"},
            "60",
            "--speed replays simulated flights and cannot speed up live data: "
            "unset AERODATABOX_API_KEY or leave out --speed.",
            id="live-key",
        ),
        pytest.param({}, "0.5", "Invalid value for '--speed'", id="slower-than-real-time"),
    ],
)
def test_watch_with_speed_refuses_live_data_and_slow_motion(
    env: dict[str, str], speed: str, message: str
) -> None:
    """--speed needs simulated data and a speed of at least 1: exit 2, nothing watched."""
    result = invoke("watch", "BA117", "--speed", speed, env=env)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert result.stdout == ""
