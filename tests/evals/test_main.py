"""``python -m evals`` refuses what it cannot run, or a model that fails, with one line and exit
status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from evals import __main__ as command
from evals import dataset, runner
from evals.__main__ import main
from evals.scripted_api import ScriptedChatServer

ONE_CASE = resources.files("evals").joinpath("dataset.jsonl").read_text("utf-8").splitlines()[0]
"""The first case of the dataset, which is also a trajectory case."""


def refusal(capsys: pytest.CaptureFixture[str], argv: list[str], report: Path) -> str:
    """Run ``python -m evals argv`` expecting a refusal; the one stderr line it gave."""
    assert main([*argv, "--report", str(report)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert not report.exists()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("python -m evals: ")
    return lines[0]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(None, "No such file", id="missing"),
        pytest.param('{"id": "x"}\n', "dataset line 1", id="bad-case"),
    ],
)
def test_an_unreadable_dataset_is_one_line(
    content: str | None, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The line names the dataset and what is wrong with it."""
    dataset = tmp_path / "cases.jsonl"
    if content is not None:
        dataset.write_text(content, encoding="utf-8")
    line = refusal(capsys, ["--dataset", str(dataset)], tmp_path / "report.json")
    assert str(dataset) in line
    assert expected in line


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        pytest.param("openai:gpt-4.1-mini", "OPENAI_API_KEY", id="no-api-key"),
        pytest.param("nosuch:model", "Unknown chat model 'nosuch:model'", id="unknown-provider"),
        pytest.param("gibberish", "Unknown chat model 'gibberish'", id="unknown-model"),
    ],
)
def test_a_model_that_cannot_be_built_is_one_line(
    model: str,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No key, unknown provider or model: what is wrong, before any case runs."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    line = refusal(capsys, ["--model", model], tmp_path / "report.json")
    assert expected in line


def test_without_langchain_a_model_names_the_llm_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provider model needs LangChain; the line says how to install it."""
    monkeypatch.setitem(sys.modules, "langchain.chat_models", None)
    line = refusal(capsys, ["--model", "openai:gpt-4.1-mini"], tmp_path / "report.json")
    assert "pip install 'flight-agent[llm]'" in line


def test_a_provider_refusing_to_build_its_model_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a provider's package raises while building the model becomes the line."""

    def refuse(name: str) -> None:
        raise RuntimeError("The api_key client option must be set\nby passing api_key")

    monkeypatch.setattr(command, "select_model", refuse)
    line = refusal(capsys, ["--model", "acme:model-1"], tmp_path / "report.json")
    assert line == (
        "python -m evals: Chat model 'acme:model-1' cannot be built: "
        "The api_key client option must be set by passing api_key"
    )


def test_the_trajectory_check_without_agentevals_names_the_evals_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The line says how to install agentevals, or how to skip the check."""
    monkeypatch.setitem(sys.modules, "agentevals", None)
    line = refusal(capsys, ["--model", "offline"], tmp_path / "report.json")
    assert "pip install 'flight-agent[evals]'" in line
    assert "--no-trajectory" in line


def test_evals_run_without_agentevals_when_trajectories_are_skipped(tmp_path: Path) -> None:
    """A plain install (no ``evals`` extra) imports evals and scores cases with --no-trajectory."""
    dataset = tmp_path / "dataset.jsonl"
    dataset.write_text(ONE_CASE + "\n", encoding="utf-8")
    report = tmp_path / "report.json"
    script = (
        "import sys; sys.modules['agentevals'] = None\n"
        "from evals.__main__ import main\n"
        f"raise SystemExit(main(['--no-trajectory', '--dataset', {str(dataset)!r},"
        f" '--report', {str(report)!r}]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert report.exists()


def test_a_missing_split_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every split of ``--split all`` must be readable; the line names the one that is not."""
    monkeypatch.setitem(dataset.SPLITS, "heldout", "no-such-split.jsonl")
    line = refusal(capsys, ["--no-trajectory"], tmp_path / "report.json")
    assert "dataset heldout split" in line
    assert "No such file" in line


def test_a_model_failing_mid_run_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A provider error on a case (here a 500) stops the run: the case, the model, what failed
    and what to check, and no report."""
    cases = tmp_path / "cases.jsonl"
    cases.write_text(ONE_CASE + "\n", encoding="utf-8")
    with ScriptedChatServer([]) as server:
        model = server.openai_model()
        monkeypatch.setattr(command, "select_model", lambda name: model)
        monkeypatch.setattr(runner, "select_model", lambda name: model)
        argv = ["--model", "acme:model-1", "--dataset", str(cases), "--no-trajectory"]
        line = refusal(capsys, argv, tmp_path / "report.json")
    case_id = json.loads(ONE_CASE)["id"]
    assert line.startswith(f"python -m evals: case {case_id}: Chat model 'acme:model-1' failed (")
    assert line.endswith(
        ", HTTP 500): check its API key, the model name and the network, "
        "or unset FLIGHT_AGENT_MODEL to use the offline model."
    )


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["--concurrency", "0"], "must be at least 1", id="no-concurrency"),
        pytest.param(["--split", "test"], "invalid choice: 'test'", id="unknown-split"),
        pytest.param(
            ["--split", "dev", "--dataset", "cases.jsonl"],
            "not allowed with argument --split",
            id="split-and-dataset",
        ),
    ],
)
def test_options_that_make_no_sense_are_usage_errors(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Bad options stop the run before anything loads, with the usage and exit status 2."""
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    assert expected in capsys.readouterr().err
