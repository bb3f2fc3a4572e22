"""Tool-call evaluation suite: does a chat model call the right tools with the right arguments?

``dataset.jsonl`` holds the cases (``evals.dataset``); ``run_eval`` runs them through a model
bound to the real tools' schemas and scores tool selection and arguments per category
(``evals.scoring``), and runs a few cases end to end on the simulated toolkit for an agentevals
trajectory check (``evals.trajectory``). ``python -m evals`` prints the table and writes
``evals/report.json``.
"""

from evals.dataset import CATEGORIES, EvalCase, load_cases
from evals.runner import Report, run_eval
from evals.scoring import CaseScore, Summary

__all__ = ["CATEGORIES", "CaseScore", "EvalCase", "Report", "Summary", "load_cases", "run_eval"]
