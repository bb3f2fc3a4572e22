"""``python -m evals``: score a chat model's turns over the eval splits and write a report.

Examples:
    python -m evals                                  # the offline model, dev and held-out
    python -m evals --model openai:gpt-4.1-mini      # any model select_model can build
    python -m evals --split heldout --concurrency 8 --report /tmp/report.json
    python -m evals --dataset my_cases.jsonl --no-trajectory

Prints a table per split (passed by meaning, exact, tool selection, latency and tokens, per
category and overall) and writes the JSON report: ``{"model", "concurrency", "splits": {split:
{"overall", "categories", "failures", "trajectory", "results"}}}``.

An unreadable dataset, a model that cannot be built (unknown, its package or key missing) or a
trajectory check without agentevals stops the run before it starts, and a model failing
mid-run (a refused key, the network) stops it then: one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.dataset import EvalCase, Split, load_cases
from evals.runner import ModelFailedError, Report, run_eval
from evals.scoring import Summary
from evals.trajectory import AgentevalsMissingError, require_agentevals
from graphs.models import ModelSelectionError, model_failure, select_model

DEFAULT_REPORT = Path("evals/report.json")
SPLIT_CHOICES: dict[str, tuple[Split, ...]] = {
    "dev": ("dev",),
    "heldout": ("heldout",),
    "all": ("dev", "heldout"),
}
"""What ``--split`` may say, and the splits each runs."""


def _tokens(summary: Summary) -> str:
    counts = (summary.input_tokens, summary.output_tokens)
    return "-" if None in counts else "/".join(f"{count:,}" for count in counts)


def _row(name: str, summary: Summary) -> list[str]:
    rates = (summary.passed, summary.exact, summary.tool_selection)
    return [
        name,
        str(summary.cases),
        *(f"{rate:.0%}" for rate in rates),
        f"{summary.latency_s:.1f}",
        _tokens(summary),
    ]


COLUMNS = ("category", "cases", "passed", "exact", "tools", "seconds", "tokens in/out")
LEGEND = (
    "passed: by meaning, or by behaviour without a call; exact: arguments as written; "
    "tools: tool selection; seconds and tokens: the model's, summed"
)


def tables(report: Report) -> list[Table]:
    """Per split, rates per category and overall as percentages, with the seconds and tokens
    the model spent."""
    found = []
    for split, section in report.splits.items():
        grid = Table(title=f"Tool-call evals: {report.model}, {split} split", caption=LEGEND)
        for column in COLUMNS:
            grid.add_column(
                column, justify="left" if column == "category" else "right", no_wrap=True
            )
        for name, summary in [*section.categories.items(), ("overall", section.overall)]:
            grid.add_row(*_row(name, summary))
        found.append(grid)
    return found


def cannot_start(model: str, *, trajectory: bool) -> str | None:
    """Why a run of ``model`` cannot start, or None when it can."""
    try:
        select_model(model)
    except ModelSelectionError as error:
        return str(error)
    except Exception as error:  # the provider's package refused it, e.g. without an API key
        return f"Chat model {model!r} cannot be built: {error}"
    if trajectory:
        try:
            require_agentevals()
        except AgentevalsMissingError as error:
            return f"{error}, or pass --no-trajectory."
    return None


def refuse(problem: str) -> int:
    """Say what is wrong in one line on stderr; the exit status for bad input."""
    sys.stderr.write(f"python -m evals: {' '.join(problem.split())}\n")
    return 2


def _load(label: str, path: Path | None, split: Split = "dev") -> list[EvalCase]:
    try:
        return load_cases(path, split=split)
    except (OSError, ValueError) as error:
        raise ValueError(f"dataset {label}: {error}") from error


def load_splits(choice: str, dataset: Path | None) -> dict[str, list[EvalCase]]:
    """The cases to run by split: the file ``dataset`` alone (named by its stem), else the
    split(s) ``choice`` names.

    Raises:
        ValueError: A file cannot be read or is not a valid dataset; the message names it.
    """
    if dataset is not None:
        return {dataset.stem: _load(str(dataset), dataset)}
    return {name: _load(f"{name} split", None, name) for name in SPLIT_CHOICES[choice]}


def positive(text: str) -> int:
    """An argument that must be a whole number above zero."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    options = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0])
    options.add_argument(
        "--model", default="offline", help="'offline' or provider:model, e.g. openai:gpt-4.1-mini"
    )
    cases = options.add_mutually_exclusive_group()
    cases.add_argument(
        "--split", choices=list(SPLIT_CHOICES), default="all", help="which cases (default all)"
    )
    cases.add_argument("--dataset", type=Path, default=None, help="a dataset file instead")
    options.add_argument(
        "--concurrency",
        type=positive,
        default=None,
        help="cases at once (default 4 for a provider's model, 1 offline)",
    )
    options.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="JSON report path")
    options.add_argument(
        "--no-trajectory", action="store_true", help="skip the full-loop trajectory check"
    )
    return options


def main(argv: list[str] | None = None) -> int:
    """Run the evals; 0 when every trajectory check passed, 1 when one failed, 2 when the run
    cannot start or the model fails."""
    options = parser().parse_args(argv)
    trajectory = not options.no_trajectory
    try:
        splits = load_splits(options.split, options.dataset)
    except ValueError as error:
        return refuse(str(error))
    problem = cannot_start(options.model, trajectory=trajectory)
    if problem is not None:
        return refuse(problem)
    try:
        report = run_eval(
            splits, options.model, trajectory=trajectory, concurrency=options.concurrency
        )
    except ModelFailedError as error:
        cause = error.__cause__ if isinstance(error.__cause__, Exception) else error
        return refuse(f"case {error.case_id}: {model_failure(cause, options.model)}")
    console = Console()
    for grid in tables(report):
        console.print(grid)
    journeys = [journey for section in report.splits.values() for journey in section.trajectory]
    for journey in journeys:
        verdict = "ok" if journey.passed else "FAILED"
        console.print(f"trajectory {journey.id}: {verdict} ({', '.join(journey.tool_calls)})")
    options.report.parent.mkdir(parents=True, exist_ok=True)
    options.report.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(f"report: {options.report}")
    return 0 if all(journey.passed for journey in journeys) else 1


if __name__ == "__main__":
    raise SystemExit(main())
