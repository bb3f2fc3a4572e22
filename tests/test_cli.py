"""The command line: every command on the service, JSON for scripts, one-line errors, exit codes."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from flight_agent import cli, cli_watch
from flight_agent.cache import MemoryCache
from flight_agent.clock import SYSTEM_CLOCK, Clock, FakeClock
from flight_agent.monitoring import FlightChange
from flight_agent.providers import MockFlightDataProvider
from flight_agent.providers.failover_config import FailoverConfig
from flight_agent.services import EnhancedFlightMonitoringService
from flight_agent.settings import Settings
from tools.payloads import ResolvedFlight

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


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch) -> Callable[[Factory], None]:
    """Make the CLI build its services with a factory of the test's."""

    def install(factory: Factory) -> None:
        monkeypatch.setattr(cli, "service_factory", factory)

    return install


@pytest.fixture
def simulated(use: Callable[[Factory], None]) -> None:
    use(service)


@pytest.fixture
def outage(use: Callable[[Factory], None]) -> None:
    use(lambda: service(error_rate=1.0))


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(cli.app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


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
    assert "every provider failed (Simulated unavailable)" in result.stderr


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


@pytest.mark.usefixtures("simulated")
def test_batch_of_arguments_prints_a_table_with_counts() -> None:
    """Every flight a row, the counts below."""
    result = invoke("batch", "BA117", "AA100", "--date", DAY)
    assert result.exit_code == 0
    assert "2 found, 0 without an answer, 0 stale" in result.stdout


@pytest.mark.usefixtures("simulated")
def test_batch_from_a_file_reads_dates_and_origins(tmp_path: Path) -> None:
    """Comments and blank lines skipped; per-line date and origin; --date for the rest."""
    path = tmp_path / "flights.txt"
    path.write_text(f"# today's departures\nBA117,{DAY}\n\nAA100,,JFK\nZZ9999\n", "utf-8")
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


@pytest.mark.usefixtures("simulated")
@pytest.mark.parametrize(
    ("lines", "message"),
    [
        pytest.param(
            "BA117,2026-11-29,LHR,extra\n", ":1: expected FLIGHT[,DATE[,ORIGIN]]", id="cols"
        ),
        pytest.param("# nothing\n", "no flights in the file", id="empty"),
        pytest.param("BA117\nB\n", ":2: Invalid input: flight_number 'B'", id="designator"),
    ],
)
def test_a_bad_file_exits_2_naming_the_line(tmp_path: Path, lines: str, message: str) -> None:
    """The file and line number, then what is wrong."""
    path = tmp_path / "flights.txt"
    path.write_text(lines, "utf-8")
    result = invoke("batch", "--file", str(path))
    assert result.exit_code == 2
    assert message in result.stderr


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
    """A table with the provider's state; JSON with the payload."""
    table = invoke("health")
    assert table.exit_code == 0
    assert "Simulated" in table.stdout
    assert "closed" in table.stdout
    payload = json.loads(invoke("health", "--json").stdout)
    [provider] = payload["providers"]
    assert (provider["name"], provider["state"]) == ("Simulated", "closed")


@pytest.mark.usefixtures("outage")
def test_health_with_no_provider_passing_its_probe_exits_3() -> None:
    """The probe's failure is named."""
    result = invoke("health")
    assert result.exit_code == 3
    assert "No provider passed its health probe (Simulated:" in result.stderr


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


def test_mcp_over_http_off_loopback_needs_a_token(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without FLIGHT_AGENT_MCP_TOKEN it refuses to start, exit 2."""
    monkeypatch.delenv("FLIGHT_AGENT_MCP_TOKEN", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env
    result = invoke("mcp", "--transport", "http", "--host", "0.0.0.0")
    assert result.exit_code == 2
    assert "FLIGHT_AGENT_MCP_TOKEN" in result.stderr


def test_run_is_the_irops_agent_over_the_demo_itinerary() -> None:
    """The main job: the failover, the missed connection, the rebooking and the decision."""
    result = invoke("run")
    assert result.exit_code == 0
    out = " ".join(result.stdout.split())
    assert "answered by Simulated backup after AeroAPI (simulated outage)" in out
    assert "missed" in out
    assert "Rebook AA1830 (JFK-BOS) onto" in out
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
        pytest.param("itinerary: [", "cannot read", id="not-yaml"),
    ],
)
def test_assess_refuses_a_bad_file_with_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    """A malformed itinerary file: one line saying what is wrong, exit 2."""
    path = tmp_path / "trip.yaml"
    path.write_text(content, "utf-8")
    result = invoke("assess", str(path))
    assert result.exit_code == 2
    assert expected in result.stderr


def test_chat_answers_until_exit() -> None:
    """The REPL answers a question with the offline model and leaves on 'exit'."""
    result = CliRunner().invoke(cli.app, ["chat"], input="which providers are up?\nexit\n")
    assert result.exit_code == 0
    assert "agent>" in result.stdout
