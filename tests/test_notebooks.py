"""The notebooks in ``notebooks/`` run top to bottom, offline, and are committed executed.

Each notebook runs in a fresh ``python3`` kernel of this interpreter (the venv), with
``notebooks/`` as its working directory; any cell error fails the test. The committed files must
carry their outputs, so readers see results without running anything.

Re-execute and save them after changing a notebook or the code it shows::

    .venv/bin/python tests/test_notebooks.py
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

import pytest

try:
    import nbformat
    from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient
    from nbformat import NotebookNode

    for kernel_side in ("ipykernel", "matplotlib"):
        if importlib.util.find_spec(kernel_side) is None:
            raise ModuleNotFoundError(f"No module named {kernel_side!r}", name=kernel_side)
except ImportError as missing:
    if os.environ.get("CI") == "true":
        raise
    pytest.skip(
        f"NOTEBOOK TESTS SKIPPED: {missing.name} is not installed "
        "(nbclient, nbformat, ipykernel, matplotlib)",
        allow_module_level=True,
    )

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ("01_providers_and_failover", "02_tools", "03_irops_agent")
CELL_TIMEOUT = 120
BUDGET_SECONDS = 60.0
"""All notebooks together must run well within this (each takes a few seconds)."""


def notebook_path(name: str) -> Path:
    return NOTEBOOKS / f"{name}.ipynb"


def execute(notebook: NotebookNode) -> NotebookNode:
    """Run every cell in a new kernel of this interpreter; raise on the first cell error.

    The kernel spec manager only knows the native kernel, which starts ``sys.executable``
    (the venv's Python), whatever kernels the machine has installed.
    """
    specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
    manager = AsyncKernelManager(kernel_name=NATIVE_KERNEL_NAME, kernel_spec_manager=specs)
    client = NotebookClient(
        notebook,
        km=manager,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        record_timing=False,
        shutdown_kernel="immediate",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    # A client given a kernel manager leaves the kernel running unless told to clean up.
    return client.execute(cleanup_kc=True)


def code_cells(notebook: NotebookNode) -> list[NotebookNode]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


@pytest.fixture(scope="module")
def timings() -> dict[str, float]:
    """Seconds each notebook took, shared so the last test can check the total."""
    return {}


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_notebook_was_saved_executed(name: str) -> None:
    """Every code cell of the committed file ran, in order, and the notebook shows outputs."""
    notebook = nbformat.read(notebook_path(name), as_version=4)
    cells = code_cells(notebook)
    assert cells, f"{name} has no code cells"
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{name} was not saved after a full run"
    assert sum(bool(cell.outputs) for cell in cells) >= len(cells) // 2, f"{name} lacks outputs"
    errors = [out for cell in cells for out in cell.outputs if out.output_type == "error"]
    assert not errors, f"{name} was saved with an error output"


@pytest.mark.parametrize("name", NAMES)
def test_the_notebook_runs_without_errors(name: str, timings: dict[str, float]) -> None:
    """A fresh kernel runs every cell; a failing cell fails the test with its traceback."""
    notebook = nbformat.read(notebook_path(name), as_version=4)
    started = time.perf_counter()
    executed = execute(notebook)
    timings[name] = time.perf_counter() - started
    assert all(cell.execution_count for cell in code_cells(executed))


def test_the_notebooks_run_quickly(timings: dict[str, float]) -> None:
    """Together the notebooks stay well inside the time budget (offline, virtual time)."""
    if len(timings) < len(NAMES):
        pytest.skip("not every notebook ran in this session")
    assert sum(timings.values()) < BUDGET_SECONDS, timings


def save_executed(names: tuple[str, ...] = NAMES) -> None:
    """Execute each notebook and write it back with its outputs."""
    for name in names:
        path = notebook_path(name)
        executed = execute(nbformat.read(path, as_version=4))
        nbformat.write(executed, path)
        sys.stdout.write(f"saved {path.relative_to(NOTEBOOKS.parent)}\n")


if __name__ == "__main__":
    save_executed(tuple(sys.argv[1:]) or NAMES)
