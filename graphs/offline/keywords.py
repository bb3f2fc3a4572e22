"""Keywords that say what a traveller's message asks: the intent, a connection between two
flights, a provider, the cause of a disruption.

``intent_of`` matches ``INTENT_PATTERNS``, strongest first; with two flights, words asking
whether one connects to the other make it a connection; with none, words asking whether a
connection will be made ask for one; with one at most, a late inbound aircraft asks what is
going on. ``cause_of`` and ``provider_of`` read the cause the airline gave and the one data
provider asked about.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Literal

Cause = Literal["unknown", "carrier", "carrier_safety", "extraordinary"]


class Intent(StrEnum):
    """What the traveller wants done; each maps to one tool (status to one of two)."""

    STATUS = "status"
    HEALTH = "health"
    CONNECTION = "connection"
    RIGHTS = "rights"
    ALTERNATIVES = "alternatives"
    DISRUPTION = "disruption"


INTENT_PATTERNS = {
    Intent.RIGHTS: r"\bowed?\b|\bcompensat|\b(?:eu|uk|ec) ?261\b|\brefund|\bentitle|\brights\b"
    r"|\b(?:can|could|should) (?:i|we) claim\b|\bwhat (?:can|could) (?:i|we) claim\b"
    r"|(?<!baggage )(?<!luggage )(?<!bag )\bclaim\b|\bappr\b|\bdot rules?\b|\bmoney back\b"
    r"|\b(?:pay|paying|cover) (?:for )?(?:my |the |a |our )?(?:hotel|meals?|food|taxi|lunch"
    r"|dinner|breakfast|drinks|accommodation)\b|\bvouchers?\b"
    r"|\b(?:am i|are we) due\b"
    r"|\bwhat am i due\b|\bget anything\b|\b(?:give|offer|owe|pay)s? (?:me|us) (?:anything"
    r"|something)\b|\bblamed\b|\bwhat (?:do|can|should) (?:i|we) get\b"
    r"|\bdenied boarding\b|\bbumped\b"
    r"|\b(?:what does|under|per|according to) (?:the )?(?:us )?dot\b"
    r"|\bhow much\b(?: \w+)? (?:each|apiece|per (?:person|head|passenger|pax))\b"
    r"|\bhow much (?:do|can|could|will|would|should) (?:i|we|they|he|she|you) (?:\w+ )?"
    r"(?:get|claim|receive|be paid)\b",
    Intent.ALTERNATIVES: r"\balternative|\bother flights?\b|\banother flight\b|\brebook"
    r"|\bre-?rout|\bnext flights?\b(?!:? (?:is )?[a-z0-9]{2,3} ?[0-9])|\bearlier flights?\b"
    r"|\blater flights?\b"
    r"|\bflights (?:(?:are|is) there )?(?:from|between|out of|to)\b|\b(?:what|which) flights\b"
    r"|\boptions\b"
    r"|(?<!or )\bsomething (?:else|earlier|later|sooner)\b"
    r"|\bwhat else (?:goes|flies|is there)\b|\bstill flying\b|\bget (?:me |us )?(?:on|out of)\b"
    r"|\banything (?:else )?(?:from|out of|to|going(?! (?:wrong|on)\b))\b|\bwhat(?:'s| is) left\b"
    r"|\b(?:earlier|later|another) connections?\b"
    r"|\bnext (?:ones|departures?)\b|\bwhat(?:'s| is) (?:flying|running)\b"
    r"|\b(?:any|another|other) (?:other )?way\b|\banything (?:earlier|later|before|after)\b"
    r"|\b(?:need|want|find) (?:me )?(?:a )?seat\b|\balt(?:ernate)? flts\b"
    r"|\b(?:different|new|replacement|backup|back-up|fall-?back) (?:flights?|connections?"
    r"|routings?)\b"
    r"|\bmissed (?:my|our|the|his|her|their) (?:connection|connecting flight|onward flight)\b"
    r"|\bwhat (?:can|should|do) (?:i|we) do (?:if|now|instead|next)\b",
    Intent.CONNECTION: r"\bconnect|\blayover\b|\btransfer\b|\bmake it to my next\b"
    r"|\bmisconnect|\bmis-?conx\b|\bconx\b|\bconn?ex\b|\bconn?ecti|\bat risk of missing\b"
    r"|\benough time\b"
    r"|\bis (?:that|it|this) enough\b"
    r"|\bmake (?:the|my) (?:\w+ )?(?:flight|connection|onward)\b",
    Intent.HEALTH: r"\bproviders?\b|\bdata sources?\b|\bfeeds?\b|\bapis?\b|\bhealth(?:y)?\b"
    r"|\bflight ?aware\b|\baero ?api\b|\baero ?data ?box\b|\baviation ?stack\b"
    r"|\b(?:simulated|live|real|mock|fake) data\b|\b(?:your|the|data|flight) sources?\b"
    r"|\bdata\b[^.?!]{0,25}\b(?:old|stale|outdated|lagging|behind|live|real|simulated)\b"
    r"|\bcircuit[- ]?breakers?\b|\bfail(?:ed|ing)?[- ]?over\b"
    r"|\b(?:fall-?back|backup) (?:data|source|provider|feed|mode|api)s?\b"
    r"|\b(?:running|using) (?:on )?(?:a |the )?backup\b(?! flight)|\bupstream\b|\bstale\b"
    r"|\b(?:wrong|problems?|issues?) with (?:your|the) (?:data|numbers|times|info)\b"
    r"|\b(?:fa|adb)\b[^.?!]{0,12}\b(?:down|up|ok|okay|working|alive|broken|out)\b",
    Intent.DISRUPTION: r"\bwhy\b|\bwhat(?:'?s| is) (?:happening|going on|wrong)\b|\bdisrupt"
    r"|\bwhat (?:should|can) i expect\b|\b(?:inbound|incoming) (?:aircraft|plane)\b|\bassess"
    r"|\bwrong with\b|\bdelaying\b|\b(?:problems?|issues?|trouble) with\b|\binbound tail\b"
    r"|\bhow bad\b|\bexplain\b|\bhold[- ]?up\b|\bwhat(?:'s| has) changed\b|\bground stop\b"
    r"|\bhow serious\b|\bworr(?:y|ied)\b|\baog\b|\bimpact\b|\breasons?\b"
    r"|\bthe cause\b|\bthe inbound\b|\boff-?block\b|\bwhat happened\b|\bpicture\b"
    r"|\bdiver(?:t|sion)|\birr?ops (?:summary|report|brief|assessment|picture|on|for|with)\b"
    r"|\bstuck\b"
    r"|\bcaus(?:e|ing)\b|\bwhat'?s? goin(?:g|')? on\b|\bground delay"
    r"|\bbehind (?:the|this|that|my|all) (?:delay|cancell?ation|hold-?up|problem)"
    r"|\bhead (?:to|for) the airport\b|\bexpect (?:any )?(?:trouble|problems|delays)\b"
    r"|\b(?:trouble|problems?|issues?|disruptions?) (?:are |is )?(?:expected|likely"
    r"|forecast|anticipated|ahead|brewing)\b|\bsigns? of (?:trouble|problems?|delays?)\b"
    r"|\btarmac\b|\b(?:aircraft|equipment|tail) (?:swap|change)\b"
    r"|\bis it (?:the |because of |due to )?(?:weather|atc|crew|strike|a strike|technical)"
    r"|\b(?:still )?(?:go|head|leave|drive) (?:to|for) the airport\b|\bget worse\b"
    r"|\b(?:delay(?:ed)?|late|hold-?up|cancell?(?:ation|ed))(?:'s)? (?:because|due to|caused)\b"
    r"|\bgo(?:ing|ne) wrong\b"
    r"|\b(?:is|was) (?:the|this|that|my) (?:delay|cancell?ation)\b[^.?!]{0,30}"
    r"\b(?:because|due to)\b"
    r"|\b(?:be|get|gets|getting) (?:cancell?ed|scrapped)\b|\bworth (?:going|leaving)\b"
    r"|\b(?:risk|chances?|likel(?:y|ihood)|odds|probabl[ey]|probability)\b[^.?!]{0,40}"
    r"\b(?:cancel|delay|divert|late\b)"
    r"|\b(?:cancel\w*|delay|diversion|weather|storm|snow|fog|strike) (?:risk|chances?|likelihood"
    r"|odds)\b"
    r"|\bserious\b|\bbe a (?:\w+ )?problem\b"
    r"|\bsitting (?:at|on) the (?:gate|tarmac|runway|apron|stand)\b|\bstill on the tarmac\b"
    r"|\bbig deal\b|\brealistic(?:ally)?\b|\b(?:delay\w*|late|held|stuck)\b[^.?!]{0,40}"
    r"\bhow long\b|\bhow long\b[^.?!]{0,30}\b(?:will|would|might|could|going to|gonna)\b"
    r"[^.?!]{0,30}\b(?:delay|late|last|stuck|held|wait)"
    r"|\bwhat(?:'?s| is) up\b(?! with)"
    r"|\bwhat(?:'?s| is) up\b(?=.*\b(?:late|delay|cancel|stuck|divert))"
    r"|\b(?:late|delay|cancel|stuck|divert)\w*\b.*\bwhat(?:'?s| is) up\b",
    Intent.STATUS: r"\bstatus\b|\bon time\b|\bdelay|\blate\b|\bgate\b|\bterminal\b|\bland"
    r"|\bdepart|\barriv|\bleav|\bleft\b|\btake off\b|\btaken off\b|\bcancel|\bscrapped\b"
    r"|\bwhen\b|\bwhere is\b|\bcheck\b(?![- ]in\b)|\bhow(?:'s| is)\b|\bany news\b|\bpushed back\b"
    r"|\bairborne\b|\bboarding\b|\blooking\b|\bstill on\b|\bon schedule\b"
    r"|\bdly\b|\bdlyd\b|\bet[ad]s?\b|\bsts\b"
    r"|\brunning\b(?! (?:out|low|short))|\boperating\b|\bgo(?:es|ing)? ahead\b",
}
"""Keywords per intent, strongest first: the first that matches wins."""


CONNECTION_HINT = re.compile(
    r"\bonward\b|\bmake it\b|\btight\b|\bslack\b|\bmct\b|\bminimum connect"
    r"|\bin\b.*\bout\b|\b(?:that|it) work\b|\bbreak it\b|\ba shot at\b|\bstill make\b"
    r"|\bdoable\b|\bmiss(?:ing)?\b|\bfine\b|\bgo(?:ing|nna)? (?:to )?work\b|\benough\b"
    r"|\b(?:can|could|will|would) (?:i|we|they|pax) (?:still )?make\b"
    r"|\bcatch (?:my |the )?(?:onward |connecting |next )?(?:connection|flight|it"
    r"|[a-z0-9]{2} ?[0-9])",
    re.I,
)
"""With two flights, words that ask whether one connects to the other."""
SEQUENCE_HINT = re.compile(r"\bthen\b|\bafter\b|\bfollowed by\b", re.I)
"""With two flights and nothing else asked ('BA 1 then AA 100, 50 mins?'), legs to connect."""
MAKING_IT = re.compile(
    r"\b(?:still )?make (?:it|the connection|my connection)\b"
    r"|\b(?:first|second) leg\b|\b(?:onward|connecting) (?:leg|flight)\b",
    re.I,
)
"""With no flight named, words asking whether a connection will be made ('can I still make it
if the first leg is late?'): a connection, for which both flights are needed."""
LATE_INBOUND = re.compile(
    r"\b(?:late|delayed|incoming) inbound\b|\binbound\b[^.?!]{0,20}\b(?:late|delayed|held)\b",
    re.I,
)
"""With one flight, its inbound aircraft running late ('will the late inbound make KL 1000
leave late?', 'is our inbound late?'): what that does to the flight, an assessment. With two
flights, an inbound is the leg flown in on, for a connection."""
LAYOVER = re.compile(
    r"\b[0-9]{1,2} ?h(?:rs?|ours?)?(?: ?[0-9]{2}(?: ?m(?:ins?)?)?)?\b"
    r"|\b[0-9]{2,3} ?min(?:ute)?s?\b",
    re.I,
)
"""A layover's length ('1h50', '45 mins', '2 hours'): with legs in sequence, a connection."""

PROVIDERS = {
    "flightaware": "FlightAware",
    "aeroapi": "FlightAware",
    "aerodatabox": "AeroDataBox",
    "aviationstack": "AviationStack",
    "simulated": "Simulated",
}
SHORT_PROVIDERS = {"fa": "FlightAware", "adb": "AeroDataBox"}
"""Providers as ops desks shorten them ('FA down?'), read as whole words."""
CAUSES: tuple[tuple[Cause, str], ...] = (
    (
        "extraordinary",
        r"\b(?:airports?|handling|handlers|security|atc|air traffic|controllers?"
        r"|border|customs|immigration|general|national)\b[^.?!]{0,30}"
        r"\b(?:strikes?|striking|on strike|walk-?outs?|walked out)\b",
    ),
    (
        "carrier",
        r"\b(?:crew|staff|pilots?|airline)'?s? strikes?\b|\bown (?:crew|staff|pilots)"
        r"|\bstrike by (?:the )?(?:[a-z]+ )?(?:crew|staff|pilots)"
        r"|\b(?:crew|staff|pilots|engineers)\b[^.?!]{0,12}\b(?:walked out|walk-?out|striking"
        r"|(?:went|were|was|are|is|been|being|going) on strike)",
    ),
    ("carrier_safety", r"\bsafety\b"),
    (
        "extraordinary",
        r"\bweather\b|storm|\bsnow|\bfog\b|\bice\b|\bhurricane|\btyphoon|\bthunder|\blightning\b"
        r"|\bgales?\b|\b(?:high|strong) winds?\b|\bwx\b|\bflood"
        r"|\bstrikes?\b|\bair traffic control\b|\batc\b|\bvolcan|\bsecurity\b|\bbird strike"
        r"|\bhit a bird\b|\bbirds?\b",
    ),
    (
        "carrier",
        r"\btechnical\b|\bmechanical\b|\bmaintenance\b|\bcrew\b|\bstaff shortage"
        r"|\boverbook|\bit problem|\bsystem outage\b|\bairline'?s fault\b"
        r"|\b(?:pilots?|captain|crew|co-?pilot|staff)\b[^.?!]{0,20}\b(?:sick|ill|unwell|no-?show"
        r"|didn'?t (?:show|turn up)|out of hours|timed out)",
    ),
)
"""Cause words, first match wins: a strike by the airport's, the ground handlers' or air
traffic control's staff is extraordinary, the airline's own staff on strike is not."""


SET_ASIDE = re.compile(
    r"(?:\bnot|n't|\bno need to|\bnever mind|\bforget)(?: (?:worried|bothered|concerned"
    r"|asking|fussed|interested|care|check(?:ing)?|need))?(?: about| in)? (?:the |my |our )?"
    r"(?:connection|connecting|layover|transfer)s?\b",
    re.I,
)
"""A connection set aside ('not worried about the connection'): not what is asked."""


def intent_of(text: str, flight_count: int) -> Intent | None:
    """What ``text`` (instructions already cut out) asks, given how many flights it names; a
    connection the traveller sets aside ('not worried about the connection') is not asked."""
    if SET_ASIDE.search(text):
        return _intent(SET_ASIDE.sub(" ", text).lower())
    lowered = text.lower()
    intent = _intent(lowered)
    if flight_count >= 2 and (
        (intent in (None, Intent.STATUS) and CONNECTION_HINT.search(text))
        or (intent is None and SEQUENCE_HINT.search(text))
        or (intent is Intent.STATUS and SEQUENCE_HINT.search(text) and LAYOVER.search(text))
    ):
        return Intent.CONNECTION
    if flight_count == 0 and intent in (None, Intent.STATUS) and MAKING_IT.search(text):
        return Intent.CONNECTION
    if flight_count < 2 and intent in (None, Intent.STATUS) and LATE_INBOUND.search(text):
        return Intent.DISRUPTION
    return intent


def _intent(lowered: str) -> Intent | None:
    return next(
        (name for name, pattern in INTENT_PATTERNS.items() if re.search(pattern, lowered)), None
    )


def cause_of(lowered: str) -> Cause:
    """The cause the airline gave, as ``passenger_rights`` takes it."""
    return next((cause for cause, pattern in CAUSES if re.search(pattern, lowered)), "unknown")


def provider_of(lowered: str) -> str | None:
    """The one provider asked about ('Aviation Stack'); none when live and simulated data are
    weighed against each other ('are we on simulated or live data?')."""
    joined = lowered.replace(" ", "")
    named = {PROVIDERS[word] for word in PROVIDERS if word in joined}
    named |= {name for word, name in SHORT_PROVIDERS.items() if re.search(rf"\b{word}\b", lowered)}
    if "Simulated" in named and re.search(r"\b(?:live|real)\b", lowered):
        named.discard("Simulated")
    return named.pop() if len(named) == 1 else None
