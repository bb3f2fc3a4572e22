"""The human approval step, in LangChain's human-in-the-loop format.

The interrupt's value is a ``HITLRequest``, the request ``HumanInTheLoopMiddleware`` raises, so
Agent Chat UI, Agent Inbox and LangGraph Studio can show and answer it: one action request per
recommendation (what it would do, as ``args``) and, in the same order, the decisions it allows.
For a person reading the raw interrupt it also carries a ``question``, ``how_to_answer`` and,
after an answer that could not be applied, the ``error``::

    {
        "action_requests": [
            {"name": "notify_traveller", "args": {"id": "notify-1", "message": "LH400 ..."},
             "description": "Notify the traveller: LH400 ..."},
            {"name": "rebook",
             "args": {"id": "rebook-1", "flight": "LH400", "onto": "LH9825",
                      "departs": "2026-11-29T09:45Z", "arrives": "2026-11-29T17:55Z",
                      "origin": "FRA", "destination": "JFK"},
             "description": "Rebook LH400 (FRA-JFK) onto LH9825 departing 2026-11-29 09:45Z"},
        ],
        "review_configs": [
            {"action_name": "notify_traveller", "allowed_decisions": ["approve", "edit", "reject"],
             "args_schema": {...}},
            {"action_name": "rebook", "allowed_decisions": ["approve", "edit", "reject"],
             "args_schema": {...}},
        ],
        "question": "Approve these actions for the traveller?",
        "how_to_answer": "...",
    }

The answer is a ``HITLResponse``, one decision per action request in order: approve, reject
(with an optional reason) or edit (a notification's ``message``; a rebooking's ``onto``, another
of the alternatives found for that leg). The simple forms work too: ``"approve"``, ``"reject"``,
``True``, ``False`` and ``{"approve": ["rebook-1", ...]}``. An answer that cannot be applied
changes nothing: the graph pauses again with the ``error`` saying why.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

from langgraph.types import interrupt
from typing_extensions import TypedDict  # pydantic reads typing's TypedDict on 3.12+ only

from flight_agent.errors import InvalidFlightQueryError
from flight_agent.models import ScheduledFlight
from graphs.report import Recommendation

Outcome = Literal["approved", "rejected"]
"""The overall decision: approved when at least one action is (an edited one counts)."""

DecisionType = Literal["approve", "edit", "reject"]

EDITABLE = {"notify_traveller": "message", "rebook": "onto"}
"""The one argument of each action a human may change."""

RESUME_HELP = (
    'Resume with Command(resume={"decisions": [...]}), one decision per action request, in '
    'order: {"type": "approve"}, {"type": "reject", "message": "why"} or {"type": "edit", '
    '"edited_action": {"name": <the action>, "args": <its args, with "message" changed for '
    'notify_traveller or "onto" for rebook (one of the alternatives its args_schema lists)>}}. '
    'Or simply Command(resume="approve"), Command(resume="reject"), or '
    'Command(resume={"approve": ["rebook-1", ...]}) to approve only some actions.'
)


class ActionRequest(TypedDict):
    """An action for review, as LangChain's ``ActionRequest``."""

    name: str
    args: dict[str, Any]
    description: NotRequired[str]


class ReviewConfig(TypedDict):
    """What a reviewer may decide about an action, as LangChain's ``ReviewConfig``."""

    action_name: str
    allowed_decisions: list[DecisionType]
    args_schema: NotRequired[dict[str, Any]]


class HITLRequest(TypedDict):
    """The actions to review, as LangChain's ``HITLRequest``."""

    action_requests: list[ActionRequest]
    review_configs: list[ReviewConfig]


class ApprovalRequest(HITLRequest):
    """The interrupt's value: a ``HITLRequest`` with help for a person reading it raw."""

    question: str
    how_to_answer: str
    error: NotRequired[str]


def ask_for_approval(
    recommendations: list[Recommendation],
) -> tuple[list[Recommendation], Outcome]:
    """Pause the graph until a human answers; an answer that cannot be applied asks again.

    Returns:
        The recommendations as decided (approved, edited or rejected), and the overall decision.
    """
    request = approval_request(recommendations)
    while True:
        answer = interrupt(request)
        try:
            return apply_answer(recommendations, answer)
        except InvalidFlightQueryError as error:
            request = {**request, "error": error.message}


def approval_request(recommendations: list[Recommendation]) -> ApprovalRequest:
    """The interrupt's value for these recommendations."""
    return {
        "question": "Approve these actions for the traveller?",
        "action_requests": [
            {"name": r.action, "args": action_args(r), "description": r.description}
            for r in recommendations
        ],
        "review_configs": [review_config(r) for r in recommendations],
        "how_to_answer": RESUME_HELP,
    }


def action_args(recommendation: Recommendation) -> dict[str, Any]:
    """What the action would do, as a reviewer sees and edits it (JSON values)."""
    r = recommendation
    if r.action == "notify_traveller":
        return {"id": r.id, "message": r.message}
    args: dict[str, Any] = {"id": r.id, "flight": r.flight}
    if r.alternative is not None:
        args |= {
            "onto": r.alternative.ident,
            "departs": f"{r.alternative.scheduled_out:%Y-%m-%dT%H:%MZ}",
            "arrives": f"{r.alternative.scheduled_in:%Y-%m-%dT%H:%MZ}",
            "origin": r.alternative.origin.code,
            "destination": r.alternative.destination.code,
        }
    return args


def allowed_decisions(recommendation: Recommendation) -> list[DecisionType]:
    """Approve and reject always; edit unless it is a rebooking with nothing to choose from."""
    if recommendation.action == "rebook" and not recommendation.options:
        return ["approve", "reject"]
    return ["approve", "edit", "reject"]


def review_config(recommendation: Recommendation) -> ReviewConfig:
    """The decisions the action allows and, when it can be edited, what an edit may change."""
    allowed = allowed_decisions(recommendation)
    config: ReviewConfig = {"action_name": recommendation.action, "allowed_decisions": allowed}
    if "edit" in allowed:
        config["args_schema"] = _edit_schema(recommendation)
    return config


def _edit_schema(recommendation: Recommendation) -> dict[str, Any]:
    """A JSON schema of the editable argument (the other arguments stay as they are)."""
    if recommendation.action == "notify_traveller":
        field = {"type": "string", "minLength": 1, "description": "The text the traveller gets"}
    else:
        field = {
            "type": "string",
            "enum": [flight.ident for flight in recommendation.options],
            "description": f"The flight to rebook onto: {_offered(recommendation.options)}",
        }
    return {"type": "object", "properties": {EDITABLE[recommendation.action]: field}}


def apply_answer(
    recommendations: list[Recommendation], answer: Any
) -> tuple[list[Recommendation], Outcome]:
    """The recommendations as the resume value decides them, and the overall decision.

    Raises:
        InvalidFlightQueryError: The answer is none of the accepted forms, or cannot be
            applied (which it says, naming each action concerned).
    """
    if isinstance(answer, dict) and "decisions" in answer:
        decided = apply_decisions(recommendations, answer["decisions"])
    else:
        decided = apply_simple(recommendations, answer)
    return decided, "approved" if any(r.approved for r in decided) else "rejected"


def apply_simple(recommendations: list[Recommendation], answer: Any) -> list[Recommendation]:
    """Approve all, none, or the actions named in ``{"approve": [ids]}``.

    Raises:
        InvalidFlightQueryError: The answer is none of the simple forms, or names an action
            that does not exist.
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
    return [
        r.model_copy(
            update={
                "approved": r.id in chosen,
                "decision": "approve" if r.id in chosen else "reject",
            }
        )
        for r in recommendations
    ]


def apply_decisions(recommendations: list[Recommendation], decisions: Any) -> list[Recommendation]:
    """Apply the HITL decisions, one per recommendation in order; all of them or none.

    Raises:
        InvalidFlightQueryError: Not one decision per action, or decisions that cannot be
            applied, every one named with what is wrong with it.
    """
    ids = ", ".join(r.id for r in recommendations)
    if not isinstance(decisions, list) or len(decisions) != len(recommendations):
        got = f"{len(decisions)}" if isinstance(decisions, list) else f"{decisions!r}"
        raise InvalidFlightQueryError(
            f"Send {len(recommendations)} decisions, one per action request in order "
            f"({ids}); got {got}."
        )
    decided, problems = [], []
    for recommendation, decision in zip(recommendations, decisions, strict=True):
        try:
            decided.append(decide(recommendation, decision))
        except InvalidFlightQueryError as error:
            problems.append(f"{recommendation.id}: {error.message}")
    if problems:
        raise InvalidFlightQueryError(f"Nothing was applied; {'; '.join(problems)}.")
    return decided


def decide(recommendation: Recommendation, decision: Any) -> Recommendation:
    """The recommendation as one HITL decision leaves it.

    Raises:
        InvalidFlightQueryError: The decision is malformed or not allowed for this action.
    """
    allowed = allowed_decisions(recommendation)
    kind = decision.get("type") if isinstance(decision, dict) else None
    if kind is None:
        raise InvalidFlightQueryError(
            f'a decision is an object such as {{"type": "approve"}}, not {decision!r}'
        )
    if kind not in allowed:
        raise InvalidFlightQueryError(f"{kind!r} is not allowed (allowed: {', '.join(allowed)})")
    if kind == "approve":
        return recommendation.model_copy(update={"approved": True, "decision": "approve"})
    if kind == "reject":
        return _rejected(recommendation, decision.get("message"))
    return _edited(recommendation, decision.get("edited_action"))


def _rejected(recommendation: Recommendation, reason: Any) -> Recommendation:
    if reason is not None and not isinstance(reason, str):
        raise InvalidFlightQueryError(
            f"a rejection's message is the reason as text, not {reason!r}"
        )
    return recommendation.model_copy(
        update={"approved": False, "decision": "reject", "decision_note": reason or None}
    )


def _edited(recommendation: Recommendation, edited: Any) -> Recommendation:
    """The recommendation with its one editable argument changed, approved as edited.

    Other arguments may be sent back as they were or as the edit makes them (a reviewer
    choosing another flight may leave its old departure time, or update it).
    """
    name = recommendation.action
    if not isinstance(edited, dict) or not isinstance(edited.get("args"), dict):
        raise InvalidFlightQueryError(
            f'an edit carries "edited_action": {{"name": "{name}", "args": {{...}}}}'
        )
    if edited.get("name") != name:
        raise InvalidFlightQueryError(f"an edit may not turn {name} into {edited.get('name')!r}")
    args: dict[Any, Any] = edited["args"]
    before = action_args(recommendation)
    if unknown := [key for key in args if key not in before]:
        raise InvalidFlightQueryError(
            f"{unknown} are not arguments of {name} (its arguments: {', '.join(before)})"
        )
    field = EDITABLE[name]
    changed = _with_value(recommendation, args.get(field, before[field]))
    after = action_args(changed)
    others = [key for key in args if key != field]
    if fixed := [key for key in others if args[key] not in (before[key], after[key])]:
        raise InvalidFlightQueryError(f"only {field!r} may be edited, not {fixed}")
    return changed.model_copy(update={"approved": True, "decision": "edit"})


def _with_value(recommendation: Recommendation, value: Any) -> Recommendation:
    """The notification with a new message, or the rebooking onto another offered flight."""
    if recommendation.action == "notify_traveller":
        if not isinstance(value, str) or not value.strip():
            raise InvalidFlightQueryError(f"the message must be the text to send, not {value!r}")
        return recommendation.notifying(value)
    choice = next((f for f in recommendation.options if f.ident == value), None)
    if choice is None:
        raise InvalidFlightQueryError(
            f"{value!r} is not an alternative offered for {recommendation.flight}; choose one "
            f"of {_offered(recommendation.options)}"
        )
    return recommendation.rebooked_onto(choice)


def _offered(options: list[ScheduledFlight]) -> str:
    return ", ".join(f"{f.ident} (departs {f.scheduled_out:%Y-%m-%d %H:%MZ})" for f in options)
