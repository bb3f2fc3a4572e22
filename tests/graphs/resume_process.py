"""One process of a durable IROPS thread, for the cross-process resume tests.

``python -m tests.graphs.resume_process start|resume sqlite|postgres TARGET THREAD_ID``
(from the repository root) runs the demo trip (``graphs.demo``) on a fake clock, with the
offline model and a durable checkpointer: TARGET is the SQLite file or the PostgreSQL URL.

- ``start`` runs the graph to the approval interrupt and prints the interrupt's value as JSON.
- ``resume`` answers the interrupt of the thread with "approve" and prints the report as JSON.

Every process builds the same graph over the same inputs (``trip_graph``), so a thread started
in one process resumes in another as if nothing had happened in between. Warnings (LangGraph's
deserialization warnings among them) go to stderr with their logger's name.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from contextlib import AbstractContextManager
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from flight_agent.clock import FakeClock
from graphs import postgres_checkpointer, sqlite_checkpointer
from graphs.demo import demo_itinerary, demo_service
from graphs.irops_graph import IropsInput, build_irops_graph
from graphs.models import select_model

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
"""The time every process of the thread runs at."""
TRIP: IropsInput = {"itinerary": demo_itinerary(NOW.date() + dt.timedelta(days=1))}
"""The demo trip, the day after ``NOW``: a missed connection to rebook."""


def trip_graph(checkpointer: BaseCheckpointSaver[Any]) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The IROPS graph over the demo service at ``NOW``, with the offline model."""
    clock = FakeClock(NOW)
    return build_irops_graph(
        select_model("offline", clock=clock),
        service=demo_service(clock=clock),
        checkpointer=checkpointer,
    )


def main() -> None:
    """Run one step of the thread and print its outcome as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["start", "resume"])
    parser.add_argument("backend", choices=["sqlite", "postgres"])
    parser.add_argument("target", help="The SQLite file or the PostgreSQL URL")
    parser.add_argument("thread_id")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(name)s %(levelname)s %(message)s")
    config: RunnableConfig = {"configurable": {"thread_id": args.thread_id}}
    opened: AbstractContextManager[BaseCheckpointSaver[Any]]
    if args.backend == "sqlite":
        opened = sqlite_checkpointer(args.target)
    else:
        opened = postgres_checkpointer(args.target)
    with opened as checkpointer:
        graph = trip_graph(checkpointer)
        if args.mode == "start":
            [request] = graph.invoke(TRIP, config)["__interrupt__"]
            sys.stdout.write(json.dumps(request.value) + "\n")
        else:
            done = graph.invoke(Command(resume="approve"), config)
            sys.stdout.write(done["report"].model_dump_json() + "\n")


if __name__ == "__main__":
    main()
