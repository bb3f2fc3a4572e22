"""What the offline assistant declines, and text that tries to instruct it.

``OFF_TOPICS`` are requests outside flight questions; some (``ALWAYS_DECLINED``) are declined
even beside a flight question, and come first when several topics match (``off_topic_of``);
one asked aside, in a clause of its own, is declined while the rest is answered
(``set_aside``). ``strip_instructions`` cuts out passages that try to steer the
assistant ("ignore previous instructions", "SYSTEM:", a tool's name, a pasted "[tool output]")
before anything is read.
"""

from __future__ import annotations

import re
from itertools import pairwise

OFF_TOPICS = {
    "translating or writing texts": r"\btranslat|\bwrite (?:me )?(?:some |a )?(?:code|an? essay"
    r"|python|script)\b|\bhomework\b",
    "weather forecasts": r"\bweather\b|\bforecast\b|\btemperature\b|\brain(?:ing)?\b"
    r"|\bis it (?:snowing|sunny|windy|cold|warm|hot)\b",
    "hotel bookings": r"\bhotels?\b|\broom\b|\baccommodation\b",
    "jokes, poems or stories": r"\bjokes?\b|\bpoem\b|\bsong\b|\bstory\b|\bfunny\b|\bhaiku\b",
    "restaurants and food": r"\brestaurants?\b|\brecipe\b|\bdinner\b|\bfood\b|\bcoffee\b"
    r"|\bbreakfast\b|\blunch\b|\b(?:where|place|somewhere|anywhere) (?:good )?to eat\b"
    r"|\beat(?:ing)? (?:at|in|near|around)\b",
    "travel advice (jet lag, packing, sightseeing)": r"\bjet ?lag\b|\btips\b"
    r"|\b(?:any|a) tip (?:for|on)\b|\bpacking\b|\bpack for\b|\bsightseeing\b"
    r"|\bthings to (?:do|see)\b",
    "frequent-flyer miles and points": r"\bavios\b|\bloyalty\b|\bfrequent[- ]?fl(?:y|i)er\b"
    r"|\bmileage\b|\b(?:tier|status) (?:points|credits)\b"
    r"|\b(?:earn|collect|accru|redeem|spend)\w*\b[^.?!]{0,30}\b(?:miles|points)\b",
    "ticket sales and fares": r"\bbuy (?:a |me )?(?:ticket|seat)"
    r"|\bhow much (?:is|are|does|do|would)\b[^.?!]{0,20}\b(?:tickets?|fares?|cost)\b"
    r"|\bbook (?:me )?(?:a |an )?(?:flight|ticket|seat)|\bcheapest\b|\bfares?\b|\bprices?\b",
    "getting around on the ground (trains, buses, taxis, car hire)": r"\bcar (?:hire|rental)\b"
    r"|\brent(?:al)? (?:me )?(?:a )?car\b|\btaxi\b|\buber\b|\btrains?\b|\brail(?:way)?\b"
    r"|\bbus(?:es)?\b|\bshuttle\b|\bsubway\b|\bunderground\b|\btube\b|\bferry\b"
    r"|\bdowntown\b|\bcity cent(?:re|er)\b|\beurostar\b|\bamtrak\b|\btgv\b|\bshinkansen\b",
    "visas and immigration": r"\bvisas?\b|\bpassport\b|\bimmigration\b",
    "customs and duty-free allowances": r"\bduty[- ]free\b|\bcustoms allowances?\b",
    "money and currency exchange": r"\bcurrenc(?:y|ies)\b|\bexchange rates?\b"
    r"|\bhow many (?:yen|euros?|dollars?|pounds?|rupees?|yuan|francs?|pesos?|baht)"
    r" (?:is|are|for|in|to)\s+(?:[0-9]|an? |one )"
    r"|\bconvert\b[^.?!]{0,25}\b(?:yen|euros?|dollars?|pounds?|rupees?|yuan|francs?)\b",
    "medical advice": r"\bpregnan\w*|\bmedic(?:al|ine|ation)\b|\bdoctor\b|\bfit to fly\b",
    "legal advice and court claims": r"\bcourts?\b|\b(?:to|i|we|help me|going to|gonna) sue\b"
    r"|\bsuing\b|\blaw ?suits?\b|\blawyers?\b|\bsolicitors?\b|\bjudge\b|\bclass action\b"
    r"|\blegal action\b",
    "what is on board (meals, wifi, pets)": r"\bwi-?fi\b|\bmeals?\b|\bsnacks?\b|\bdrinks\b"
    r"|\bvegetarian\b|\bentertainment\b|\b(?:dog|cat|pet)s?\b|\bpower (?:outlet|socket)s?\b",
    "check-in": r"\bcheck(?:ing)?[- ]in (?:online|desk|counter|time)|\bonline check-?in\b"
    r"|\bcheck(?:ing)?[- ]in\b[^.?!]{0,15}\bonline\b|\bboarding pass\b",
    "seats, lounges and baggage": r"\bseats?\b|\blounges?\b|\bbags?\b|\bbaggage\b|\bluggage\b"
    r"|\bupgrade\b|\bsuitcases?\b",
    "lost or delayed baggage": r"\b(?:bags?|baggage|luggage|suitcases?)\b[^.?!]{0,20}"
    r"\b(?:didn'?t|did not|never|hasn'?t|has not|not) (?:arrive|arrived|come|came|show|turn"
    r" up|make it)\b|\b(?:lost|missing|delayed|damaged|mishandled) (?:bags?|baggage|luggage"
    r"|suitcases?)\b|\b(?:bags?|baggage|luggage|suitcases?) (?:(?:is|are|was|were|got|has been"
    r"|have been) )?(?:still )?(?:lost|missing|damaged)\b",
    "security screening and what you may carry": r"\bknife\b|\bknives\b|\bweapons?\b|\bguns?\b"
    r"|\bsecurity (?:line|check|queue)\b|\bliquids?\b",
    "keys, passwords or how I am set up": r"\bapi[ _-]?keys?\b|\bpasswords?\b|\bsecrets?\b"
    r"|\bcredentials?\b|\btokens?\b|\bsystem prompt\b|\byour (?:prompt|instructions|config)",
    "acting for you (claims, bookings, contacting airlines)": r"\b(?:file|submit|lodge|send"
    r"|write|draft|fill (?:in|out))\b"
    r"[^.?!]{0,30}\b(?:claim|complaint|form)\b"
    r"|\b(?:issue|reissue|cancel|change)\b[^.?!]{0,25}\b(?:tickets?|bookings?|reservations?)\b"
    r"|\b(?:tickets?|bookings?|reservations?)\b[^.?!]{0,40}\b(?:change|correct|fix|amend)"
    r" (?:it|that|this|them)\b|\bmisspel\w*\b[^.?!]{0,20}\b(?:sur)?names?\b"
    r"|\b(?:correct|fix|amend)\b[^.?!]{0,15}\b(?:sur)?name\b"
    r"|\b(?:put|book|move|switch|rebook|transfer) (?:me|us|him|her|them|pax|passengers?)\b"
    r"[^.?!]{0,8}\b(?:on|onto|to)(?: flight)? [a-z0-9]{2} ?[0-9]{1,4}\b"
    r"|\b(?:send|write)\b[^.?!]{0,15}\b(?:email|e-mail|letter|complaint)\b|\bcomplain to\b"
    r"|\b(?:email|write to|call|contact)\b[^.?!]{0,10}\b(?:them|the airline)\b",
    "other travellers' personal data": r"\b(?:pax|passengers?|travell?ers?|customers?)'? "
    r"(?:list|manifest|names?|details|data|contacts?)\b|\bmanifest\b|\bphone numbers?\b"
    r"|\b(?:e-?mail|home|postal) address|\bcontact details\b|\bpersonal (?:data|details|info)"
    r"|\b(?:passenger|pax|travell?er|customer|person|someone) (?:next to|beside|sitting|in seat)\b"
    r"|\bwho (?:is|was|else is) (?:on|sitting|flying)\b"
    r"|\b(?:which|what) (?:other )?(?:passengers|pax|travell?ers|customers|people)"
    r" (?:on|are|were|have|got|from|in)\b"
    r"|\btheir (?:e-?mails?|e-?mail addresses|addresses|contacts|contact details)\b",
    "changing flight data": r"\b(?:set|change|update|mark|edit|modify)\b[^.?!]{0,30}"
    r"\b(?:status|records?|gate|terminal|eta|etd)\b[^.?!]{0,30}\bto\b"
    r"|\bin your (?:data|database|system|records)\b|\bmark\b[^.?!]{0,20}\bas\b",
    "topics outside air travel": r"\bstocks?\b|\bfootball\b|\bsoccer\b|\bcapital of\b"
    r"|\bwho (?:won|is winning|scored)\b|\bbasketball\b|\btennis\b|\bcricket\b|\brugby\b"
    r"|\btime ?zones?\b",
}
"""Requests the assistant declines when no flight question comes with them."""
ALWAYS_DECLINED = frozenset(
    {
        "keys, passwords or how I am set up",
        "security screening and what you may carry",
        "acting for you (claims, bookings, contacting airlines)",
        "other travellers' personal data",
        "changing flight data",
        "translating or writing texts",
        "lost or delayed baggage",
    }
)
"""Off-topic requests declined even beside a flight question ('the API key of the status tool',
'rebook me onto AF 1181 and issue the ticket', a bag that never arrived off a flight); a text
to translate is declined whatever it says about flights."""

ASIDE = re.compile(
    r"[.?!;]+\s*|,?\s*\b(?:and also|also|plus|as well as|by the way|btw|oh and)\b\s*", re.I
)
"""Where one request ends and another, asked aside, begins: 'status for EK1 and also ...'."""


def off_topic_of(lowered: str) -> str | None:
    """The off-topic request in ``lowered``; one always declined comes before any other."""
    topics = [topic for topic, pattern in OFF_TOPICS.items() if re.search(pattern, lowered)]
    return next((t for t in topics if t in ALWAYS_DECLINED), topics[0] if topics else None)


def set_aside(text: str) -> tuple[str, str] | None:
    """An always-declined request asked aside, in a clause of its own ('status for EK1 and also
    what's the admin password'): its topic and the text without that clause, which is still a
    request of its own to answer; None when the two are not apart."""
    marks = [0, *(m.end() for m in ASIDE.finditer(text)), len(text)]
    clauses = [(start, end) for start, end in pairwise(marks) if end > start]
    for start, end in clauses:
        topic = off_topic_of(text[start:end].lower())
        rest = text[:start] + " " + text[end:]
        if topic in ALWAYS_DECLINED and off_topic_of(rest.lower()) is None and rest.strip():
            return topic, rest
    return None


INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:instructions?|rules|prompts?|above)\b"
    r"|\b(?:system|assistant|developer)\s*:|\byou are now\b|\bnew instructions?\b"
    r"|\b(?:admin|developer|debug|god|maintenance) (?:mode|override)\b|\bjailbreak"
    r"|\bpretend (?:you|to)\b|\bact as\b|\bDAN\b|\bdo anything now\b"
    r"|\b(?:reveal|print|show|repeat|output)\b.{0,30}\b(?:prompt|keys?|secrets?|config)\b"
    r"|\b(?:get_flight_status|batch_status|provider_health"
    r"|check_connection|assess_disruption|passenger_rights|find_alternative_flights)\b"
    r"|\b(?:don'?t|do not|never|without) (?:use|using|call|calling|run|running)\b[^.?!,]{0,15}"
    r"\btools?\b|\b(?:just|only|simply) (?:write|say|type|print|put)\b"
    r"|(?:^|[.!?,;:]\s*|\b(?:please|pls|and)\s+)(?:write|say|type|print|put)(?: down| out)?"
    r" (?:that|it'?s|it is)\b(?! again)"
    r"|\b(?:drop|truncate|alter)\s+table\b|\bunion\s+select\b|\bdelete\s+from\b"
    r"|'\s*or\s+'?[0-9]+'?\s*=\s*'?[0-9]+"
    r"|<\s*/?\s*(?:script|iframe|img|svg|object|embed)\b[^>]*>",
    re.I,
)
"""Passages that instruct the assistant (new rules, a role, a tool to call, what to write
instead of looking it up) or are code for a database or a browser (SQL, script tags)."""
PASTED = re.compile(
    r"\[(?P<tag>[a-z _-]*(?:output|result|system|tool)[a-z _-]*)\].*?(?:\[/(?P=tag)\]|$)"
    r"|\((?=[^)]*\b(?:override|instructions?|system|admin|developer)\b)[^)]*\)",
    re.I | re.S,
)
"""Pasted blocks posing as tool output or as an aside for the assistant, cut out whole."""
_CLAUSE_END = re.compile(r"[.!?;,\n]")


def strip_instructions(text: str) -> tuple[str, bool]:
    """``text`` without instruction-like passages (each cut to the end of its clause)."""
    kept: list[str] = []
    position = 0
    found = PASTED.search(text) is not None
    text = PASTED.sub(" ", text)
    while (match := INJECTION.search(text, position)) is not None:
        found = True
        kept.append(text[position : match.start()])
        end = _CLAUSE_END.search(text, match.end())
        position = end.end() if end else len(text)
    kept.append(text[position:])
    return "".join(kept), found
