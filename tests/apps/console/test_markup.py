"""The console's HTML helper: values are text, fragments it built are kept."""

from __future__ import annotations

from flight_agent.apps.console.markup import Markup, html, join, text


def test_values_are_escaped_inside_elements_and_attributes() -> None:
    hostile = "\"><script>alert('x')</script>&"

    built = html('<td title="{value}">{value}</td>', value=hostile)

    assert built == (
        '<td title="&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;">'
        "&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;</td>"
    )


def test_fragments_built_here_are_inserted_as_they_are_and_none_is_empty() -> None:
    cells = join(html("<td>{v}</td>", v=v) for v in ("<b>", None))

    row = html("<tr>{cells}</tr>", cells=cells)

    assert row == "<tr><td>&lt;b&gt;</td><td></td></tr>"
    assert isinstance(row, Markup)
    assert text(Markup("<br>")) == "<br>"
    assert text("<br>") == "&lt;br&gt;"
