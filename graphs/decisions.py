"""The human approval step: what the interrupt asks and how the answer is applied."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.types import interrupt

from flight_agent.errors import InvalidFlightQueryError
from graphs.report import Recommendation

Decision = Literal["approved", "rejected"]

RESUME_HELP = (
    'Resume with Command(resume="approve"), Command(resume="reject"), or '
    'Command(resume={"approve": ["rebook-1", ...]}) to approve only some actions.'
)


def ask_for_approval(
    recommendations: list[Recommendation],
) -> tuple[list[Recommendation], Decision]:
    """Pause the graph until a human answers; an unreadable answer asks again, saying why.

    Returns:
        The recommendations marked approved or not, and the overall decision.
    """
    request: dict[str, Any] = {
        "question": "Approve these actions for the traveller?",
        "actions": [
            r.model_dump(mode="json", include={"id", "action", "description"})
            for r in recommendations
        ],
        "how_to_answer": RESUME_HELP,
    }
    while True:
        answer = interrupt(request)
        try:
            return apply_decision(recommendations, answer)
        except InvalidFlightQueryError as error:
            request = {**request, "error": error.message}


def apply_decision(
    recommendations: list[Recommendation], answer: Any
) -> tuple[list[Recommendation], Decision]:
    """Mark each action approved or not from the resume value.

    Raises:
        InvalidFlightQueryError: The answer is none of the accepted forms, or names an
            action that does not exist.
    """
    ids = {r.id for r in recommendations}
    if answer in ("approve", True):
        chosen = ids
    elif answer in ("reject", False):
        chosen = set()
    elif isinstance(answer, dict) and isinstance(answer.get("approve"), list):
        chosen = {str(item) for item in answer["approve"]}
        if unknown := chosen - ids:
            raise InvalidFlightQueryError(
                f"Unknown action ids {sorted(unknown)}; the actions are {sorted(ids)}."
            )
    else:
        raise InvalidFlightQueryError(f"Cannot read the approval {answer!r}. {RESUME_HELP}")
    decided = [r.model_copy(update={"approved": r.id in chosen}) for r in recommendations]
    return decided, "approved" if chosen else "rejected"
