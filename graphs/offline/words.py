"""Short English words that are also codes: 'lax' is Los Angeles, 'for' is no airport.

Travellers type codes in lower case ('lhr to jfk', 'sas 1467', 'at lax'), and almost every
three-letter English word is some airport's or airline's code too ('all', 'bus', 'can', 'due').
A lower-case token reads as a code only when it is not one of these words (and a word saying
what it is to the trip comes with it, ``graphs.offline.places``). The list holds the words a
message about flights is likely to carry, chat shorthand included; a rarer word that is also a
code ('lax') reads as the code.
"""

from __future__ import annotations

_TWO_LETTER = """
a an am as at be by do go he hi if in is it me my no of oh ok on or pm so to up us we ya yo
"""
_THREE_LETTER = """
the and for are but not you all any can had her was one our out day get has him his how man
new now old see two way who boy did its let put say she too use act add age ago aid aim air art
ask bad bag bar bed bet big bit box bus buy car cat cut dad die dog dry due eat egg end eye far
fee few fit fix fly fun gas god got gun guy hat hit hot ice ill job key kid lay leg lie lot low
mad map may men met mix mom net nor odd off oil own pay per pet pop pot ran raw red rid row run
sad sea set sit six sky son tax tea ten tie tip top toy try war wet win yes yet via etc
yep yup nah pls plz thx btw lol omg fyi idk imo tho ure min hrs sec eta etd pax ops hey huh meh
ugh aha wow arr dep std sta atd ata pnr flt why non pre pro tbc tbd msg sts dly cxl
fog icy atc gap hub lag led log max mid rep spa vip bay bat ash arm bin bug cap eve hop law pad
pin sub sum tag van dim cue mum gov don abs ing ins inf alt num err ack
jan feb mar apr jun jul aug sep oct nov dec mon tue wed thu fri sat sun tmr tmw
"""
SHORT_WORDS = frozenset(_TWO_LETTER.split()) | frozenset(_THREE_LETTER.split())
"""Two- and three-letter English words, chat shorthand ('pls', 'btw', 'eta') and the
short names of months and weekdays ('dec', 'fri')."""


def is_plain_word(token: str) -> bool:
    """Whether a short lower-case token reads as an English word rather than a code."""
    return token.lower() in SHORT_WORDS
