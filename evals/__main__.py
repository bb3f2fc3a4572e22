"""``python -m evals``: score a chat model's tool calls over the dataset and write a report.

Examples:
    python -m evals                                  # the offline model
    python -m evals --model openai:gpt-4.1-mini      # any model select_model can build
    python -m evals --report /tmp/report.json --no-trajectory

An unreadable dataset, a model that cannot be built (unknown, its package or key missing) or a
trajectory check without agentevals stops the run before it starts, with one line on stderr and
exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from evals.dataset import load_cases
from evals.runner import Report, report_json, run_eval
from evals.trajectory import AgentevalsMissingError, require_agentevals
from graphs.models import ModelSelectionError, select_model

DEFAULT_REPORT = Path("evals/report.json")


def table(report: Report) -> Table:
    """Rates per category and overall, as percentages."""
    grid = Table(title=f"Tool-call evals: {report.model}")
    for column in ("category", "cases", "tool selection", "args exact", "args subset", "passed"):
        grid.add_column(column, justify="left" if column == "category" else "right")
    rows = [*report.categories.items(), ("overall", report.overall)]
    for name, summary in rows:
        grid.add_row(
            name,
            str(summary.cases),
            *(
                f"{rate:.0%}"
                for rate in (
                    summary.tool_selection,
                    summary.args_exact,
                    summary.args_subset,
                    summary.passed,
                )
            ),
        )
    return grid


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


def main(argv: list[str] | None = None) -> int:
    """Run the evals; 0 when every trajectory check passed, 1 when one failed, 2 on bad input."""
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--model", default="offline", help="'offline' or provider:model, e.g. openai:gpt-4.1-mini"
    )
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT, help="JSON report path")
    parser.add_argument("--dataset", type=Path, default=None, help="another dataset.jsonl")
    parser.add_argument(
        "--no-trajectory", action="store_true", help="skip the full-loop trajectory check"
    )
    options = parser.parse_args(argv)
    try:
        cases = load_cases(options.dataset)
    except (OSError, ValueError) as error:
        return refuse(f"dataset {options.dataset}: {error}")
    problem = cannot_start(options.model, trajectory=not options.no_trajectory)
    if problem is not None:
        return refuse(problem)
    report = run_eval(cases, options.model, trajectory=not options.no_trajectory)
    console = Console()
    console.print(table(report))
    for journey in report.trajectory:
        verdict = "ok" if journey.passed else "FAILED"
        console.print(f"trajectory {journey.id}: {verdict} ({', '.join(journey.tool_calls)})")
    options.report.parent.mkdir(parents=True, exist_ok=True)
    options.report.write_text(json.dumps(report_json(report), indent=2) + "\n", encoding="utf-8")
    console.print(f"report: {options.report}")
    return 0 if all(journey.passed for journey in report.trajectory) else 1


if __name__ == "__main__":
    raise SystemExit(main())
