"""Turns that ask nothing of the tools: a greeting or a thank-you gets a short, friendly reply.

'hi', 'hello, can you help me?' or 'what can you do?' open a conversation; 'great, thanks,
that's all!' closes one. Neither is out of scope, so neither gets the refusal that other text
without a flight question gets; each is answered with what the assistant can do.
"""

from __future__ import annotations

import re

WELCOME = "You're welcome. If anything else comes up: "
THANKS = re.compile(
    r"\W*(?:(?:ok(?:ay)?|cool|great|perfect|brilliant|nice|got it|cheers|thanks?|thank you|thx|ty"
    r"|bye|that'?s (?:all|it)|no(?:pe)?|all good)\b[\s,.!]*(?:that'?s (?:all|it)|for now|a lot"
    r"|so much|very much|mate|again)?[\s,.!]*)+$",
    re.I,
)
"""A closing turn ('great, thanks, that's all!')."""
HELLO = "Hello. "
GREETING = re.compile(
    r"\W*(?:(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|help|what can you do"
    r"|(?:can|could) you help(?: me)?|how does this work|there|please)\b[\s,.!?]*)+$",
    re.I,
)
"""An opening turn ('hi', 'hello, can you help me?', 'what can you do?')."""


def small_talk(text: str) -> str | None:
    """The opening of the reply to a greeting or a thank-you; None for any other text."""
    if THANKS.match(text):
        return WELCOME
    if GREETING.match(text):
        return HELLO
    return None
