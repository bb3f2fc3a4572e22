"""The desk's MCP tools: trips and cases next to the flight tools, writes annotated as such."""

from __future__ import annotations

import pytest
from mcp.shared.memory import create_connected_server_and_client_session

from flight_agent.apps.mcp_desk import DeskSlot
from flight_agent.apps.mcp_server import InsecureBindError, build_mcp_server
from tests.graphs.desk.conftest import TRIPS, desks_on, simulated_day, trip_request

WRITES = {"add_trip", "remove_trip", "decide_case"}


async def test_the_desk_tools_are_listed_with_their_write_annotations() -> None:
    with simulated_day() as day, desks_on(day, None) as (desk,):
        server = build_mcp_server(day.service, desk=DeskSlot(desk))
        async with create_connected_server_and_client_session(server) as session:
            listed = {tool.name: tool for tool in (await session.list_tools()).tools}
    desk_tools = {
        "add_trip",
        "list_trips",
        "get_trip",
        "remove_trip",
        "list_cases",
        "get_case",
        "decide_case",
    }
    assert desk_tools <= set(listed)
    for name in desk_tools:
        hints = listed[name].annotations
        assert hints is not None
        assert hints.readOnlyHint is (name not in WRITES)
    assert listed["remove_trip"].annotations.destructiveHint is True  # type: ignore[union-attr]


async def test_a_trip_is_added_and_its_case_decided_over_mcp() -> None:
    with simulated_day() as day, desks_on(day, None) as (desk,):
        server = build_mcp_server(day.service, desk=DeskSlot(desk))
        async with create_connected_server_and_client_session(server) as session:
            added = await session.call_tool("add_trip", trip_request("meyer", TRIPS["meyer"]))
            assert not added.isError, added.content
            assert added.structuredContent is not None
            assert added.structuredContent["id"] == "meyer"
            day.run(day.workers([desk]))
            cases = await session.call_tool("list_cases", {"status": "awaiting_approval"})
            assert cases.structuredContent is not None
            assert [c["id"] for c in cases.structuredContent["cases"]] == ["meyer~1"]
            shown = await session.call_tool("get_case", {"case_id": "meyer~1"})
            assert shown.structuredContent is not None
            found = shown.structuredContent["findings"]["disruptions"]
            assert [d["disruption"]["kind"] for d in found] == ["cancellation"]

            decided = await session.call_tool(
                "decide_case",
                {"case_id": "meyer~1", "decision": "approve", "actions": ["notify-1"]},
            )
            again = await session.call_tool(
                "decide_case", {"case_id": "meyer~1", "decision": "reject"}
            )
            unknown = await session.call_tool("get_case", {"case_id": "nobody~1"})

    assert decided.structuredContent is not None
    assert decided.structuredContent["status"] == "approved"
    assert again.isError
    assert "a case takes one decision" in again.content[0].text
    assert unknown.isError
    assert "cases list" in unknown.content[0].text


def test_off_loopback_the_desk_tools_need_the_token_like_every_tool() -> None:
    server = build_mcp_server(host="0.0.0.0", token="", desk=DeskSlot())
    with pytest.raises(InsecureBindError, match="FLIGHT_AGENT_MCP_TOKEN"):
        server.streamable_http_app()
