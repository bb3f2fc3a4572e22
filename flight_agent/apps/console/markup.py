"""The console's HTML: every value escaped unless it is already ``Markup``.

jinja2 is not a dependency of the project, and the console's pages are a few small fragments,
so this module is the whole template engine: ``html(template, **values)`` fills ``{name}``
placeholders of a literal template with the values escaped (``&``, ``<``, ``>``, both quotes),
except values that are ``Markup`` already (fragments this module built). Whatever a provider,
a model or a traveller wrote therefore reaches the page as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape


class Markup(str):
    """HTML that is safe to insert as is: built by ``html`` or ``join`` only."""

    __slots__ = ()


def text(value: object) -> Markup:
    """``value`` as HTML text: escaped (a ``Markup`` stays as it is; None is empty)."""
    if isinstance(value, Markup):
        return value
    return Markup("" if value is None else escape(str(value), quote=True))


def html(template: str, /, **values: object) -> Markup:
    """The template with each ``{name}`` replaced by its value as HTML text.

    The template itself is trusted: pass only literals written here.
    """
    return Markup(template.format_map({name: text(value) for name, value in values.items()}))


def join(fragments: Iterable[Markup], separator: str = "") -> Markup:
    """Fragments one after the other."""
    return Markup(separator.join(text(fragment) for fragment in fragments))
